/**
 * Loading `mmgate.yaml`: find → parse YAML → resolve `${env:NAME}` / `${file:PATH}` (registering each
 * value as a secret) → validate with zod → one ConfigError naming every bad key with its fix.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { ConfigError, dottedPath, type ConfigIssue } from '../errors.js';
import { Redactor, SECRET_NAME, URL_CREDENTIALS } from '../secrets.js';
import { configSchema, type MmgateConfig } from './schema.js';

export const CONFIG_NAMES = ['mmgate.yaml', 'mmgate.yml'] as const;

export interface LoadedConfig {
  readonly config: MmgateConfig;
  /** The file it came from, or undefined when mmgate runs on defaults. */
  readonly path: string | undefined;
  /** Relative paths in the config resolve from here. */
  readonly dir: string;
  /** Knows every secret value the config referenced. */
  readonly redactor: Redactor;
}

export function findConfig(explicit: string | undefined, cwd = process.cwd()): string | undefined {
  if (explicit) {
    const p = resolve(cwd, explicit);
    if (!existsSync(p)) throw new ConfigError(explicit, [{ path: '', message: 'file not found', fix: 'pass an existing file with -c/--config, or run without -c to use ./mmgate.yaml' }]);
    return p;
  }
  return CONFIG_NAMES.map((n) => resolve(cwd, n)).find((p) => existsSync(p));
}

