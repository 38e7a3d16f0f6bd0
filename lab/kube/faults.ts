/**
 * Fault injection: rules matched in order against method and pathname+search, each with an
 * optional budget (`times`). The server asks for the fault of a request once, before serving it.
 */
import type { FaultRule } from './types.js';

interface ArmedRule {
  rule: FaultRule;
  regex: RegExp;
  left: number;
}

export class FaultInjector {
  private rules: ArmedRule[] = [];

  constructor(rules: FaultRule[] = []) {
    this.set(rules);
  }

  /** Replace every rule; budgets start afresh. */
  set(rules: FaultRule[]): void {
    this.rules = rules.map((rule) => ({ rule, regex: new RegExp(rule.path), left: rule.times ?? Infinity }));
  }

  /** The first rule that applies to this request, its budget spent by one; undefined when none does. */
  take(method: string, pathAndSearch: string, query: URLSearchParams): FaultRule | undefined {
    for (const armed of this.rules) {
      const { rule } = armed;
      if (armed.left <= 0) continue;
      if (rule.method && rule.method.toUpperCase() !== method.toUpperCase()) continue;
      if (!armed.regex.test(pathAndSearch)) continue;
      // A goneOnContinue rule is about continued lists only: a first page passes untouched and uncounted.
      if (rule.goneOnContinue && !query.get('continue')) continue;
      armed.left--;
      return rule;
    }
    return undefined;
  }
}
