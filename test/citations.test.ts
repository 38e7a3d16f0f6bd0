/**
 * Comments and docs cite only what a reader of this repository can open: its docs/ and README, or
 * the upstream source (a Mattermost or operator file URL, a Mattermost docs page). Notes kept
 * beside the checkout during development (a facts sheet, a design note, an issue tracker's
 * numbers) are not shipped, so a citation of them points nowhere. Code that reads reference data
 * from beside the checkout at test time (the OpenAPI spec, the operator's CRDs) is not a citation.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** A citation of a document outside the repository: the facts sheet, the design note, the other reference notes, or a bare issue number. */
const OUTSIDE_CITATION = /mattermost-facts|\bfacts §|\bDESIGN(\.md)?\b|kube-simulator-notes|architecture-anchors|\bpeers\.md|shared\/reference\/[\w-]+\.md|\b[Ii]ssues? #?\d+\b/;

function trackedTextFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return out.split('\0').filter((f) => f && f !== 'package-lock.json' && f !== 'test/citations.test.ts');
}

describe('citations point inside the repository or upstream', () => {
  it('the pattern finds outside citations and leaves upstream ones alone', () => {
    for (const s of ['(mattermost-facts §3.8)', 'facts §1.1: version', 'Mapping (DESIGN §3)', '(issue 9)', 'issue 8 adds it', 'see ../shared/reference/peers.md', 'shared/reference/kube-simulator-notes.md']) {
      assert.match(s, OUTSIDE_CITATION, s);
    }
    for (const s of ['https://github.com/mattermost/mattermost-operator/blob/v1.25.9/pkg/resources/update_job.go', 'mattermost/mattermost#6523', '(docs/strategies.md, Blue/green)', 'read from `../shared/reference/mattermost-operator/crds/`', 'the issue with it', 'the design of the lab']) {
      assert.doesNotMatch(s, OUTSIDE_CITATION, s);
    }
  });

  it('no tracked text file cites one', () => {
    const hits: string[] = [];
    for (const file of trackedTextFiles()) {
      const buf = readFileSync(join(root, file));
      if (buf.includes(0)) continue; // binary
      buf.toString('utf8').split('\n').forEach((line, i) => {
        const m = OUTSIDE_CITATION.exec(line);
        if (m) hits.push(`${file}:${i + 1}: ${m[0]}`);
      });
    }
    assert.deepEqual(hits, [], 'cite docs/ or README of this repository, or the upstream source (file URL, docs page)');
  });
});
