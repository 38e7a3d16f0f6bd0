/**
 * The real lab's pod network: a network namespace joined to the host by a veth pair. Pod and node
 * addresses are added inside it (one /32 each, on its loopback) and routed from the host into the
 * veth, so kube-apiserver reaches them as it would reach pods and kubelets; a relay process in the
 * namespace (relay.ts) hands the connections to the lab. Only addresses added here are routed,
 * and close() removes the routes, the veth and the namespace. Needs root and iproute2.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { UsageError } from '../../core/errors.js';

const exec = promisify(execFile);
/** The host's end of the veth and the namespace's end (a /32 each). */
const HOST_END = '10.244.255.1';
const NS_END = '10.244.255.2';

export interface PodNetwork {
  readonly name: string;
  /** Makes `ip` an address inside the namespace, routed from the host. */
  addAddress(ip: string): Promise<void>;
  /** Relays ip:port (inside the namespace) to the Unix socket the lab listens on. */
  relay(ip: string, port: number, socket: string): Promise<void>;
  unrelay(ip: string, port: number): Promise<void>;
  close(): Promise<void>;
}

const ip = async (...args: string[]) => { await exec('ip', args); };

export async function createPodNetwork(): Promise<PodNetwork> {
  if (process.getuid?.() !== 0) throw new UsageError('the real lab\'s pod network needs root (ip netns add, iproute2)', 'run it as root, or use the embedded simulator (--kube sim)');
  const tag = randomBytes(3).toString('hex');
  const name = `mmgate-${tag}`;
  const [hostIf, nsIf] = [`mmg${tag}h`, `mmg${tag}n`];
  const addresses: string[] = [];
  let relay: ChildProcess | undefined;
  const close = async () => {
    relay?.stdin?.end();
    relay?.kill();
    for (const a of addresses.splice(0)) await ip('route', 'del', `${a}/32`, 'dev', hostIf).catch(() => undefined);
    await ip('link', 'del', hostIf).catch(() => undefined);
    await ip('netns', 'del', name).catch(() => undefined);
  };
  try {
    await ip('netns', 'add', name);
    await ip('link', 'add', hostIf, 'type', 'veth', 'peer', 'name', nsIf, 'netns', name);
    await ip('addr', 'add', `${HOST_END}/32`, 'dev', hostIf);
    await ip('link', 'set', hostIf, 'up');
    await ip('-n', name, 'link', 'set', 'lo', 'up');
    await ip('-n', name, 'addr', 'add', `${NS_END}/32`, 'dev', nsIf);
    await ip('-n', name, 'link', 'set', nsIf, 'up');
    await ip('-n', name, 'route', 'add', `${HOST_END}/32`, 'dev', nsIf);
    // detached: a terminal's Ctrl-C must not kill the relay before the lab has closed its listeners.
    relay = spawn('ip', ['netns', 'exec', name, process.execPath, fileURLToPath(new URL('./relay.js', import.meta.url))], { stdio: ['pipe', 'pipe', 'inherit'], detached: true });
  } catch (err) {
    await close();
    throw err;
  }
  const proc = relay;
  let next = 0;
  const waiting = new Map<number, (e?: string) => void>();
  let buf = '';
  proc.stdout?.on('data', (d: Buffer) => {
    buf += d.toString();
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const r = JSON.parse(buf.slice(0, nl)) as { id: number; error?: string };
      buf = buf.slice(nl + 1);
      waiting.get(r.id)?.(r.error);
      waiting.delete(r.id);
    }
  });
  const command = (c: Record<string, unknown>) => new Promise<void>((resolve, reject) => {
    const id = ++next;
    // A relay that died answers nothing: give up rather than hang the lab's close.
    const timer = setTimeout(() => { waiting.delete(id); reject(new Error('pod network relay: no answer within 10s')); }, 10_000);
    waiting.set(id, (e) => { clearTimeout(timer); if (e) reject(new Error(`pod network relay: ${e}`)); else resolve(); });
    proc.stdin?.write(`${JSON.stringify({ id, ...c })}\n`);
  });
  return {
    name,
    addAddress: async (a) => {
      if (addresses.includes(a)) return;
      // replace, not add: a route or address left by a run that was killed before its close must not fail this one.
      await ip('-n', name, 'addr', 'replace', `${a}/32`, 'dev', 'lo');
      await ip('route', 'replace', `${a}/32`, 'dev', hostIf, 'src', HOST_END);
      addresses.push(a);
    },
    relay: (a, port, socket) => command({ listen: { ip: a, port, socket } }),
    unrelay: (a, port) => command({ close: { ip: a, port } }),
    close,
  };
}
