/**
 * Building blocks of the server-side printers (a port of pkg/printers/internalversion/printers.go):
 * column definitions, the row type, and the formatting helpers the real printers share.
 */
import type { KubeObject } from './types.js';

/** metav1.TableColumnDefinition: every field is always serialised (no omitempty). */
export interface TableColumn {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export interface RowCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface PrintedRow {
  cells: unknown[];
  conditions?: RowCondition[];
}

export interface Printer {
  columns: TableColumn[];
  print(obj: KubeObject, now: Date): PrintedRow;
}

/** ObjectMeta swagger docs, which the real Name and Age columns carry as descriptions. */
export const NAME_DOC =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of a name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';
export const CREATION_DOC =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

export function col(name: string, description: string, opts: { type?: string; priority?: number; format?: string } = {}): TableColumn {
  return { name, type: opts.type ?? 'string', format: opts.format ?? '', description, priority: opts.priority ?? 0 };
}
export const nameCol = (): TableColumn => col('Name', NAME_DOC, { format: 'name' });
export const ageCol = (): TableColumn => col('Age', CREATION_DOC);
export const wide = (name: string, description: string): TableColumn => col(name, description, { priority: 1 });

export interface Container {
  name: string;
  image?: string;
  ports?: { containerPort: number }[];
  restartPolicy?: string;
}

/** layoutContainerCells: names and images, comma-joined. */
export function containerCells(containers: Container[] | undefined): [string, string] {
  const cs = containers ?? [];
  return [cs.map((c) => c.name).join(','), cs.map((c) => c.image ?? '').join(',')];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** metav1.LabelSelectorAsSelector(s).String(): requirements sorted by key, values sorted. */
export function selectorString(s: LabelSelector | undefined): string {
  if (!s) return '';
  const reqs: [string, string][] = Object.entries(s.matchLabels ?? {}).map(([k, v]) => [k, `${k}=${v}`]);
  for (const e of s.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort().join(',');
    const text =
      e.operator === 'In' ? `${e.key} in (${values})`
      : e.operator === 'NotIn' ? `${e.key} notin (${values})`
      : e.operator === 'Exists' ? e.key
      : `!${e.key}`;
    reqs.push([e.key, text]);
  }
  return reqs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map((r) => r[1]).join(',');
}

/** metav1.FormatLabelSelector: as selectorString, `<none>` when empty. */
export const formatLabelSelector = (s: LabelSelector | undefined): string => selectorString(s) || '<none>';

/** labels.FormatLabels: sorted k=v pairs, `<none>` when empty. */
export function formatLabels(m: Record<string, string> | undefined): string {
  const keys = Object.keys(m ?? {}).sort();
  return keys.length ? keys.map((k) => `${k}=${m![k]}`).join(',') : '<none>';
}

/** printBoolPtr. */
export const boolPtr = (v: boolean | undefined): string => (v === undefined ? '<unset>' : v ? 'True' : 'False');

/** Typed view of an object: the printers read the fields they know, all optional. */
export const as = <T>(obj: KubeObject): T & KubeObject => obj as T & KubeObject;
