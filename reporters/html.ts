/**
 * `<name>.html`: one self-contained page (inline CSS and SVG, images as data: URIs, no script, no
 * network) that works from a CI artefact or a file:// URL. The verdict first, then what blocks with
 * measured vs expected and the fix, then every other check folded, the per-pod matrix, the watch
 * timeline, the browser screenshots and the recent runs. Every text is escaped; the report and the
 * snapshot it reads are already redacted.
 */
import { readFile } from 'node:fs/promises';
import { formatDuration } from '../core/duration.js';
import type { HistoryEntry } from '../core/history.js';
import type { CheckResult, Outage, ResultStatus, RunReport } from '../core/types.js';
import { htmlDetails, type HtmlDetails, type PodRow, type ProbePoint, type TimelinePoint } from './html-data.js';
import { EVIDENCE_LINES, STATUS_SYMBOL, STATUS_WORD, countsText, measuredText, needsAttention, phaseName, scopeLine, stripAnsi, subjectText } from './text.js';
import type { ReportContext, Reporter } from './types.js';
import { writeReportFile } from './write.js';

export interface HtmlInput {
  readonly details: HtmlDetails;
  /** Screenshot bytes as data: URIs, by path. */
  readonly images: ReadonlyMap<string, string>;
  readonly history: readonly HistoryEntry[];
}

/** A screenshot larger than this is linked by name, not embedded (the page must stay openable). */
const MAX_IMAGE_BYTES = 2 * 1024 * 1024;
const MAX_IMAGES = 8;
const HISTORY_ROWS = 10;

export const esc = (s: unknown): string => stripAnsi(String(s))
  // eslint-disable-next-line no-control-regex
  .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '')
  .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const CSS = `
:root{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#fff;line-height:1.45}
main{max-width:1100px;margin:0 auto;padding:1rem 1.5rem 3rem}
h1{font-size:1.6rem;margin:0}h2{font-size:1.2rem;margin:2rem 0 .6rem;border-bottom:1px solid #ccc;padding-bottom:.2rem}h3{font-size:1rem;margin:0 0 .4rem}
.verdict{padding:1rem 1.25rem;border-radius:6px;color:#fff}.verdict p{margin:.3rem 0 0}
.promote{background:#1b5e20}.blocked{background:#a4001d}.harness{background:#5b2a86}
.check{border:1px solid #ccc;border-left:6px solid #a4001d;border-radius:4px;padding:.7rem 1rem;margin:.7rem 0}
.check.error{border-left-color:#5b2a86}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.15rem .8rem;margin:.4rem 0}dt{font-weight:600}dd{margin:0}
pre{background:#f3f3f3;padding:.5rem;overflow-x:auto;white-space:pre-wrap;word-break:break-all;font-size:.85rem}
details{border-bottom:1px solid #e2e2e2;padding:.35rem 0}summary{cursor:pointer}
.s-pass{color:#1b5e20}.s-warn{color:#7a4d00}.s-fail{color:#a4001d}.s-error{color:#5b2a86}.s-not-applicable,.s-skipped{color:#555}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left}th{background:#f0f0f0}
.ok{color:#1b5e20}.bad{color:#a4001d;font-weight:600}
figure{margin:.7rem 0}figure img{max-width:100%;border:1px solid #ccc}
footer{margin-top:2rem;color:#444;font-size:.85rem}
`;

function verdictBlock(r: RunReport): string {
  const v = r.verdict;
  const cls = v.promote ? 'promote' : v.exitCode === 3 ? 'harness' : 'blocked';
  const mark = v.promote ? '✔' : v.exitCode === 3 ? '‼' : '✖';
  return `<header class="verdict ${cls}"><h1>${mark} ${esc(v.headline)}</h1>
<p>mmgate ${esc(phaseName(r))} · ${esc(scopeLine(r))}</p>
<p>${esc(countsText(r))} · ${esc(formatDuration(r.durationMs))} · exit ${v.exitCode}${r.partial ? ' · <strong>PARTIAL results</strong>' : ''}</p></header>`;
}

