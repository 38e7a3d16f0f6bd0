/**
 * The floor mmgate's preflight is measured against (npm run bench --nodes): the same big lists
 * read the minimal way — paginated GETs of 500 with the kubeconfig's token and CA, each page
 * JSON.parse'd and counted, nothing else. Usage: node dist/scripts/raw-read.js KUBECONFIG
 */
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { parse } from 'yaml';

interface Kubeconfig { clusters: { cluster: { server: string; 'certificate-authority-data': string } }[]; users: { user: { token: string } }[] }

const cfg = parse(readFileSync(process.argv[2] ?? '', 'utf8')) as Kubeconfig;
const server = cfg.clusters[0]!.cluster.server;
const ca = Buffer.from(cfg.clusters[0]!.cluster['certificate-authority-data'], 'base64');
const agent = new https.Agent({ ca, keepAlive: true });
const headers = { Authorization: `Bearer ${cfg.users[0]!.user.token}`, Accept: 'application/json' };

function get(path: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    https.get(`${server}${path}`, { agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks)) : reject(new Error(`${path}: ${res.statusCode}`))));
      res.on('error', reject);
    }).on('error', reject);
  });
}

async function count(path: string, query = ''): Promise<number> {
  let n = 0;
  let cont = '';
  do {
    const body = JSON.parse((await get(`${path}?limit=500${query}${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`)).toString('utf8')) as { items: unknown[]; metadata?: { continue?: string } };
    n += body.items.length;
    cont = body.metadata?.continue ?? '';
  } while (cont);
  return n;
}

const nodes = await count('/api/v1/nodes');
const pods = await count('/api/v1/pods', `&fieldSelector=${encodeURIComponent('status.phase!=Succeeded,status.phase!=Failed')}`);
const metrics = await count('/apis/metrics.k8s.io/v1beta1/nodes');
agent.destroy();
process.stdout.write(`${nodes} nodes, ${pods} pods, ${metrics} node metrics\n`);
