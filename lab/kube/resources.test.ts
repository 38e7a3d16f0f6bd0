import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RESOURCES } from './resources.js';
import { readCrds } from './test-support.js';

describe('static resource table against the real CRDs', () => {
  it('finds both operator CRDs', () => {
    assert.deepEqual(readCrds().map((c) => c.spec.names.kind).sort(), ['ClusterInstallation', 'Mattermost']);
  });

  for (const kind of ['Mattermost', 'ClusterInstallation']) {
    it(`${kind}: group, version, names, scope and printer columns match`, () => {
      const crd = readCrds().find((c) => c.spec.names.kind === kind)!;
      for (const v of crd.spec.versions.filter((x) => x.served)) {
        const r = RESOURCES.find((x) => x.group === crd.spec.group && x.version === v.name);
        assert.ok(r, `${crd.spec.group}/${v.name} is missing from resources.ts`);
        assert.equal(r.kind, crd.spec.names.kind);
        assert.equal(r.plural, crd.spec.names.plural);
        assert.equal(r.singular, crd.spec.names.singular);
        assert.deepEqual(r.shortNames ?? [], crd.spec.names.shortNames ?? []);
        assert.equal(r.namespaced, crd.spec.scope === 'Namespaced');
        assert.equal(r.custom, true);
        assert.deepEqual(r.printerColumns, v.additionalPrinterColumns ?? [], 'printer columns, in order, with the same fields');
      }
    });
  }
});