function findingsHtml(r: CheckResult): string {
  const parts = r.findings.map((f) => {
    const rows = [
      f.subject ? ['Subject', subjectText(f.subject)] : undefined,
      f.actual !== undefined ? ['Measured', f.actual] : undefined,
      f.expected !== undefined ? ['Expected', f.expected] : undefined,
      f.remediation ? ['Fix', f.remediation] : undefined,
    ].filter((x): x is string[] => x !== undefined);
    const evidence = f.evidence?.length ? `<pre>${esc(f.evidence.slice(0, EVIDENCE_LINES).join('\n'))}</pre>` : '';
    return `<p>${esc(f.message)}</p>${rows.length ? `<dl>${rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>` : ''}${evidence}`;
  });
  const error = r.error ? `<p><strong>${esc(r.error.code)}</strong>: ${esc(r.error.message)}</p>` : '';
  const measured = r.measured ? `<p>Measured: ${esc(measuredText(r.measured))}</p>` : '';
  return `${error}${parts.join('')}${measured}`;
}

const statusSpan = (s: ResultStatus): string => `<span class="s-${s}">${STATUS_SYMBOL[s]} ${STATUS_WORD[s]}</span>`;

function blockingSection(r: RunReport): string {
  const blocking = r.results.filter((x) => x.blocking);
  if (!blocking.length) return '';
  const items = blocking.map((x) => `<article class="check ${x.status === 'error' ? 'error' : ''}"><h3>${statusSpan(x.status)} ${esc(x.id)}: ${esc(x.title)}</h3>${findingsHtml(x)}</article>`);
  return `<section aria-labelledby="h-blocking"><h2 id="h-blocking">Blocking checks</h2>${items.join('')}</section>`;
}

function allChecks(r: RunReport): string {
  const rows = r.results.map((x) => {
    const why = x.reason ? ` — ${esc(x.reason)}` : '';
    const body = needsAttention(x) || x.findings.length || x.measured ? findingsHtml(x) : '';
    return `<details${needsAttention(x) && !x.blocking ? ' open' : ''}><summary>${statusSpan(x.status)} <strong>${esc(x.id)}</strong> ${esc(x.title)} <small>(level ${esc(x.level)}, ${esc(formatDuration(x.durationMs))})</small>${why}</summary>${body}<p><small>${esc(x.description)}</small></p></details>`;
  });
  return `<section aria-labelledby="h-checks"><h2 id="h-checks">All checks</h2>${rows.join('') || '<p>No checks ran.</p>'}</section>`;
}

const yesNo = (v: boolean | undefined): string => (v === undefined ? '—' : v ? '<span class="ok">✔ yes</span>' : '<span class="bad">✖ no</span>');

function podMatrix(pods: readonly PodRow[]): string {
  if (!pods.length) return '';
  const head = ['Pod', 'Ready', 'Version', 'Health', 'Database', 'File store', 'Latency', 'Post read', 'File download'];
  const rows = pods.map((p) => `<tr><th scope="row">${esc(p.pod)}</th><td>${yesNo(p.ready)}</td><td>${esc(p.version ?? '—')}</td><td>${p.error ? `<span class="bad">${esc(p.error)}</span>` : esc(p.status ?? '—')}</td><td>${esc(p.database ?? '—')}</td><td>${esc(p.filestore ?? '—')}</td><td>${p.latencyMs !== undefined ? `${p.latencyMs} ms` : '—'}</td><td>${yesNo(p.postRead)}</td><td>${yesNo(p.fileDownload)}</td></tr>`);
  return `<section aria-labelledby="h-pods"><h2 id="h-pods">Pods</h2><table><thead><tr>${head.map((h) => `<th scope="col">${h}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

/**
 * The rollout as an inline SVG: ready pods as a line (from the rollout reads), every front-door
 * probe as a tick (green answered, red failed, grey where mmgate itself stalled), the versions
 * written where they change; the outages listed under it.
 */
export function timelineSvg(points: readonly TimelinePoint[], probes: readonly ProbePoint[], outages: readonly Outage[] = []): string {
  if (!points.length && !probes.length) return '';
  const W = 900; const H = 180; const left = 40; const bottom = 150;
  const maxT = Math.max(1, ...points.map((p) => p.elapsedMs), ...probes.map((p) => p.t));
  const maxPods = Math.max(1, ...points.map((p) => Math.max(p.pods, p.readyPods)));
  const x = (t: number): number => left + (t / maxT) * (W - left - 10);
  const y = (n: number): number => bottom - (n / maxPods) * (bottom - 20);
  const line = points.map((p, i) => `${i ? 'L' : 'M'}${x(p.elapsedMs).toFixed(1)},${y(p.readyPods).toFixed(1)}`).join(' ');
  const ticks = probes.map((p) => `<rect x="${x(p.t).toFixed(1)}" y="${bottom + 8}" width="2" height="14" fill="${p.stalled ? '#9e9e9e' : p.ok ? '#1b5e20' : '#a4001d'}"/>`).join('');
  const versionLabels = points.filter((p, i) => i === 0 || JSON.stringify(p.versions) !== JSON.stringify(points[i - 1]!.versions))
    .map((p) => `<text x="${x(p.elapsedMs).toFixed(1)}" y="14" font-size="10" fill="#333">${esc(Object.entries(p.versions).map(([v, n]) => `${v}×${n}`).join(' '))}</text>`).join('');
  const failed = probes.filter((p) => !p.ok && !p.stalled).length;
  const label = `Rollout over ${formatDuration(maxT)}: ${probes.length} front-door probes, ${failed} failed; ${points.length} rollout reads, ready pods from ${points[0]?.readyPods ?? '?'} to ${points.at(-1)?.readyPods ?? '?'}`;
  const list = outages.length ? `<ul>${outages.map((o) => `<li>outage at +${esc(formatDuration(o.startMs))} for ${esc(formatDuration(o.durationMs))}: ${o.failedProbes} failed probes (${esc(o.answers.join(', '))})</li>`).join('')}</ul>` : '';
  return `<section aria-labelledby="h-timeline"><h2 id="h-timeline">Rollout timeline</h2>
<svg role="img" aria-labelledby="svg-title" viewBox="0 0 ${W} ${H}" width="100%" xmlns="http://www.w3.org/2000/svg"><title id="svg-title">${esc(label)}</title>
<line x1="${left}" y1="${bottom}" x2="${W - 10}" y2="${bottom}" stroke="#888"/><text x="2" y="${y(maxPods) + 4}" font-size="10" fill="#333">${maxPods} pods</text><text x="2" y="${bottom + 20}" font-size="10" fill="#333">probes</text>
<path d="${line}" fill="none" stroke="#0d47a1" stroke-width="2"/>${ticks}${versionLabels}</svg><p>${esc(label)}.</p>${list}</section>`;
}

function screenshotsSection(input: HtmlInput): string {
  const shots = input.details.screenshots;
  if (!shots.length) return '';
  const figs = shots.map((s) => {
    const src = input.images.get(s.path);
    const caption = `${s.journey}: ${s.name}`;
    return `<figure>${src ? `<img src="${src}" alt="${esc(`Screenshot of the browser journey ${caption}`)}">` : `<p>(not embedded: ${esc(s.path)})</p>`}<figcaption>${esc(caption)}</figcaption></figure>`;
  });
  return `<section aria-labelledby="h-shots"><h2 id="h-shots">Browser screenshots</h2>${figs.join('')}</section>`;
}

function historySection(history: readonly HistoryEntry[]): string {
  if (!history.length) return '';
  const rows = [...history].sort((a, b) => b.at.localeCompare(a.at)).slice(0, HISTORY_ROWS).map((h) => `<tr><td>${esc(h.at)}</td><td>${esc(h.phase)}</td><td>${esc(h.installation)}</td><td>${esc(h.target ?? '—')}</td><td class="${h.verdict === 'promote' ? 'ok' : 'bad'}">${esc(h.verdict)}</td><td>${esc(formatDuration(h.durationMs))}</td><td>${esc(h.blocking.join(', ') || '—')}</td></tr>`);
  return `<section aria-labelledby="h-history"><h2 id="h-history">Recent runs</h2><table><thead><tr><th scope="col">Started</th><th scope="col">Phase</th><th scope="col">Installation</th><th scope="col">Target</th><th scope="col">Verdict</th><th scope="col">Took</th><th scope="col">Blocking</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

export function renderHtml(report: RunReport, input: HtmlInput): string {
  const notes = report.notes.length ? `<section aria-labelledby="h-notes"><h2 id="h-notes">Notes</h2><ul>${report.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul></section>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>mmgate ${esc(phaseName(report))}: ${esc(report.verdict.headline)}</title><style>${CSS}</style></head>
<body><main>
${verdictBlock(report)}
${blockingSection(report)}
${allChecks(report)}
${podMatrix(input.details.pods)}
${timelineSvg(input.details.timeline, input.details.probes, report.results.flatMap((r) => r.timeline?.outages ?? []))}
${screenshotsSection(input)}
${notes}
${historySection(input.history)}
<footer>mmgate ${esc(report.tool.version)} · started ${esc(report.startedAt)} · finished ${esc(report.finishedAt)} · report schema ${report.schemaVersion}</footer>
</main></body></html>
`;
}

async function embed(paths: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const p of paths.slice(0, MAX_IMAGES)) {
    try {
      const bytes = await readFile(p);
      if (bytes.length <= MAX_IMAGE_BYTES) out.set(p, `data:image/png;base64,${bytes.toString('base64')}`);
    } catch {
      // a screenshot pruned since: the caption says it was not embedded
    }
  }
  return out;
}

export class HtmlReporter implements Reporter {
  readonly name = 'html';
  async onRunEnd(report: RunReport, ctx: ReportContext): Promise<string[]> {
    const details = htmlDetails(ctx.snapshot);
    const images = await embed(details.screenshots.map((s) => s.path));
    return [await writeReportFile(ctx, '.html', renderHtml(report, { details, images, history: ctx.history ?? [] }))];
  }
}