export function loadConfig(explicit?: string, opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): LoadedConfig {
  const cwd = opts.cwd ?? process.cwd();
  const path = findConfig(explicit, cwd);
  const redactor = new Redactor();
  if (!path) return { config: parseConfig({}, '(defaults)', { dir: cwd, env: opts.env ?? process.env, redactor }), path, dir: cwd, redactor };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(path, [{ path: '', message: `cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, fix: 'give -c a readable YAML file' }]);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text) ?? {};
  } catch (err) {
    const where = err instanceof YAMLParseError && err.linePos ? ` at line ${err.linePos[0].line}, column ${err.linePos[0].col}` : '';
    throw new ConfigError(path, [{ path: '', message: `not valid YAML${where}: ${(err as Error).message.split('\n')[0]}`, fix: 'fix the YAML syntax (indentation, a missing colon or quote)' }]);
  }
  const dir = dirname(path);
  return { config: parseConfig(raw, path, { dir, env: opts.env ?? process.env, redactor }), path, dir, redactor };
}

/** Validates an already-parsed config object. Exposed for tests and for programmatic use. */
export function parseConfig(raw: unknown, source: string, ctx: { dir: string; env: NodeJS.ProcessEnv; redactor: Redactor }): MmgateConfig {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(source, [{ path: '', message: 'the config must be a mapping (key: value)', fix: 'start from docs/config.md or the file `mmgate lab` writes' }]);
  }
  const issues: ConfigIssue[] = [];
  const resolved = resolveReferences(raw, [], ctx, issues);
  if (issues.length) throw new ConfigError(source, issues);
  // reportInput lets messages say what was given; values are redacted (a secret may be mistyped).
  const parsed = configSchema.safeParse(resolved, { reportInput: true });
  if (!parsed.success) throw new ConfigError(source, parsed.error.issues.map((i) => redactIssue(zodIssue(i), ctx.redactor)));
  return parsed.data;
}

const REF = /\$\{(env|file):([^}]+)\}/g;

/**
 * Values at these paths are secrets wherever they come from: a key named like one (token,
 * password, dsn…), and the incoming webhook id (anyone who knows it can post). Other values read
 * from env or files (a namespace, a context) are not: masking "mattermost" everywhere would
 * ruin every report.
 */
function isSecretPath(path: readonly (string | number)[]): boolean {
  const leaf = [...path].reverse().find((p): p is string => typeof p === 'string') ?? '';
  return SECRET_NAME.test(leaf) || path.join('.') === 'mattermost.incomingWebhook.id';
}

/** Replaces `${env:NAME}` and `${file:PATH}` in every string; values at secret paths become known secrets. */
function resolveReferences(v: unknown, path: (string | number)[], ctx: { dir: string; env: NodeJS.ProcessEnv; redactor: Redactor }, issues: ConfigIssue[]): unknown {
  if (typeof v === 'string') {
    return v.replace(REF, (_m, kind: string, ref: string) => {
      let value: string | undefined;
      if (kind === 'env') {
        value = ctx.env[ref];
        if (value === undefined || value === '') {
          issues.push({ path: dottedPath(path), message: `environment variable ${ref} is not set`, fix: `export ${ref}=… before running, or use \${file:/path/to/secret}` });
          return '';
        }
      } else {
        const p = resolve(ctx.dir, ref);
        try {
          // Secret files (Kubernetes secret mounts) end with a newline that is not part of the secret.
          value = readFileSync(p, 'utf8').replace(/\r?\n$/, '');
        } catch {
          issues.push({ path: dottedPath(path), message: `cannot read secret file ${p}`, fix: 'check the path (relative paths resolve from the config file) and its permissions' });
          return '';
        }
      }
      if (isSecretPath(path) || URL_CREDENTIALS.test(value)) ctx.redactor.add(value);
      return value;
    });
  }
  if (Array.isArray(v)) return v.map((x, i) => resolveReferences(x, [...path, i], ctx, issues));
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = resolveReferences(x, [...path, k], ctx, issues);
    return out;
  }
  return v;
}

function zodIssue(issue: z.core.$ZodIssue): ConfigIssue {
  const path = dottedPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    return {
      path: path ? `${path}.${issue.keys[0]}` : (issue.keys[0] ?? ''),
      message: `unknown key${issue.keys.length > 1 ? `s ${issue.keys.map((k) => `"${k}"`).join(', ')}` : ` "${issue.keys[0]}"`}`,
      fix: suggestKey(issue.keys[0] ?? '') ?? 'remove it; see docs/config.md for the keys mmgate reads',
    };
  }
  if (issue.code === 'invalid_type') {
    const got = 'input' in issue ? describeValue(issue.input) : 'something else';
    return { path, message: issue.message.startsWith('Invalid input') ? `expected ${issue.expected}, got ${got}` : issue.message, fix: `write a ${issue.expected} here` };
  }
  if (issue.code === 'invalid_value') return { path, message: `must be one of ${issue.values.map((x) => JSON.stringify(x)).join(', ')}` };
  return { path, message: issue.message };
}

const redactIssue = (i: ConfigIssue, r: Redactor): ConfigIssue => ({ ...i, message: r.redact(i.message) });

function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'a mapping' : `${typeof v} ${JSON.stringify(v)}`;
}

/** "did you mean" from every key the schema knows, by edit distance. */
export function suggest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) { bestD = d; best = c; }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function suggestKey(word: string): string | undefined {
  const keys = knownKeys();
  // A right name in the wrong place (prometheus under metrics): say where it belongs.
  const places = keys.get(word);
  if (places) return `"${word}" is not read here; mmgate reads it at ${[...places].slice(0, 3).join(', ')}: move it there`;
  const s = suggest(word, keys.keys());
  return s ? `did you mean "${s}"?` : undefined;
}

let keysCache: Map<string, Set<string>> | undefined;
/** Every key name the schema knows, with the paths it is read at (`*` for a name of the user's own). */
function knownKeys(): Map<string, Set<string>> {
  if (keysCache) return keysCache;
  const keys = new Map<string, Set<string>>();
  const walk = (schema: unknown, path: string, depth: number): void => {
    if (!schema || typeof schema !== 'object' || depth > 12) return;
    const def = (schema as { _zod?: { def?: Record<string, unknown> } })._zod?.def;
    if (!def) return;
    const shape = def['shape'] as Record<string, unknown> | undefined;
    if (shape) {
      for (const [k, v] of Object.entries(shape)) {
        const at = path ? `${path}.${k}` : k;
        keys.set(k, (keys.get(k) ?? new Set()).add(at));
        walk(v, at, depth + 1);
      }
    }
    for (const inner of ['innerType', 'in', 'schema']) walk(def[inner], path, depth + 1);
    walk(def['element'], `${path}[]`, depth + 1);
    walk(def['valueType'], `${path}.*`, depth + 1);
    if (Array.isArray(def['options'])) for (const o of def['options']) walk(o, path, depth + 1);
    if (Array.isArray(def['items'])) for (const o of def['items']) walk(o, `${path}[]`, depth + 1);
  };
  walk(configSchema, '', 0);
  keysCache = keys;
  return keys;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}
