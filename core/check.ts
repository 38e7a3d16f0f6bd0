import { z, type ZodType } from 'zod';
import type { Check, CheckContext, CheckInput, CheckMeta, Outcome, SnapshotKey } from './types.js';

/**
 * Defines a check (typescript-eslint `createRule` style): meta first, options as a zod schema whose
 * defaults are the check's defaults, and a pure evaluate function over the snapshot keys it requires.
 */
export function defineCheck<K extends SnapshotKey, S extends ZodType = ZodType<Record<string, never>>>(def: {
  meta: CheckMeta<K>;
  options?: S;
  evaluate: (input: CheckInput<K>, ctx: CheckContext<z.output<S>>) => Outcome;
}): Check<K, z.output<S>> {
  const options = (def.options ?? z.strictObject({})) as ZodType<z.output<S>>;
  return Object.freeze({ meta: Object.freeze(def.meta), options, evaluate: def.evaluate });
}
