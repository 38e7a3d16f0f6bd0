/**
 * A structured diff of two JSON values by dotted path (pure; used by config-drift).
 *
 * Paths: object keys join with dots (`spec.ingress.host`); keys that are not plain identifiers
 * are bracketed (`data[config.json]`, `annotations[nginx.ingress.kubernetes.io/proxy-body-size]`);
 * lists whose items all carry a distinct `name` are keyed by it, as Kubernetes merges env lists
 * (`spec.mattermostEnv[MM_SERVICESETTINGS_SITEURL].value`, the name itself is not a leaf); other lists
 * by index (`args[0]`).
 *
 * Patterns (drift.allow, ignore): the same syntax, where a `*` segment matches one segment, `**`
 * any number, and a pattern also matches everything under it (`spec.ingress` allows
 * `spec.ingress.host`). Brackets are optional in patterns: `data.x` and `data[x]` match alike.
 */
import { isHidden } from './drift-types.js';
import { SECRET_NAME } from './secrets.js';

export interface DiffEntry {
  readonly path: string;
  /** added: only on the right · removed: only on the left · changed: on both, different. */
  readonly kind: 'added' | 'removed' | 'changed';
  readonly left?: unknown;
  readonly right?: unknown;
}

const IDENT = /^[A-Za-z_$][\w$-]*$/;
const keySegment = (k: string): string => (IDENT.test(k) ? k : `[${k}]`);

export function formatPath(segments: readonly string[]): string {
  let out = '';
  for (const s of segments) out += s.startsWith('[') ? s : out ? `.${s}` : s;
  return out;
}

/** Splits a dotted path or pattern into segments; `[…]` is one segment and may contain dots. */
export function parsePath(path: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < path.length; i++) {
    const c = path[i];
    if (c === '[') {
      if (cur) out.push(cur);
      cur = '';
      const end = path.indexOf(']', i);
      const stop = end === -1 ? path.length : end;
      out.push(`[${path.slice(i + 1, stop)}]`);
      i = stop;
    } else if (c === '.') {
      if (cur) out.push(cur);
      cur = '';
    } else {
      cur += c;
    }
  }
  if (cur) out.push(cur);
  return out;
}

const bare = (s: string): string => (s.startsWith('[') && s.endsWith(']') ? s.slice(1, -1) : s);

/** Whether a pattern (see the file comment) matches the path or one of its ancestors. */
export function pathMatches(pattern: string, path: string): boolean {
  const p = parsePath(pattern).map(bare);
  const s = parsePath(path).map(bare);
  const match = (pi: number, si: number): boolean => {
    if (pi === p.length) return true;
    if (p[pi] === '**') {
      for (let k = si; k <= s.length; k++) if (match(pi + 1, k)) return true;
      return false;
    }
    if (si === s.length) return false;
    return (p[pi] === '*' || p[pi] === s[si]) && match(pi + 1, si + 1);
  };
  return match(0, 0);
}

export const matchesAny = (patterns: readonly string[], path: string): boolean => patterns.some((p) => pathMatches(p, path));

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Lists whose items are all objects with distinct string `name`s are keyed by name. */
function namedKeys(list: readonly unknown[]): string[] | undefined {
  if (list.length === 0) return undefined;
  const names: string[] = [];
  for (const item of list) {
    if (!isObject(item) || typeof item['name'] !== 'string') return undefined;
    names.push(item['name']);
  }
  return new Set(names).size === names.length ? names : undefined;
}

/** Every leaf of a JSON value by path. Empty objects and lists are leaves. */
export function flatten(value: unknown, prefix: readonly string[] = []): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const walk = (v: unknown, segs: readonly string[]): void => {
    if (Array.isArray(v)) {
      if (v.length === 0) { out.set(formatPath(segs), []); return; }
      const names = namedKeys(v);
      v.forEach((item, i) => {
        if (!names) { walk(item, [...segs, `[${i}]`]); return; }
        // The name is the item's key: its own leaf would only repeat it.
        const { name: _name, ...rest } = item as Record<string, unknown>;
        walk(rest, [...segs, `[${names[i]}]`]);
      });
    } else if (isObject(v)) {
      const keys = Object.keys(v);
      if (keys.length === 0) { out.set(formatPath(segs), {}); return; }
      for (const k of keys) walk(v[k], [...segs, keySegment(k)]);
    } else {
      out.set(formatPath(segs), v);
    }
  };
  walk(value, prefix);
  return out;
}

const same = (a: unknown, b: unknown): boolean => a === b || JSON.stringify(a) === JSON.stringify(b);

/**
 * The differences between two JSON values, sorted by path. Paths matching `ignore` are left out.
 * `undefined` leaves count as absent.
 */
export function diff(left: unknown, right: unknown, opts: { ignore?: readonly string[] } = {}): DiffEntry[] {
  const l = flatten(left);
  const r = flatten(right);
  const out: DiffEntry[] = [];
  for (const path of new Set([...l.keys(), ...r.keys()])) {
    if (opts.ignore && matchesAny(opts.ignore, path)) continue;
    const a = l.get(path);
    const b = r.get(path);
    if (a === undefined && b === undefined) continue;
    if (a === undefined) out.push({ path, kind: 'added', right: b });
    else if (b === undefined) out.push({ path, kind: 'removed', left: a });
    else if (!same(a, b)) out.push({ path, kind: 'changed', left: a, right: b });
  }
  return out.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
}

/** A path with a segment named like a secret (DSN, password, key, token…): its values are never shown. */
export const isSecretPath = (path: string): boolean => parsePath(path).some((s) => SECRET_NAME.test(bare(s)));

const MAX_SHOWN = 200;

function show(v: unknown): string {
  if (v === undefined) return '(absent)';
  const s = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v);
  return s.length > MAX_SHOWN ? `${s.slice(0, MAX_SHOWN)}…` : s;
}

/**
 * How to show one difference: the two values, or `(hidden)` when the path is secret-named, a
 * value is a hidden marker, or `redact` (a Redactor's redact) changes either value.
 */
export function describeEntry(e: DiffEntry, redact?: (s: string) => string): { hidden: boolean; left: string; right: string } {
  const l = show(e.left);
  const r = show(e.right);
  const byValue = redact !== undefined && (redact(l) !== l || redact(r) !== r);
  const hidden = isSecretPath(e.path) || isHidden(e.left) || isHidden(e.right) || byValue;
  if (!hidden) return { hidden, left: l, right: r };
  return { hidden, left: e.left === undefined ? '(absent)' : '(hidden)', right: e.right === undefined ? '(absent)' : '(hidden)' };
}
