/**
 * What the Mattermost collectors store in the snapshot (collectors/mattermost/*), as plain JSON so
 * a saved snapshot replays exactly what the servers said. Checks read these shapes; only the
 * collectors fill them. Secrets (tokens, cookies, webhook ids) never appear here: collectors
 * redact every string they keep.
 */
import type { ServerVersionId } from './version.js';

/** A request that got no usable answer: the proxy or the network failed, or the server refused. */
export interface CallError {
  /** UNREACHABLE, TIMEOUT, FORBIDDEN, PROXY_ERROR, HTTP_<status>, BAD_RESPONSE, ABORTED… */
  readonly code: string;
  readonly message: string;
  /** HTTP status when there was an answer. */
  readonly status?: number;
  /** Mattermost's AppError id (`api.post.create_post.…`) when the server sent one. */
  readonly id?: string;
}

/** Which server of the installation a per-pod record is about. */
export type PodRole = 'app' | 'jobserver';

/**
 * One app pod's own server, asked through the API server's pod proxy with
 * `GET /api/v4/system/ping?get_server_status=true&use_rest_semantics=true` (unauthenticated).
 */
export interface ServerPing {
  readonly pod: string;
  readonly namespace: string;
  /** The pod's Ready condition when the pods were listed. */
  readonly podReady: boolean;
  /** HTTP status of Mattermost's answer (500 on servers that ignore use_rest_semantics). Absent when no answer. */
  readonly httpStatus?: number;
  /** `status`: OK or UNHEALTHY (also when the answer was a 500). */
  readonly status?: string;
  readonly databaseStatus?: string;
  readonly filestoreStatus?: string;
  /** The raw `X-Version-Id` header, and its parse (https://github.com/mattermost/mattermost/blob/master/server/channels/web/handlers.go). */
  readonly versionId?: string;
  readonly version?: ServerVersionId;
  readonly latencyMs?: number;
  /** The pod could not be asked (proxy refused, pod not running, timeout). */
  readonly error?: CallError;
  /** A short excerpt of a body that was not the expected JSON. */
  readonly bodyExcerpt?: string;
}

export interface ServerPings {
  /** The front door is not used: every entry was asked through the pod proxy. */
  readonly pods: readonly ServerPing[];
  /**
   * Dedicated job server pods (jobServer.dedicatedJobServer) are not pinged: the operator runs them
   * as `mattermost jobserver` with no container ports and no probes, so they serve no HTTP API.
   */
  readonly jobServerPods: readonly string[];
}

/** One node of `GET /api/v4/cluster/status` (model.ClusterInfo). */
export interface ClusterNode {
  readonly id: string;
  readonly version: string;
  readonly schema_version: string;
  readonly config_hash: string;
  readonly ipaddress: string;
  readonly hostname: string;
}

export interface ClusterStatus {
  /** The front door it was asked at. */
  readonly url: string;
  readonly nodes: readonly ClusterNode[];
  /** The X-Version-Id of that answer, and whether it says the server is licensed. */
  readonly versionId?: string;
  readonly licensed?: boolean;
}

/** One entry of `GET /api/v4/plugins/statuses` (model.PluginStatus): one per plugin per cluster node. */
export interface PluginStatusEntry {
  readonly plugin_id: string;
  readonly cluster_id: string;
  readonly state: number;
  readonly error?: string;
  readonly name?: string;
  readonly version: string;
}

export interface PluginStatuses {
  readonly url: string;
  readonly statuses: readonly PluginStatusEntry[];
  /** The server answered 501: plugins are disabled (PluginSettings.Enable=false). */
  readonly pluginsDisabled?: boolean;
}

/** Plugin states (model/plugin_status.go). */
export const PLUGIN_STATE = { NotRunning: 0, Starting: 1, Running: 2, FailedToStart: 3, FailedToStayRunning: 4, Stopping: 5 } as const;

/** The parts of the smoke journey; each check judges its own. */
export type SmokePart = 'session' | 'post' | 'file' | 'webhook';

/**
 * Step names, in journey order:
 * session: login, me · navigation: teams, team, channels, channel ·
 * post: post.create, post.read, post.delete · file: file.upload, file.attach, file.download, file.delete ·
 * webhook: webhook.send, webhook.find, webhook.delete.
 */
