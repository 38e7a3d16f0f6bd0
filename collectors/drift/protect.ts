/**
 * Keeps secret values out of the snapshot while still letting two values be compared: each is
 * replaced by `hidden:<HMAC-SHA256>` under a random key made once per run (so equal values give
 * equal markers within a run, and a saved snapshot cannot be dictionary-attacked offline).
 *
 * A value is hidden when it sits under a secret-like name (SECRET_NAME: a key, or an env entry's
 * `name`), when the Redactor knows it (config secrets, Secret values read before), or when it
 * comes from a Secret.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { CollectEnv } from '../../core/collector.js';
import { HIDDEN_PREFIX } from '../../core/drift-types.js';
import { learnSecret, SECRET_NAME, type Redactor } from '../../core/secrets.js';

export type Hasher = (value: string) => string;

/** The run's hasher (one key per run, shared by every drift collector). */
export async function runHasher(env: CollectEnv): Promise<Hasher> {
  const key = await env.shared('drift:hmac-key', async () => randomBytes(32));
  return makeHasher(key);
}

export const makeHasher = (key: Buffer): Hasher => (value) => `${HIDDEN_PREFIX}${createHmac('sha256', key).update(value).digest('hex').slice(0, 32)}`;

/** Keys that name a Secret object (licenseSecret, tlsSecret, secretKeyRef…): hashed like secrets, but not secrets themselves. */
const SECRET_REFERENCE = /secret(s|name|ref|keyref)?$/i;

/**
 * A deep copy with every secret-bearing string replaced by its hidden marker. Values under
 * secret-like names are also taught to the Redactor, except references to Secret objects.
 */
export function protect(value: unknown, hash: Hasher, redactor: Redactor): unknown {
  type Mode = 'plain' | 'secret' | 'reference';
  const walk = (v: unknown, mode: Mode): unknown => {
    if (typeof v === 'string') {
      if (mode !== 'plain' && v !== '') {
        if (mode === 'secret') learnSecret(redactor, v);
        return hash(v);
      }
      return redactor.redact(v) !== v ? hash(v) : v;
    }
    if (Array.isArray(v)) return v.map((x) => walk(x, mode));
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      // An env entry {name: MM_SQLSETTINGS_DATASOURCE, value: …}: the name says the value is secret.
      const envSecret = typeof o['name'] === 'string' && SECRET_NAME.test(o['name']);
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(o)) {
        let m: Mode = mode;
        if (m === 'plain' && (SECRET_NAME.test(k) || (envSecret && k === 'value'))) m = SECRET_REFERENCE.test(k) ? 'reference' : 'secret';
        out[k] = walk(x, m);
      }
      return out;
    }
    return v;
  };
  return walk(value, 'plain');
}
