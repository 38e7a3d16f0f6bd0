/**
 * Versions as Mattermost and the operator write them: `11.7.1`, `v1.25.9`, image tags like
 * `mattermost/mattermost-enterprise-edition:10.11.2` or `…@sha256:<digest>`.
 */
export interface Version { readonly major: number; readonly minor: number; readonly patch: number; readonly pre?: string }

const VERSION = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?$/;

export function parseVersion(text: string | undefined): Version | undefined {
  if (!text) return undefined;
  const m = VERSION.exec(text.trim());
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0), ...(m[4] ? { pre: m[4] } : {}) };
}

export function compareVersions(a: Version, b: Version): number {
  if (a.major !== b.major) return a.major - b.major;
  if (a.minor !== b.minor) return a.minor - b.minor;
  if (a.patch !== b.patch) return a.patch - b.patch;
  // A pre-release sorts before its release (semver).
  if (a.pre && !b.pre) return -1;
  if (!a.pre && b.pre) return 1;
  return (a.pre ?? '').localeCompare(b.pre ?? '');
}

export const formatVersion = (v: Version): string => `${v.major}.${v.minor}.${v.patch}${v.pre ? `-${v.pre}` : ''}`;

/** An image reference split into repository, tag and digest. `repo:tag@sha256:…` keeps both. */
export interface ImageRef { readonly repository: string; readonly tag?: string; readonly digest?: string }

export function parseImage(ref: string): ImageRef {
  let rest = ref.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) { digest = rest.slice(at + 1); rest = rest.slice(0, at); }
  // A colon after the last slash is a tag; one before it belongs to a registry host:port.
  const colon = rest.lastIndexOf(':');
  const tag = colon > rest.lastIndexOf('/') ? rest.slice(colon + 1) : undefined;
  const repository = tag === undefined ? rest : rest.slice(0, colon);
  return { repository, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

/** The version an image runs, from its tag (`10.11.2`, `v1.25.9`, `release-11.7` has none). */
export function imageVersion(ref: string): Version | undefined {
  const { tag } = parseImage(ref);
  return parseVersion(tag);
}

/**
 * Parses the `X-Version-Id` header (https://github.com/mattermost/mattermost/blob/master/server/channels/web/handlers.go, Handler.ServeHTTP):
 * `<CurrentVersion>.<BuildNumber>.<ClientConfigHash>.<licensed>`, where BuildNumber may itself
 * contain dots. BuildNumber wins when it is a plain x.y.z, because CurrentVersion can lag the
 * real patch release (mattermost/mattermost#6523).
 */
export interface ServerVersionId { readonly version: string; readonly currentVersion: string; readonly buildNumber: string; readonly configHash?: string; readonly licensed?: boolean }

export function parseVersionId(header: string | undefined): ServerVersionId | undefined {
  if (!header) return undefined;
  const parts = header.trim().split('.');
  if (parts.length < 4) return undefined;
  const currentVersion = parts.slice(0, 3).join('.');
  if (!parseVersion(currentVersion)) return undefined;
  const last = parts[parts.length - 1];
  const hasLicenceFlag = last === 'true' || last === 'false';
  // Very old servers sent three parts with no licence flag: version.build.hash.
  const tail = hasLicenceFlag ? 2 : 1;
  const configHash = parts[parts.length - tail];
  const buildNumber = parts.slice(3, parts.length - tail).join('.');
  const version = /^\d+\.\d+\.\d+$/.test(buildNumber) ? buildNumber : currentVersion;
  return { version, currentVersion, buildNumber, ...(configHash ? { configHash } : {}), ...(hasLicenceFlag ? { licensed: last === 'true' } : {}) };
}
