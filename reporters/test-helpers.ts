/**
 * Helpers shared by the reporter tests: external validators (xmllint, promtool), a strict parser
 * of the Prometheus text format, a stream that records what is written, temp dirs.
 */
import { spawnSync } from 'node:child_process';
import { Writable } from 'node:stream';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tempDirSync } from '../test/temp.js';
import { requireTool } from '../test/tools.js';

export { requireTool };

/** The JUnit XSD in the shared reference beside the checkout (dist/reporters/ → ../../../shared). */
export const JUNIT_XSD = fileURLToPath(new URL('../../../shared/reference/junit/junit-10.xsd', import.meta.url));

/** xmllint and the XSD, or undefined (skipped) when either is missing. */
export function junitValidator(t: TestContext): ((file: string) => { status: number | null; stderr: string }) | undefined {
  const xmllint = requireTool(t, '/usr/bin/xmllint', 'Debian package libxml2-utils');
  const xsd = xmllint && requireTool(t, JUNIT_XSD, 'the shared reference folder ../shared/reference');
  if (!xmllint || !xsd) return undefined;
  return (file) => run(xmllint, ['--noout', '--schema', xsd, file]);
}

export function run(cmd: string, args: readonly string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { input, encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A temp dir, removed when the test file's process exits. */
export const tempDir = async (prefix = 'mmgate-reporters-'): Promise<string> => tempDirSync(prefix);

/** A writable stream that keeps everything written to it. */
export class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    this.text += chunk.toString();
    done();
  }
}

export interface Sample { readonly name: string; readonly labels: Readonly<Record<string, string>>; readonly value: number }

const METRIC = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * Parses the Prometheus text exposition format (0.0.4) strictly: names, label syntax and escapes,
 * float values, every sample under a TYPE line, no duplicate series. Throws on the first violation
 * with its line number.
 */
export function parsePrometheusText(text: string): Sample[] {
  const samples: Sample[] = [];
  const typed = new Map<string, string>();
  const seen = new Set<string>();
  text.split('\n').forEach((line, i) => {
    const fail = (why: string): never => { throw new Error(`line ${i + 1}: ${why}: ${line}`); };
    if (line === '') return;
    if (line.startsWith('#')) {
      const m = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
      if (!m) return; // a plain comment
      if (!METRIC.test(m[2] ?? '')) fail('bad metric name');
      if (m[1] === 'TYPE') {
        if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(m[3] ?? '')) fail('bad type');
        typed.set(m[2] ?? '', m[3] ?? '');
      }
      return;
    }
    const nameMatch = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line);
    if (!nameMatch) fail('no metric name');
    const name = nameMatch?.[0] ?? '';
    let pos = name.length;
    const labels: Record<string, string> = {};
    if (line[pos] === '{') {
      pos++;
      while (line[pos] !== '}') {
        const ln = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(line.slice(pos));
        if (!ln || !LABEL.test(ln[0])) fail('bad label name');
        const key = ln?.[0] ?? '';
        pos += key.length;
        if (line.slice(pos, pos + 2) !== '="') fail('expected ="');
        pos += 2;
        let value = '';
        for (;;) {
          const ch = line[pos];
          if (ch === undefined) fail('unterminated label value');
          if (ch === '"') { pos++; break; }
          if (ch === '\\') {
            const next = line[pos + 1];
            if (next === 'n') value += '\n';
            else if (next === '\\' || next === '"') value += next;
            else fail('bad escape in label value');
            pos += 2;
            continue;
          }
          value += ch;
          pos++;
        }
        if (key in labels) fail(`duplicate label ${key}`);
        labels[key] = value;
        if (line[pos] === ',') pos++;
        else if (line[pos] !== '}') fail('expected , or }');
      }
      pos++;
    }
    const rest = line.slice(pos);
    const vm = /^ (\S+)(?: (-?\d+))?$/.exec(rest);
    if (!vm) fail('expected one space, a value and an optional timestamp');
    const raw = vm?.[1] ?? '';
    const value = raw === '+Inf' ? Infinity : raw === '-Inf' ? -Infinity : raw === 'NaN' ? NaN : Number(raw);
    if (Number.isNaN(value) && raw !== 'NaN') fail('value is not a float');
    // Histograms and summaries expose their family's TYPE on _sum/_count/_bucket series.
    const family = /^(.*)_(sum|count|bucket)$/.exec(name)?.[1];
    const known = typed.has(name) || (family !== undefined && ['summary', 'histogram'].includes(typed.get(family) ?? ''));
    if (!known) fail('sample without a TYPE line');
    const key = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
    if (seen.has(key)) fail('duplicate series');
    seen.add(key);
    samples.push({ name, labels, value });
  });
  return samples;
}

/** The value of the one sample matching name and labels (a subset), or undefined. */
export function sampleValue(samples: readonly Sample[], name: string, labels: Record<string, string>): number | undefined {
  const hits = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (hits.length > 1) throw new Error(`${hits.length} samples match ${name} ${JSON.stringify(labels)}`);
  return hits[0]?.value;
}
