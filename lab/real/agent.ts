/**
 * The real lab's node agent: it plays the scheduler and the kubelet of the scenario's fake nodes.
 * Pods the controllers create are bound to a Ready node, get an address in the pod network
 * (netns.ts), a simulated Mattermost server, and a status written through the status subresource
 * (Running, then Ready; or CrashLoopBackOff for a crashing version). A pod being deleted loses its
 * server and is then removed, as a kubelet confirms a deletion. Pods seeded with the scenario keep
 * the status they were seeded with. The kubelet endpoint of every node serves pod logs.
 */
import { createHash } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { join } from 'node:path';
import { labTlsIdentity } from '../kube/testcert.js';
import type { KubeObject } from '../kube/types.js';
import type { PodServerSpec } from '../mattermost/spec.js';
import { API_PORT, METRICS_PORT, type MattermostWorld } from '../mattermost/world.js';
import type { KubeApi } from './api.js';
import type { PodNetwork } from './netns.js';

type Pod = KubeObject & {
  spec?: { nodeName?: string; containers?: { name: string; image: string }[] };
  status?: { phase?: string; podIP?: string };
  metadata: KubeObject['metadata'] & { deletionTimestamp?: string };
};
type Node = KubeObject & { status?: { conditions?: { type: string; status: string }[]; addresses?: { type: string; address: string }[] }; spec?: { unschedulable?: boolean } };

export const KUBELET_PORT = 10250;
/** New pods get addresses from here (seeded pods keep theirs). */
const NEW_POD_NET = '10.244.100.';

export interface NodeAgentOptions {
  api: KubeApi;
  net: PodNetwork;
  world: MattermostWorld;
  /** Folder for the Unix sockets the relay connects to. */
  sockDir: string;
  /** The server spec a new Mattermost pod starts from (its version comes from the image tag). */
  template: PodServerSpec;
  /** How long a new container takes to become ready. */
  readyAfterMs: number;
}

const rfc3339 = (d = new Date()) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
const isMattermost = (p: Pod) => p.metadata.labels?.['app'] === 'mattermost';
const imageOf = (p: Pod) => p.spec?.containers?.find((c) => c.name === 'mattermost')?.image ?? p.spec?.containers?.[0]?.image ?? '';

export class NodeAgent {
  /** Versions whose containers crash on start (the lab operator sets these). */
  readonly crashVersions = new Set<string>();
  private readonly servers = new Map<string, Server>();
  private readonly podIps = new Map<string, string>();
  private readonly nodeIps = new Set<string>();
  private readonly handled = new Set<string>();
  private readonly nodes = new Map<string, Node>();
  private kubelet: Server | undefined;
  private watches: { stop: () => void }[] = [];
  private nextIp = 10;
  private nextNode = 0;
  private queue: Promise<void> = Promise.resolve();
  private readonly errors: string[] = [];

  constructor(private readonly o: NodeAgentOptions) {}

  /** Serves the seeded pods and nodes, then follows every change. */
  async start(): Promise<void> {
    const tls = labTlsIdentity();
    this.kubelet = createHttpsServer({ cert: tls.certPem, key: tls.keyPem }, (req, res) => this.serveKubelet(req, res));
    await listen(this.kubelet, join(this.o.sockDir, 'kubelet.sock'));
    const nodes = await this.o.api.get<{ items: Node[] }>('/api/v1/nodes');
    for (const n of nodes.items) await this.addNode(n);
    const pods = await this.o.api.get<{ items: Pod[] }>('/api/v1/pods');
    for (const p of pods.items) { this.handled.add(p.metadata.uid ?? ''); await this.servePod(p); }
    this.watches.push(this.o.api.watch('/api/v1/nodes', (type, n) => { if (type !== 'DELETED') this.nodes.set(n.metadata.name, n); }));
    this.watches.push(this.o.api.watch('/api/v1/pods', (type, p) => this.enqueue(() => this.onPod(type, p as Pod))));
  }

