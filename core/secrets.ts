/**
 * Secret values never leave mmgate in clear: every string that goes to a report, a log line, an
 * error or a snapshot passes through a Redactor that knows the secret values the run has seen
 * (config `${env:…}` / `${file:…}` values, tokens it obtained, values it read from Secrets).
 */
export const MASK = '***';

/** `scheme://user:password@host`: the password is group 1. */
export const URL_CREDENTIALS = /:\/\/[^:/@\s]+:([^@/\s]+)@/;

/** Field names whose values are secret wherever they appear (config, env lists, Helm values). */
export const SECRET_NAME = /(pass(word|wd)?|secret|token|api[-_]?key|private[-_]?key|access[-_]?key|credential|dsn|datasource|connection[-_]?string|auth|cookie|salt|license)/i;

export class Redactor {
  private readonly values = new Set<string>();

  /** Registers a secret value. Very short values are ignored: masking "1" everywhere would ruin reports. */
  add(value: string | undefined): void {
    if (!value) return;
    const v = value.trim();
    if (v.length >= 4) this.values.add(v);
    // A DSN's password also appears on its own in driver errors: register it too.
    const m = URL_CREDENTIALS.exec(v);
    if (m?.[1] && m[1].length >= 4) {
      this.values.add(m[1]);
      // A password may be percent-encoded in the URL and appear decoded elsewhere (or not decode at all).
      try { this.values.add(decodeURIComponent(m[1])); } catch { /* not valid percent-encoding: the raw form is kept */ }
    }
  }

  get size(): number { return this.values.size; }

  /** Replaces every known secret value in a string. Longest first, so a value containing another is masked whole. */
  redact(text: string): string {
    if (this.values.size === 0) return text;
    let out = text;
    for (const v of [...this.values].sort((a, b) => b.length - a.length)) {
      if (out.includes(v)) out = out.split(v).join(MASK);
    }
    return out;
  }

  /**
   * Deep copy with every string redacted. With `maskSecretNames`, values under keys named like
   * secrets (SECRET_NAME) are masked whatever they are: used for config and drift, where a secret
   * may be one mmgate was never told about.
   */
  redactDeep<T>(value: T, opts: { maskSecretNames?: boolean } = {}): T {
    const walk = (v: unknown, key?: string): unknown => {
      if (typeof v === 'string') return opts.maskSecretNames && key !== undefined && SECRET_NAME.test(key) && v !== '' ? MASK : this.redact(v);
      if (Array.isArray(v)) return v.map((x) => walk(x));
      if (v && typeof v === 'object') {
        const out: Record<string, unknown> = {};
        // Keys are redacted too: a secret can end up as a key (a map of tokens, a measured name).
        for (const [k, x] of Object.entries(v)) out[this.redact(k)] = walk(x, k);
        return out;
      }
      return v;
    };
    return walk(value) as T;
  }
}

/** Literals that are never secrets on their own: masking "true" everywhere would ruin every report. */
const TRIVIAL = /^(true|false|null|none|yes|no|on|off|enabled?|disabled?)$/i;

/** Teaches the Redactor a secret value, leaving trivial literals out. */
export function learnSecret(redactor: Redactor, value: string): void {
  if (!TRIVIAL.test(value.trim())) redactor.add(value);
}

/**
 * Teaches the Redactor the secrets inside data read from a cluster, so the snapshot and every
 * report mask them: env entries whose name says secret (`{name: MM_SQLSETTINGS_DATASOURCE, value}`)
 * and passwords inside URLs (`postgres://user:password@host`) anywhere.
 */
export function learnSecretsIn(value: unknown, redactor: Redactor): void {
  if (typeof value === 'string') {
    if (value.includes('://') && URL_CREDENTIALS.test(value)) redactor.add(value);
    return;
  }
  if (Array.isArray(value)) { for (const x of value) learnSecretsIn(x, redactor); return; }
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o['name'] === 'string' && typeof o['value'] === 'string' && o['value'] !== '' && SECRET_NAME.test(o['name'])) learnSecret(redactor, o['value']);
    for (const x of Object.values(o)) learnSecretsIn(x, redactor);
  }
}
