import { readFileSync } from 'node:fs';

/** mmgate's own version, from package.json (dist/core/ → two levels up), for reports and snapshots. */
export const HARNESS_VERSION: string = (() => {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0-unknown';
  }
})();
