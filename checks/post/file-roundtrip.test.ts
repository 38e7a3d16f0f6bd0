import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCheck } from '../../core/testing.js';
import { collectError, journey, SHA } from '../../test/fixtures/post-upgrade.js';
import check from './file-roundtrip.js';

describe('file-roundtrip', () => {
  it('passes when the file comes back intact everywhere and is deleted', async () => {
    const r = await runCheck(check, { data: { smokeJourney: journey() } });
    assert.equal(r.status, 'pass');
    assert.equal(r.measured?.['bytes'], 65536);
    assert.equal(r.measured?.['downloads'], 3);
    assert.equal(r.measured?.['leftovers'], 0);
    assert.equal(r.measured?.['uploadMs'], 20);
    assert.equal(r.summary, '65536 bytes uploaded, downloaded intact through 3 doors, deleted');
  });

  it('with one ready pod, the front door alone is enough', async () => {
    const r = await runCheck(check, { data: { smokeJourney: journey({ readyPods: ['mm-a'], fileDownloads: [{ via: 'front-door', ok: true, sha256: SHA, size: 65536 }] }) } });
    assert.equal(r.status, 'pass', JSON.stringify(r.findings));
  });

  it('fails on a corrupted download and shows both hashes', async () => {
    const bad = 'f'.repeat(64);
    const r = await runCheck(check, { data: { smokeJourney: journey({
      failStep: { name: 'file.download', step: { error: { code: 'MISMATCH', status: 200, message: 'download failed through front-door' } } },
      fileDownloads: [{ via: 'front-door', ok: false, sha256: bad, size: 65536, error: { code: 'MISMATCH', status: 200, message: 'differs' } }],
    }) } });
    assert.equal(r.status, 'fail');
    const f = r.findings.find((x) => /front door is not the one uploaded/.test(x.message));
    assert.equal(f?.expected, `65536 bytes, SHA-256 ${SHA}`);
    assert.equal(f?.actual, `65536 bytes, SHA-256 ${bad}`);
    assert.deepEqual(f?.subject, { kind: 'Mattermost', namespace: 'mattermost', name: 'mm' });
  });

  it('fails on a corrupted download through one pod, naming that pod, even when the front door is intact', async () => {
    const bad = 'a'.repeat(64);
    const r = await runCheck(check, { data: { smokeJourney: journey({
      fileDownloads: [{ via: 'front-door', ok: true, sha256: SHA, size: 65536 }, { via: 'mm-a', ok: true, sha256: SHA, size: 65536 }, { via: 'mm-b', ok: false, sha256: bad, size: 1024 }],
    }) } });
    assert.equal(r.status, 'fail');
    assert.equal(r.findings.length, 1);
    assert.equal(r.findings[0]?.message, 'the file downloaded through pod mm-b is not the one uploaded');
    assert.deepEqual(r.findings[0]?.subject, { kind: 'Pod', namespace: 'mattermost', name: 'mm-b' });
    assert.equal(r.findings[0]?.actual, `1024 bytes, SHA-256 ${bad}`);
  });

  it('fails when uploads are disabled', async () => {
    const j = journey({ failStep: { name: 'file.upload', step: { error: { code: 'HTTP_501', status: 501, id: 'api.file.attachments.disabled.app_error', message: 'File attachments have been disabled on this server.' } } } });
    const r = await runCheck(check, { data: { smokeJourney: { ...j, steps: j.steps.map((s) => (['file.attach', 'file.download', 'file.delete'].includes(s.name) ? { name: s.name, ok: false, skipped: 'file.upload failed' } : s)), fileDownloads: [] } } });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]?.actual ?? '', /HTTP 501/);
    assert.match(r.findings[0]?.remediation ?? '', /EnableFileAttachments/);
    assert.ok(!r.findings.some((f) => /pods are ready/.test(f.message)), 'no download was tried, so none was missed through the pods');
  });

  it('fails and names a leftover file', async () => {
    const left = { kind: 'file' as const, id: 'f'.repeat(26), part: 'file' as const, deleted: false, error: { code: 'NOT_DELETED', message: 'its post could not be deleted' } };
    const r = await runCheck(check, { data: { smokeJourney: journey({ leftovers: [left] }) } });
    assert.equal(r.status, 'fail');
    assert.equal(r.findings[0]?.subject?.kind, 'File');
    assert.equal(r.findings[0]?.subject?.name, left.id);
    assert.equal(r.measured?.['leftovers'], 1);
    const post = await runCheck(check, { data: { smokeJourney: journey({ leftovers: [{ ...left, kind: 'post', part: 'post' }] }) } });
    assert.equal(post.measured?.['leftovers'], 0, 'a leftover post is post-roundtrip\'s to report');
  });

  it('is error NO_POD_READS when HA but not downloaded through a pod: it could not look there', async () => {
    const r = await runCheck(check, { data: { smokeJourney: journey({ fileDownloads: [{ via: 'front-door', ok: true, sha256: SHA, size: 65536 }] }) } });
    assert.equal(r.status, 'error');
    assert.equal(r.error?.code, 'NO_POD_READS');
    assert.equal(r.findings[0]?.message, '2 pods are ready but the file was not downloaded through any of them');
    assert.equal(r.findings[0]?.actual, 'front door only');
  });

  it('a download the pod proxy refused is error with its code naming the pod; a wrong file on another pod fails beside it', async () => {
    const refused = { via: 'mm-a', ok: false, error: { code: 'PROXY_ERROR', status: 502, message: 'the API server could not reach pod mm-a (502): dial tcp: i/o timeout' } };
    const r = await runCheck(check, { data: { smokeJourney: journey({
      failStep: { name: 'file.download', step: { error: { code: 'PROXY_ERROR', status: 502, message: 'download failed through mm-a' } } },
      fileDownloads: [{ via: 'front-door', ok: true, sha256: SHA, size: 65536 }, refused],
    }) } });
    assert.equal(r.status, 'error');
    assert.deepEqual(r.error, { code: 'PROXY_ERROR', message: 'could not look at Pod mm-a (PROXY_ERROR)' });
    assert.equal(r.findings.length, 1, 'the failed step is told by the download, once');
    const f = r.findings[0]!;
    assert.deepEqual(f.subject, { kind: 'Pod', namespace: 'mattermost', name: 'mm-a' });
    assert.match(f.message, /could not be downloaded through pod mm-a: HTTP 502/);
    assert.equal(f.actual, 'PROXY_ERROR');
    assert.match(f.remediation ?? '', /describe pod mm-a/);
    const mixed = await runCheck(check, { data: { smokeJourney: journey({
      failStep: { name: 'file.download', step: { error: { code: 'MISMATCH', status: 200, message: 'differs' } } },
      fileDownloads: [{ via: 'front-door', ok: true, sha256: SHA, size: 65536 }, refused, { via: 'mm-b', ok: false, sha256: 'f'.repeat(64), size: 1024 }],
    }) } });
    assert.equal(mixed.status, 'fail');
    assert.deepEqual(mixed.findings.map((x) => x.subject?.name), ['mm-b', 'mm-a']);
    assert.equal(mixed.error?.code, 'PROXY_ERROR');
  });

  it('reports a failed delete beside a bad download: the download says which door, the step what else failed', async () => {
    const j = journey({
      failStep: { name: 'file.delete', step: { error: { code: 'HTTP_500', status: 500, message: 'store unreachable' } } },
      fileDownloads: [{ via: 'front-door', ok: true, sha256: SHA, size: 65536 }, { via: 'mm-a', ok: true, sha256: SHA, size: 65536 }, { via: 'mm-b', ok: false, sha256: 'b'.repeat(64), size: 10 }],
    });
    const r = await runCheck(check, { data: { smokeJourney: j } });
    assert.equal(r.status, 'fail');
    assert.deepEqual(r.findings.map((f) => f.message), ['deleting the post and its attachment failed', 'the file downloaded through pod mm-b is not the one uploaded']);
    assert.equal(r.summary, 'file round trip failed');
  });

  it('fails, not errors, when the front door gave no answer: that is the users\' way in', async () => {
    const r = await runCheck(check, { data: { smokeJourney: journey({
      fileDownloads: [{ via: 'front-door', ok: false, error: { code: 'TIMEOUT', message: 'no answer in 10s' } }, { via: 'mm-a', ok: true, sha256: SHA, size: 65536 }],
    }) } });
    assert.equal(r.status, 'fail');
    const f = r.findings.find((x) => /front door/.test(x.message));
    assert.equal(f?.actual, 'TIMEOUT: no answer in 10s');
  });

  it('a pod download with no answer recorded, or refused by RBAC, is could-not-look with what to grant', async () => {
    const r = await runCheck(check, { data: { smokeJourney: journey({
      fileDownloads: [{ via: 'front-door', ok: true, sha256: SHA, size: 65536 }, { via: 'mm-a', ok: false }, { via: 'mm-b', ok: false, error: { code: 'FORBIDDEN', status: 403, message: 'pods "mm-b" is forbidden' } }],
    }) } });
    assert.equal(r.status, 'error');
    assert.equal(r.error?.code, 'NO_ANSWER');
    assert.equal(r.summary, 'file round trip failed');
    const [a, b] = r.findings;
    assert.equal(a?.message, 'the file could not be downloaded through pod mm-a: no answer recorded');
    assert.equal(a?.actual, 'no answer');
    assert.match(a?.remediation ?? '', /describe pod mm-a/);
    assert.equal(b?.actual, 'FORBIDDEN');
    assert.equal(b?.remediation, 'grant mmgate "get" on pods/proxy (docs/rbac.yaml)');
  });

  it('says ? bytes when the journey did not record the upload', async () => {
    const { upload: _, ...j } = journey();
    const r = await runCheck(check, { data: { smokeJourney: j } });
    assert.equal(r.summary, '? bytes uploaded, downloaded intact through 3 doors, deleted');
    assert.equal(r.measured?.['bytes'], 0);
  });

  it('errors without a journey', async () => {
    const r = await runCheck(check, { data: { smokeJourney: collectError('smokeJourney') } });
    assert.equal(r.status, 'error');
    assert.match(r.error?.message ?? '', /smokeJourney: boom/);
  });
});