  /** Problems met while acting (a test asserts there are none). */
  problems(): readonly string[] { return this.errors; }

  private enqueue(f: () => Promise<void>): void {
    this.queue = this.queue.then(f).catch((e: unknown) => { this.errors.push(String(e)); });
  }

  private async addNode(n: Node): Promise<void> {
    this.nodes.set(n.metadata.name, n);
    const ip = n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
    if (!ip) return;
    await this.o.net.addAddress(ip);
    await this.o.net.relay(ip, KUBELET_PORT, join(this.o.sockDir, 'kubelet.sock'));
    this.nodeIps.add(ip);
  }

  private async onPod(type: string, p: Pod): Promise<void> {
    const uid = p.metadata.uid ?? '';
    if (type === 'DELETED') { await this.retire(p); return; }
    if (p.metadata.deletionTimestamp) {
      await this.retire(p);
      // The kubelet confirms the deletion once the containers stopped.
      await this.o.api.send('DELETE', `/api/v1/namespaces/${p.metadata.namespace}/pods/${p.metadata.name}`, { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 0, preconditions: { uid } }).catch(() => undefined);
      return;
    }
    if (this.handled.has(uid)) return;
    if (!p.spec?.nodeName) { await this.bind(p); return; }
    this.handled.add(uid);
    await this.startPod(p);
  }

  private async bind(p: Pod): Promise<void> {
    const ready = [...this.nodes.values()].filter((n) => !n.spec?.unschedulable && n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
    if (ready.length === 0) return; // stays Pending, as with no schedulable node
    const node = ready[this.nextNode++ % ready.length]!;
    await this.o.api.post(`/api/v1/namespaces/${p.metadata.namespace}/pods/${p.metadata.name}/binding`, {
      apiVersion: 'v1', kind: 'Binding', metadata: { name: p.metadata.name }, target: { apiVersion: 'v1', kind: 'Node', name: node.metadata.name },
    });
  }

  /** A pod a controller created: its container starts, then becomes ready (or crash-loops). */
  private async startPod(p: Pod): Promise<void> {
    const image = imageOf(p);
    const version = image.includes(':') ? image.slice(image.lastIndexOf(':') + 1) : 'latest';
    const ip = `${NEW_POD_NET}${this.nextIp++}`;
    const node = this.nodes.get(p.spec?.nodeName ?? '');
    const hostIP = node?.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
    const crash = this.crashVersions.has(version);
    const started = rfc3339();
    if (isMattermost(p)) {
      this.o.world.addPod(p.metadata.name, { ...this.o.template, version, buildNumber: version, hostname: p.metadata.name, ip, ready: false });
      await this.servePod({ ...p, status: { ...p.status, podIP: ip } });
    }
    const imageID = `docker.io/${image.split(':')[0]}@sha256:${createHash('sha256').update(image).digest('hex')}`;
    const status = (ready: boolean, state: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
      status: {
        phase: 'Running', podIP: ip, podIPs: [{ ip }], ...(hostIP ? { hostIP, hostIPs: [{ ip: hostIP }] } : {}), startTime: started,
        conditions: [
          { type: 'PodScheduled', status: 'True', lastTransitionTime: started },
          { type: 'Initialized', status: 'True', lastTransitionTime: started },
          { type: 'ContainersReady', status: ready ? 'True' : 'False', lastTransitionTime: rfc3339() },
          { type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: rfc3339() },
        ],
        containerStatuses: (p.spec?.containers ?? []).map((c) => ({ name: c.name, image: c.image, imageID, ready, started: ready, restartCount: 0, state, ...extra })),
      },
    });
    const path = `/api/v1/namespaces/${p.metadata.namespace}/pods/${p.metadata.name}/status`;
    await this.o.api.mergePatch(path, status(false, { waiting: { reason: 'ContainerCreating' } }));
    await new Promise((r) => setTimeout(r, this.o.readyAfterMs));
    if (crash) {
      await this.o.api.mergePatch(path, status(false, { waiting: { reason: 'CrashLoopBackOff', message: `back-off 5m0s restarting failed container=mattermost pod=${p.metadata.name}` } },
        { restartCount: 4, lastState: { terminated: { reason: 'Error', exitCode: 1, finishedAt: rfc3339() } } }));
      return;
    }
    await this.o.api.mergePatch(path, status(true, { running: { startedAt: started } })).catch(() => undefined);
    if (isMattermost(p) && this.o.world.podNames().includes(p.metadata.name)) this.o.world.setPod(p.metadata.name, { ready: true });
  }

