/**
 * Label and field selectors with the grammar of k8s.io/apimachinery labels.Parse and
 * fields.ParseSelector. Parse errors throw SelectorError; the server turns it into 400 BadRequest.
 */
import type { ResourceType } from './resources.js';
import type { KubeObject } from './types.js';

export class SelectorError extends Error {}

type LabelOp = 'exists' | '!' | 'in' | 'notin' | 'gt' | 'lt';

export interface LabelRequirement {
  key: string;
  op: LabelOp;
  values: string[];
}

const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function validKey(key: string): boolean {
  const slash = key.indexOf('/');
  if (slash < 0) return NAME.test(key);
  const prefix = key.slice(0, slash);
  return prefix.length <= 253 && DNS_SUBDOMAIN.test(prefix) && NAME.test(key.slice(slash + 1));
}

const validValue = (v: string): boolean => v === '' || NAME.test(v);

/** Splits on the separators of the label grammar, keeping operators and parentheses as tokens. */
function tokenize(input: string): string[] {
  const tokens: string[] = [];
  const re = /\s*(==|!=|=|!|<|>|\(|\)|,|[^\s,()=!<>]+)/y;
  let m: RegExpExecArray | null;
  while (re.lastIndex < input.length && (m = re.exec(input))) tokens.push(m[1]!);
  if (input.slice(re.lastIndex).trim() !== '') throw new SelectorError(`unable to parse requirement: unexpected input ${JSON.stringify(input)}`);
  return tokens;
}

export function parseLabelSelector(input: string | null | undefined): LabelRequirement[] {
  if (!input || input.trim() === '') return [];
  const tokens = tokenize(input);
  const reqs: LabelRequirement[] = [];
  let i = 0;
  const next = (): string | undefined => tokens[i++];
  const expectEnd = (): void => {
    const t = tokens[i];
    if (t !== undefined && t !== ',') throw new SelectorError(`found '${t}', expected: ',' or 'end of string'`);
    i++;
  };
  while (i < tokens.length) {
    let t = next();
    let negated = false;
    if (t === '!') {
      negated = true;
      t = next();
    }
    if (t === undefined || !validKey(t)) throw new SelectorError(`unable to parse requirement: invalid label key ${JSON.stringify(t ?? '')}`);
    const key = t;
    const op = tokens[i];
    if (negated || op === undefined || op === ',') {
      reqs.push({ key, op: negated ? '!' : 'exists', values: [] });
      expectEnd();
      continue;
    }
    i++;
    if (op === '=' || op === '==' || op === '!=') {
      const v = tokens[i] === undefined || tokens[i] === ',' ? '' : next()!;
      if (!validValue(v)) throw new SelectorError(`unable to parse requirement: invalid label value ${JSON.stringify(v)}`);
      reqs.push({ key, op: op === '!=' ? 'notin' : 'in', values: [v] });
    } else if (op === 'in' || op === 'notin') {
      if (next() !== '(') throw new SelectorError(`found '${tokens[i - 1] ?? ''}', expected: '('`);
      const values: string[] = [];
      for (let v = next(); v !== ')'; v = next()) {
        if (v === undefined) throw new SelectorError(`found '', expected: ')'`);
        if (v === ',') continue;
        if (!validValue(v)) throw new SelectorError(`unable to parse requirement: invalid label value ${JSON.stringify(v)}`);
        values.push(v);
      }
      if (values.length === 0) throw new SelectorError(`unable to parse requirement: for 'in', 'notin' operators, values set can't be empty`);
      reqs.push({ key, op, values });
    } else if (op === '>' || op === '<') {
      const v = next() ?? '';
      if (!/^-?\d+$/.test(v)) throw new SelectorError(`unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer`);
      reqs.push({ key, op: op === '>' ? 'gt' : 'lt', values: [v] });
    } else {
      throw new SelectorError(`found '${op}', expected: in, notin, =, ==, !=, gt, lt`);
    }
    expectEnd();
  }
  return reqs;
}

export function matchesLabels(labels: Record<string, string> | undefined, reqs: LabelRequirement[]): boolean {
  const l = labels ?? {};
  return reqs.every((r) => {
    const has = Object.hasOwn(l, r.key);
    const v = l[r.key];
    switch (r.op) {
      case 'exists':
        return has;
      case '!':
        return !has;
      case 'in':
        return has && r.values.includes(v!);
      case 'notin':
        return !has || !r.values.includes(v!);
      case 'gt':
      case 'lt': {
        if (!has || !/^-?\d+$/.test(v!)) return false;
        return r.op === 'gt' ? Number(v) > Number(r.values[0]) : Number(v) < Number(r.values[0]);
      }
    }
  });
}

export interface FieldRequirement {
  field: string;
  negated: boolean;
  value: string;
}

/** Splits on unescaped commas; `\,` `\=` `\\` are escapes, as in fields.ParseSelector. */
function splitTerms(input: string): string[] {
  const terms: string[] = [];
  let cur = '';
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (c === '\\' && i + 1 < input.length) {
      cur += c + input[++i];
    } else if (c === ',') {
      terms.push(cur);
      cur = '';
    } else {
      cur += c;
    }
  }
  terms.push(cur);
  return terms;
}

const unescape = (s: string): string => s.replace(/\\(.)/g, '$1');

export function parseFieldSelector(input: string | null | undefined): FieldRequirement[] {
  if (!input || input.trim() === '') return [];
  return splitTerms(input).map((term) => {
    const m = /^(.*?[^\\]|)(!=|==|=)(.*)$/.exec(term);
    if (!m || m[1] === '') throw new SelectorError(`invalid selector: '${input}'; can't understand '${term}'`);
    return { field: m[1]!.trim(), negated: m[2] === '!=', value: unescape(m[3]!) };
  });
}

/** Throws the API server's message when a selector names a field the resource does not index. */
export function checkFieldLabels(reqs: FieldRequirement[], resource: ResourceType): void {
  for (const r of reqs) {
    const ok = r.field === 'metadata.name' || r.field === 'metadata.namespace' || (resource.fieldLabels ?? []).includes(r.field);
    if (!ok) throw new SelectorError(`field label not supported: ${r.field}`);
  }
}

export function matchesFields(obj: KubeObject, reqs: FieldRequirement[]): boolean {
  return reqs.every((r) => (fieldValue(obj, r.field) === r.value) !== r.negated);
}

/** The string value the API server indexes for a field label (pkg/registry/*\/strategy.go ToSelectableFields). */
export function fieldValue(obj: KubeObject, field: string): string {
  switch (field) {
    case 'metadata.namespace':
      return obj.metadata.namespace ?? '';
    case 'source':
      return stringAt(obj, 'source.component');
    case 'status.successful':
      return stringAt(obj, 'status.succeeded') || '0';
    case 'status.replicas':
      return stringAt(obj, 'status.replicas') || '0';
    case 'spec.unschedulable':
    case 'spec.hostNetwork':
      return stringAt(obj, field) || 'false';
    default:
      return stringAt(obj, field);
  }
}

function stringAt(obj: unknown, path: string): string {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return '';
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur === undefined || cur === null ? '' : String(cur);
}
