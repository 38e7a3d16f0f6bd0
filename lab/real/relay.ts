/**
 * Runs inside the real lab's network namespace (`ip netns exec NS node relay.js`): listens on the
 * pod and node addresses that live there and hands every TCP connection to the lab process through
 * a Unix socket (a path on the shared filesystem, so it crosses the namespace boundary). The API
 * server's pod proxy and pod-log requests thus reach real addresses, as on a cluster.
 * Commands arrive as JSON lines on stdin: {"id":1,"listen":{"ip":"10.244.0.21","port":8065,"socket":"<tmp dir>/…"}}.
 * Each is answered on stdout: {"id":1} or {"id":1,"error":"…"}. The relay exits when stdin closes.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { createInterface } from 'node:readline';

const servers = new Map<string, Server>();
const open = new Map<Server, Set<Socket>>();

/**
 * Stops listening and cuts the connections still open: kube-apiserver keeps connections to pod
 * addresses alive, and one left piping to a previous lab's socket would reach a server of a world
 * that is gone (a pod's name and address repeat from one scenario to the next).
 */
function shut(key: string): Promise<void> {
  const server = servers.get(key);
  servers.delete(key);
  if (!server) return Promise.resolve();
  for (const conn of open.get(server) ?? []) conn.destroy();
  open.delete(server);
  return new Promise((r) => server.close(() => r()));
}

async function listen(ip: string, port: number, socket: string): Promise<void> {
  // A new listener for an address replaces the old one (a new pod got the address, or a new lab).
  await shut(`${ip}:${port}`);
  const conns = new Set<Socket>();
  const server = createServer((conn) => {
    conns.add(conn);
    conn.on('close', () => conns.delete(conn));
    const upstream = connect(socket);
    conn.pipe(upstream).pipe(conn);
    const end = () => { conn.destroy(); upstream.destroy(); };
    conn.on('error', end);
    upstream.on('error', end);
  });
  servers.set(`${ip}:${port}`, server);
  open.set(server, conns);
  return new Promise((resolve, reject) => { server.once('error', reject); server.listen(port, ip, () => resolve()); });
}

const rl = createInterface({ input: process.stdin });
rl.on('line', (line) => {
  const cmd = JSON.parse(line) as { id: number; listen?: { ip: string; port: number; socket: string }; close?: { ip: string; port: number } };
  const reply = (error?: unknown) => process.stdout.write(`${JSON.stringify({ id: cmd.id, ...(error ? { error: String(error) } : {}) })}\n`);
  if (cmd.listen) listen(cmd.listen.ip, cmd.listen.port, cmd.listen.socket).then(() => reply(), reply);
  else if (cmd.close) shut(`${cmd.close.ip}:${cmd.close.port}`).then(() => reply(), reply);
  else reply('unknown command');
});
rl.on('close', () => { for (const key of [...servers.keys()]) void shut(key); process.exit(0); });