  /** Relays the pod's API and metrics ports to its simulated server. */
  private async servePod(p: Pod): Promise<void> {
    const ip = p.status?.podIP;
    const name = p.metadata.name;
    if (!ip || !this.o.world.podNames().includes(name)) return;
    await this.o.net.addAddress(ip);
    for (const port of [API_PORT, METRICS_PORT]) {
      const socket = join(this.o.sockDir, `${name}-${port}.sock`);
      const server = createHttpServer((req, res) => { void this.servePodRequest(name, port, req, res); });
      await listen(server, socket);
      this.servers.set(`${name}:${port}`, server);
      await this.o.net.relay(ip, port, socket);
    }
    this.podIps.set(name, ip);
  }

  private async retire(p: Pod): Promise<void> {
    const name = p.metadata.name;
    const ip = this.podIps.get(name);
    if (this.o.world.podNames().includes(name)) this.o.world.removePod(name);
    for (const port of [API_PORT, METRICS_PORT]) {
      const s = this.servers.get(`${name}:${port}`);
      if (!s) continue;
      this.servers.delete(`${name}:${port}`);
      if (ip) await this.o.net.unrelay(ip, port);
      closeNow(s);
    }
    this.podIps.delete(name);
  }

  private async servePodRequest(pod: string, port: number, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v ?? '']));
    const out = await this.o.world.handlePod(pod, port, { method: req.method ?? 'GET', path: req.url ?? '/', headers, body: Buffer.concat(chunks) });
    res.writeHead(out.status, out.headers);
    res.end(out.body);
  }

  /** The kubelet's `/containerLogs/{namespace}/{pod}/{container}` (what `pods/log` reaches). */
  private serveKubelet(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'https://kubelet');
    const m = /^\/containerLogs\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    const num = (k: string) => (url.searchParams.has(k) ? Number(url.searchParams.get(k)) : undefined);
    const logs = m ? this.o.world.podLogs(decodeURIComponent(m[2]!), {
      ...(num('tailLines') !== undefined ? { tailLines: num('tailLines')! } : {}),
      ...(num('sinceSeconds') !== undefined ? { sinceSeconds: num('sinceSeconds')! } : {}),
      ...(url.searchParams.get('timestamps') === 'true' ? { timestamps: true } : {}),
    }) : undefined;
    if (logs === undefined) { res.writeHead(404, { 'content-type': 'text/plain' }); res.end('container not found\n'); return; }
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end(logs);
  }

  async stop(): Promise<void> {
    for (const w of this.watches.splice(0)) w.stop();
    await this.queue;
    for (const [name, ip] of this.podIps) for (const port of [API_PORT, METRICS_PORT]) if (this.servers.has(`${name}:${port}`)) await this.o.net.unrelay(ip, port);
    for (const ip of this.nodeIps) await this.o.net.unrelay(ip, KUBELET_PORT);
    for (const s of this.servers.values()) closeNow(s);
    this.servers.clear();
    this.podIps.clear();
    if (this.kubelet) closeNow(this.kubelet);
  }
}

/** Closes the server and the keep-alive connections it still holds (a retired pod answers nothing more). */
function closeNow(server: Server): void {
  server.close();
  server.closeAllConnections();
}

function listen(server: Server, socket: string): Promise<void> {
  return new Promise((resolve, reject) => { server.once('error', reject); server.listen(socket, () => resolve()); });
}
