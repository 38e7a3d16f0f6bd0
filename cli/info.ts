/** Commands that describe rather than judge: checks, explain, config validate, config schema. */
import { stringify } from 'yaml';
import { z } from 'zod';
import { configJsonSchema } from '../core/config/json-schema.js';
import { findConfig, loadConfig, suggest } from '../core/config/load.js';
import { resolveCheckOptions } from '../core/config/rules.js';
import { UsageError } from '../core/errors.js';
import { loadRegistry } from '../core/registry.js';
import { PHASE_COMMAND, PHASES } from '../core/types.js';

export async function listChecks(opts: { config?: string; phase?: 'pre' | 'post'; json?: boolean }): Promise<number> {
  const loaded = loadConfig(opts.config);
  const registry = await loadRegistry(loaded.config.plugins, loaded.dir);
  const checks = registry.checks.filter((c) => !opts.phase || c.meta.phase === opts.phase);
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(checks.map((c) => ({ id: c.meta.id, phase: c.meta.phase, recommended: c.meta.recommended, title: c.meta.title, origin: registry.origin.get(c.meta.id) })), null, 2)}\n`);
    return 0;
  }
  const width = Math.max(...checks.map((c) => c.meta.id.length), 2);
  const heading = { pre: 'preflight (pre-upgrade)', during: 'watch (during the rollout)', post: 'verify (post-upgrade)' } as const;
  for (const phase of PHASES) {
    const rows = checks.filter((c) => c.meta.phase === phase);
    if (!rows.length) continue;
    process.stdout.write(`${heading[phase]}\n`);
    for (const c of rows) {
      const origin = registry.origin.get(c.meta.id);
      process.stdout.write(`  ${c.meta.id.padEnd(width)}  ${c.meta.recommended.padEnd(5)}  ${c.meta.title}${origin !== 'built-in' ? `  [${origin}]` : ''}\n`);
    }
  }
  return 0;
}

export async function explainCheck(id: string, opts: { config?: string }): Promise<number> {
  const loaded = loadConfig(opts.config);
  const registry = await loadRegistry(loaded.config.plugins, loaded.dir);
  const check = registry.checks.find((c) => c.meta.id === id);
  if (!check) {
    const s = suggest(id, registry.checks.map((c) => c.meta.id));
    throw new UsageError(`no check "${id}"`, s ? `did you mean "${s}"?` : 'run `mmgate checks` for the list');
  }
  const m = check.meta;
  const options = z.toJSONSchema(check.options, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, { description?: string; default?: unknown; type?: unknown }> };
  const lines = [
    `${m.id}  (${PHASE_COMMAND[m.phase]}, recommended: ${m.recommended})`,
    '',
    `  passes as:  ${m.title}`,
    `  fails as:   ${m.failureTitle}`,
    '',
    ...wrap(m.description, 76).map((l) => `  ${l}`),
    '',
    `  needs:      ${m.requires.join(', ') || '(nothing)'}${m.optional?.length ? `; reads if present: ${m.optional.join(', ')}` : ''}${m.baseline?.length ? `; compares with preflight's ${m.baseline.join(', ')}` : ''}`,
  ];
  const props = Object.entries(options.properties ?? {});
  lines.push('', props.length ? '  options (checks.<id>: [level, {options}]):' : '  options: none');
  for (const [k, v] of props) lines.push(`    ${k}${v.default !== undefined ? ` = ${JSON.stringify(v.default)}` : ''}${v.description ? `  — ${v.description}` : ''}`);
  lines.push('', `  configure: checks: { ${m.id}: error | warn | off }`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + word.length + 1 > width) { out.push(line); line = word; } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}

export async function validateConfig(file: string | undefined): Promise<number> {
  const path = findConfig(file);
  if (!path) throw new UsageError('no config file: none given and no ./mmgate.yaml', 'pass the file: mmgate config validate path/to/mmgate.yaml');
  const loaded = loadConfig(path);
  const registry = await loadRegistry(loaded.config.plugins, loaded.dir);
  resolveCheckOptions(loaded.config, registry.checks, path);
  // Masked twice over: every value read from ${env:}/${file:} and any field named like a secret.
  const shown = loaded.redactor.redactDeep(loaded.config, { maskSecretNames: true });
  process.stdout.write(`# ${path}: valid (${registry.checks.length} checks known)\n${stringify(shown)}`);
  return 0;
}

export async function printSchema(): Promise<number> {
  process.stdout.write(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
  return 0;
}
