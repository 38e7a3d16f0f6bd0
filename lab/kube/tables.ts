/**
 * meta.k8s.io Tables, the server-side rendering kubectl asks for with `Accept: …;as=Table`.
 * Built-in kinds use the ported printers; custom resources use their CRD printer columns
 * (apiextensions tableconvertor); anything else gets the generic Name / Created At table.
 */
import { ageSince } from './duration.js';
import { APPS_PRINTERS } from './printers-apps.js';
import type { Printer, PrintedRow, TableColumn } from './printers-common.js';
import { CREATION_DOC, col, nameCol } from './printers-common.js';
import { CORE_PRINTERS } from './printers-core.js';
import type { PrinterColumn, ResourceType } from './resources.js';
import type { KubeObject } from './types.js';

export interface ListMeta {
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

/** The built-in printers, keyed by apiVersion/kind. */
const BUILT_IN: Record<string, Printer> = {
  ...prefixed('v1', CORE_PRINTERS),
  ...prefixed('apps/v1', pick(APPS_PRINTERS, 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet')),
  ...prefixed('batch/v1', pick(APPS_PRINTERS, 'Job', 'CronJob')),
  ...prefixed('networking.k8s.io/v1', pick(APPS_PRINTERS, 'Ingress')),
};

function prefixed(apiVersion: string, printers: Record<string, Printer>): Record<string, Printer> {
  return Object.fromEntries(Object.entries(printers).map(([kind, p]) => [`${apiVersion}/${kind}`, p]));
}
function pick(printers: Record<string, Printer>, ...kinds: string[]): Record<string, Printer> {
  return Object.fromEntries(kinds.map((k) => [k, printers[k]!]));
}

export function printerFor(resource: ResourceType): Printer {
  const apiVersion = resource.group ? `${resource.group}/${resource.version}` : resource.version;
  if (resource.custom) return crdPrinter(resource.printerColumns ?? []);
  return BUILT_IN[`${apiVersion}/${resource.kind}`] ?? DEFAULT_PRINTER;
}

/** rest.NewDefaultTableConvertor: what the API server renders for a kind without a printer (metrics, for one). */
const DEFAULT_PRINTER: Printer = {
  columns: [nameCol(), col('Created At', CREATION_DOC, { type: 'date' })],
  print: (o) => ({ cells: [o.metadata.name, o.metadata.creationTimestamp ?? '0001-01-01T00:00:00Z'] }),
};

/** apiextensions tableconvertor, with serveDefaultColumnsIfEmpty: Age only when the CRD defines no columns. */
export function crdPrinter(defined: PrinterColumn[]): Printer {
  const columns = defined.length ? defined : [{ name: 'Age', type: 'date' as const, jsonPath: '.metadata.creationTimestamp', description: CREATION_DOC }];
  return {
    columns: [
      nameCol(),
      ...columns.map((c): TableColumn => ({
        name: c.name,
        type: c.type,
        format: c.format ?? '',
        description: c.description || `Custom resource definition column (in JSONPath format): ${c.jsonPath}`,
        priority: c.priority ?? 0,
      })),
    ],
    print: (o, now) => ({ cells: [o.metadata.name, ...columns.map((c) => crdCell(c, lookup(o, c.jsonPath), now))] }),
  };
}

/** The tableconvertor's cell rules: missing → null, strings printed as JSONPath prints them, typed cells converted. */
function crdCell(c: PrinterColumn, value: unknown, now: Date): unknown {
  if (value === undefined || value === null) return null;
  switch (c.type) {
    case 'string':
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date':
      return typeof value === 'string' ? (Number.isNaN(Date.parse(value)) ? '<invalid>' : ageSince(value, now)) : null;
  }
}

/** The simple JSONPaths CRDs use: `.status.state`, `.spec.items[0].name`. */
export function lookup(obj: unknown, jsonPath: string): unknown {
  const parts = jsonPath.replace(/^\./, '').split(/\.|\[(\d+)\]/).filter((p) => p !== undefined && p !== '');
  let cur: unknown = obj;
  for (const p of parts) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

/** Table rows carry PartialObjectMetadata, which kubectl reads for NAMESPACE (-A), --show-labels and -L. */
function row(printed: PrintedRow, obj: KubeObject, tableVersion: string): Record<string, unknown> {
  const out: Record<string, unknown> = {
    cells: printed.cells,
    object: { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${tableVersion}`, metadata: obj.metadata },
  };
  if (printed.conditions) out.conditions = printed.conditions;
  return out;
}

export function buildTable(resource: ResourceType, objects: KubeObject[], meta: ListMeta, now: Date, tableVersion = 'v1'): Record<string, unknown> {
  const printer = printerFor(resource);
  const metadata: Record<string, unknown> = { resourceVersion: meta.resourceVersion };
  if (meta.continue) metadata.continue = meta.continue;
  if (meta.remainingItemCount !== undefined) metadata.remainingItemCount = meta.remainingItemCount;
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${tableVersion}`,
    metadata,
    columnDefinitions: printer.columns,
    rows: objects.map((o) => row(printer.print(o, now), o, tableVersion)),
  };
}
