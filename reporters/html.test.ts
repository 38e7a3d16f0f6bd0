import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Snapshot } from '../core/types.js';
import { blockedPreflight, nastyReport, promotedVerify } from './fixtures.js';
import { htmlDetails } from './html-data.js';
import { esc, renderHtml, timelineSvg } from './html.js';

const empty = { details: { pods: [], timeline: [], probes: [], screenshots: [] }, images: new Map<string, string>(), history: [] };

describe('renderHtml', () => {
  it('puts the verdict first and each blocking check with measured, expected and fix', () => {
    const html = renderHtml(blockedPreflight(), empty);
    const verdictAt = html.indexOf('<header class="verdict blocked">');
    assert.ok(verdictAt > 0 && verdictAt < html.indexOf('<h2'), 'the verdict comes before every section');
    const blocking = html.slice(html.indexOf('id="h-blocking"'), html.indexOf('id="h-checks"'));
    for (const id of blockedPreflight().verdict.blocking) assert.match(blocking, new RegExp(`</span> ${id}:`));
    assert.match(blocking, /<dt>Measured<\/dt><dd>74h old<\/dd><dt>Expected<\/dt><dd>≤ 24h old<\/dd><dt>Fix<\/dt><dd>Take a backup now/);
  });

  it('escapes whatever the cluster said: no markup, no script, no control characters', () => {
    const html = renderHtml(nastyReport(), empty);
    assert.doesNotMatch(html, /<script>|<b & c>/);
    assert.match(html, /&lt;script&gt;x&lt;\/script&gt;/);
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(html, /[\u0000-\u0008\u001b]/);
  });

  it('says promote in green when it promotes, and loads nothing from outside the file', () => {
    const html = renderHtml(promotedVerify(), empty);
    assert.match(html, /<header class="verdict promote"><h1>✔ /);
    assert.doesNotMatch(html, /<script|<link|src="http|url\(/);
  });

  it('esc leaves no character that could open markup', () => {
    assert.equal(esc('<a href="x">\'&'), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;');
  });
});

describe('pods, timeline and screenshots from the snapshot', () => {
  const snapshot = {
    meta: {} as Snapshot['meta'],
    data: {
      serverPings: { pods: [
        { pod: 'mm-a', namespace: 'mattermost', podReady: true, status: 'OK', databaseStatus: 'OK', filestoreStatus: 'OK', version: { version: '11.7.1', currentVersion: '11.7.1', buildNumber: '1' }, latencyMs: 12 },
        { pod: 'mm-b', namespace: 'mattermost', podReady: false, error: { code: 'TIMEOUT', message: 'no answer in 15s' } },
      ], jobServerPods: [] },
      smokeJourney: { postReads: [{ via: 'front-door', ok: true }, { via: 'mm-a', ok: true }, { via: 'mm-b', ok: false }], fileDownloads: [{ via: 'mm-a', ok: false }] },
      rolloutWatch: {
        samples: [
          { elapsedMs: 0, readyPods: 3, pods: 3, versions: { '10.11.4': 3 } },
          { elapsedMs: 500, readyPods: 2, pods: 4, versions: { '10.11.4': 2 } },
          { elapsedMs: 1000, readyPods: 3, pods: 3, versions: { '11.7.1': 3 } },
        ],
        probes: [{ t: 0, ok: true }, { t: 100, ok: false, status: 503 }, { t: 200, ok: false, stalled: true }, { t: 300, ok: true }],
      },
      browserJourney: { enabled: true, journeys: [{ title: 'login', attachments: [{ name: 'screenshot', path: '/r/failure.png', contentType: 'image/png' }, { name: 'ctx', path: '/r/ctx.md', contentType: 'text/markdown' }] }] },
    },
  } as unknown as Snapshot;
  const details = htmlDetails(snapshot);

  it('gives one row per pod with its version, health and what the journeys saw through it', () => {
    assert.deepEqual(details.pods, [
      { pod: 'mm-a', ready: true, version: '11.7.1', status: 'OK', database: 'OK', filestore: 'OK', latencyMs: 12, postRead: true, fileDownload: false },
      { pod: 'mm-b', ready: false, error: 'no answer in 15s', postRead: false },
    ]);
  });

  it('charts the rollout: a tick per probe, red where it failed, version labels where they change', () => {
    const svg = timelineSvg(details.timeline, details.probes, [{ startMs: 100, endMs: 200, durationMs: 100, failedProbes: 1, answers: ['503×1'] } as never]);
    assert.equal((svg.match(/<rect [^>]*fill="#a4001d"/g) ?? []).length, 1);
    assert.equal((svg.match(/<rect [^>]*fill="#1b5e20"/g) ?? []).length, 2);
    assert.equal((svg.match(/<rect [^>]*fill="#9e9e9e"/g) ?? []).length, 1, 'a stalled probe is neither');
    assert.match(svg, /10\.11\.4×3/);
    assert.match(svg, /11\.7\.1×3/);
    assert.match(svg, /4 front-door probes, 1 failed; 3 rollout reads, ready pods from 3 to 3/);
    assert.match(svg, /<li>outage at \+100ms for 100ms: 1 failed probes \(503×1\)<\/li>/);
  });

  it('embeds only PNG screenshots, and names one it could not embed', () => {
    assert.deepEqual(details.screenshots, [{ journey: 'login', name: 'screenshot', path: '/r/failure.png' }]);
    const html = renderHtml(blockedPreflight(), { ...empty, details });
    assert.match(html, /\(not embedded: \/r\/failure\.png\)/);
    const withImage = renderHtml(blockedPreflight(), { ...empty, details, images: new Map([['/r/failure.png', 'data:image/png;base64,AAAA']]) });
    assert.match(withImage, /<img src="data:image\/png;base64,AAAA" alt="Screenshot of the browser journey login: screenshot">/);
  });

  it('a snapshot key that is a collect error draws nothing, and no snapshot draws nothing', () => {
    const failed = htmlDetails({ meta: {} as Snapshot['meta'], data: { serverPings: { $collectError: true, key: 'serverPings', code: 'TIMEOUT', message: 'x' } } } as unknown as Snapshot);
    assert.deepEqual(failed.pods, []);
    assert.deepEqual(htmlDetails(undefined), { pods: [], timeline: [], probes: [], screenshots: [] });
  });
});
