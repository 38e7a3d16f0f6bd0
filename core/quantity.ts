/**
 * Kubernetes resource quantities ("250m", "1.5", "2Gi", "500M", "1e3", "250000000n") as numbers:
 * CPU in cores, memory in bytes.
 */
const SUFFIX: Record<string, number> = {
  n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

export function parseQuantity(q: string | number | undefined): number | undefined {
  if (q === undefined) return undefined;
  if (typeof q === 'number') return q;
  const m = /^([+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)(n|u|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/.exec(q.trim());
  if (!m) return undefined;
  return Number(m[1]) * (SUFFIX[m[2] ?? ''] ?? 1);
}

/** "1.25 cores", "250m". */
export const formatCpu = (cores: number): string => (cores < 1 ? `${Math.round(cores * 1000)}m` : `${Number(cores.toFixed(2))} cores`);

/** "512Mi", "3.5Gi". */
export function formatBytes(bytes: number): string {
  const gi = bytes / 2 ** 30;
  if (Math.abs(gi) >= 1) return `${Number(gi.toFixed(2))}Gi`;
  return `${Math.round(bytes / 2 ** 20)}Mi`;
}
