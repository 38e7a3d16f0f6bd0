/** The Mattermost simulator of the lab: scenario format, the simulated installation, its front door. */
export { mattermostSpecSchema, podServerSpecSchema, parseMattermostSpec, parseMattermostYaml } from './spec.js';
export type { MattermostSpec, PodServerSpec, PluginSpec, PluginState, LogLineSpec, UserSpec, TeamSpec, ChannelSpec, IncomingWebhookSpec, BehaviourSpec, WebAppVariant } from './spec.js';
export { MattermostWorld, API_PORT, METRICS_PORT } from './world.js';
export type { PodRequest, PodResponse } from './world.js';
export { startFrontDoor } from './front-door.js';
export type { FrontDoor, FrontDoorRequestLog } from './front-door.js';
export { formatLogTimestamp } from './logs.js';