export type SmokeStepName =
  | 'login' | 'me' | 'teams' | 'team' | 'channels' | 'channel'
  | 'post.create' | 'post.read' | 'post.delete'
  | 'file.upload' | 'file.attach' | 'file.download' | 'file.delete'
  | 'webhook.send' | 'webhook.find' | 'webhook.delete';

export interface SmokeStep {
  readonly name: SmokeStepName;
  readonly ok: boolean;
  /** Not run: the reason (an earlier step failed, the run was interrupted). `ok` is false. */
  readonly skipped?: string;
  readonly latencyMs?: number;
  readonly error?: CallError;
  /** Step-specific facts: ids, counts, sizes, hashes, where it was served. Never secrets. */
  readonly detail?: Readonly<Record<string, string | number | boolean>>;
}

/** One read of the smoke post (or download of the smoke file) through a given door. */
export interface SmokeRead {
  /** `front-door`, or the pod name when read through the pod proxy. */
  readonly via: string;
  readonly ok: boolean;
  readonly latencyMs?: number;
  readonly attempts?: number;
  readonly error?: CallError;
  /** For downloads: the SHA-256 of the bytes received and their size. */
  readonly sha256?: string;
  readonly size?: number;
}

/** Something the journey created, and what became of it. */
export interface SmokeObject {
  readonly kind: 'post' | 'file';
  readonly id: string;
  readonly part: SmokePart;
  /** Deleted (by its step or by the cleanup). A file counts as deleted once its post is. */
  readonly deleted: boolean;
  /** Why it could not be deleted, when it was not. */
  readonly error?: CallError;
}

export interface SmokeJourney {
  /** The front door the journey went through. */
  readonly url: string;
  /** Unique per run: every object the journey creates carries it, so concurrent runs never touch each other's. */
  readonly runId: string;
  readonly marker: string;
  readonly startedAt: string;
  readonly auth: 'password' | 'token';
  readonly user?: { readonly id: string; readonly username: string };
  readonly team?: { readonly id: string; readonly name: string };
  readonly channel?: { readonly id: string; readonly name: string };
  /**
   * Ready app pods when the journey ran: with two or more, the post and the file are read back
   * through each of them too (pod proxy). Null when the pods could not be listed (then `readyPodsError`).
   */
  readonly readyPods: readonly string[] | null;
  readonly readyPodsError?: string;
  readonly steps: readonly SmokeStep[];
  /** Reads of the smoke post after it was created. */
  readonly postReads: readonly SmokeRead[];
  /** Downloads of the smoke file, each with its hash. */
  readonly fileDownloads: readonly SmokeRead[];
  /** The uploaded file's size and SHA-256. */
  readonly upload?: { readonly size: number; readonly sha256: string };
  /** False when mattermost.incomingWebhook is not configured. */
  readonly webhookConfigured: boolean;
  /** Every object created, and whether the cleanup removed it. */
  readonly objects: readonly SmokeObject[];
  /** Objects still there after the cleanup: a check must fail and name them. */
  readonly leftovers: readonly SmokeObject[];
  /** The run was interrupted part-way; the cleanup still ran. */
  readonly interrupted?: boolean;
}

/** Log lines that share a level and a message, with one sample (redacted, truncated). */
export interface LogGroup {
  readonly level: string;
  readonly msg: string;
  readonly count: number;
  readonly first?: string;
  readonly last?: string;
  readonly sample: string;
}

/** One container's log since the upgrade, parsed as Mattermost JSON lines (https://github.com/mattermost/logr formatters/json.go). */
export interface PodLog {
  readonly pod: string;
  readonly namespace: string;
  readonly container: string;
  readonly role: PodRole;
  readonly sinceSeconds: number;
  readonly lines: number;
  readonly jsonLines: number;
  readonly nonJsonLines: number;
  /** Lines per level (every level, lowercase). */
  readonly levels: Readonly<Record<string, number>>;
  /** Lines of every level but trace/debug/info, grouped by level and msg (bounded). */
  readonly groups: readonly LogGroup[];
  /** Lines per level that did not fit in `groups` (too many distinct messages). */
  readonly ungrouped: Readonly<Record<string, number>>;
  /** The log hit the read limit: later lines were not seen. */
  readonly truncated?: boolean;
  /** The log could not be read. */
  readonly error?: CallError;
}

export interface PodLogs {
  readonly sinceSeconds: number;
  /** Where the window starts (ISO), from mattermost.upgradeStartedAt or now − mattermost.logWindow. */
  readonly since: string;
  readonly pods: readonly PodLog[];
}
