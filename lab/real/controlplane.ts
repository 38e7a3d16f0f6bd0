/**
 * A real Kubernetes control plane on 127.0.0.1: etcd, kube-apiserver (TLS, service-account
 * signing keys, static tokens for the lab's own identities, RBAC, an audit log of every request
 * at Metadata level) and kube-controller-manager with the Deployment, ReplicaSet and garbage
 * collector controllers. Binaries come from scripts/build-control-plane.sh (lab/real/binaries.ts).
 * Everything lives in one temporary folder that stop() removes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, closeSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { kubeconfigYaml } from '../kube/kubeconfig.js';
import { labTlsIdentity } from '../kube/testcert.js';
import { KubeApi } from './api.js';
import { findControlPlane } from './binaries.js';

export interface ControlPlane {
  readonly url: string;
  readonly caPem: string;
  /** The lab's admin (group system:masters): seeding, the node agent and the lab operator. */
  readonly admin: KubeApi;
  readonly auditLog: string;
  /** Milliseconds from the first process start until the API server was ready. */
  readonly startMs: number;
  readonly dir: string;
  stop(): Promise<void>;
}

/** Identities with static tokens; mmgate itself gets a ServiceAccount token (rbac.ts). */
const LAB_ADMIN = 'mmgate-lab-admin';
const CONTROLLER_MANAGER = 'system:kube-controller-manager';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const a = s.address(); s.close(() => resolve(typeof a === 'object' && a ? a.port : 0)); });
  });
}

const AUDIT_POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
  - level: Metadata
`;

export async function startControlPlane(opts: { serviceCidr?: string } = {}): Promise<ControlPlane> {
  const found = findControlPlane();
  if ('missing' in found) throw new UsageError(found.missing, 'build it: bash scripts/build-control-plane.sh');
  const bin = (b: string) => join(found.dir, b);
  const dir = mkdtempSync(join(tmpdir(), 'mmgate-cp-'));
  const procs: ChildProcess[] = [];
  const stop = async () => {
    process.removeListener('exit', orphanGuard);
    await Promise.all(procs.splice(0).reverse().map((p) => new Promise<void>((r) => {
      if (p.exitCode !== null || p.signalCode !== null) { r(); return; }
      const kill = setTimeout(() => p.kill('SIGKILL'), 5000);
      p.once('exit', () => { clearTimeout(kill); r(); });
      p.kill('SIGTERM');
    })));
    rmSync(dir, { recursive: true, force: true });
  };
  const run = (name: string, args: string[]) => {
    const log = openSync(join(dir, `${name}.log`), 'a');
    // Its own process group: a Ctrl-C in the terminal reaches mmgate only, which then stops the
    // control plane in order (etcd last), instead of every process dying at once.
    const p = spawn(bin(name), args, { stdio: ['ignore', log, log], detached: true });
    closeSync(log);
    procs.push(p);
    return p;
  };
  // If mmgate dies without stop(), the detached processes must not outlive it.
  const orphanGuard = () => { for (const p of procs) p.kill('SIGKILL'); };
  process.once('exit', orphanGuard);
  const started = Date.now();
  try {
    const tls = labTlsIdentity();
    writeFileSync(join(dir, 'tls.crt'), tls.certPem);
    writeFileSync(join(dir, 'tls.key'), tls.keyPem, { mode: 0o600 });
    const sa = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    writeFileSync(join(dir, 'sa.key'), sa.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    writeFileSync(join(dir, 'sa.pub'), sa.publicKey.export({ type: 'spki', format: 'pem' }));
    const adminToken = randomBytes(24).toString('base64url');
    const kcmToken = randomBytes(24).toString('base64url');
    writeFileSync(join(dir, 'tokens.csv'), `${adminToken},${LAB_ADMIN},lab-admin,"system:masters"\n${kcmToken},${CONTROLLER_MANAGER},kcm,"system:masters"\n`, { mode: 0o600 });
    writeFileSync(join(dir, 'audit-policy.yaml'), AUDIT_POLICY);

    const [etcdClient, etcdPeer, apiPort] = [await freePort(), await freePort(), await freePort()];
    run('etcd', [
      '--name=lab', `--data-dir=${join(dir, 'etcd')}`,
      `--listen-client-urls=http://127.0.0.1:${etcdClient}`, `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
      `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`, `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-cluster=lab=http://127.0.0.1:${etcdPeer}`,
      // A test cluster: losing it on a crash costs nothing, fsync costs seconds on a shared disk.
      '--unsafe-no-fsync', '--log-level=warn',
    ]);
    const url = `https://127.0.0.1:${apiPort}`;
    run('kube-apiserver', [
      `--etcd-servers=http://127.0.0.1:${etcdClient}`,
      '--bind-address=127.0.0.1', '--advertise-address=127.0.0.1', `--secure-port=${apiPort}`,
      `--cert-dir=${join(dir, 'certs')}`, `--tls-cert-file=${join(dir, 'tls.crt')}`, `--tls-private-key-file=${join(dir, 'tls.key')}`,
      `--token-auth-file=${join(dir, 'tokens.csv')}`, '--authorization-mode=RBAC',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${join(dir, 'sa.pub')}`, `--service-account-signing-key-file=${join(dir, 'sa.key')}`,
      `--service-cluster-ip-range=${opts.serviceCidr ?? '10.96.0.0/16'}`,
      `--audit-policy-file=${join(dir, 'audit-policy.yaml')}`, `--audit-log-path=${join(dir, 'audit.log')}`,
      '--audit-log-mode=blocking',
      // No kubelet mounts tokens, no node-lifecycle controller lifts the not-ready taint, no
      // pvc-protection controller removes its finalizer: the lab's objects stay as seeded.
      '--disable-admission-plugins=ServiceAccount,TaintNodesByCondition,StorageObjectInUseProtection',
      // The node agent's kubelet endpoint (pod logs) is reached at the node's InternalIP.
      '--kubelet-preferred-address-types=InternalIP',
      '--profiling=false', '--v=1',
    ]);
    const admin = new KubeApi({ url, caPem: tls.certPem, token: adminToken });
    await waitReady(admin, procs, dir);
    const startMs = Date.now() - started;
    writeFileSync(join(dir, 'kcm.kubeconfig'), kubeconfigYaml({ url, caPem: tls.certPem, token: kcmToken }), { mode: 0o600 });
    run('kube-controller-manager', [
      `--kubeconfig=${join(dir, 'kcm.kubeconfig')}`, '--leader-elect=false', '--secure-port=0',
      '--controllers=deployment-controller,replicaset-controller,garbage-collector-controller',
      '--concurrent-deployment-syncs=2', '--v=1',
    ]);
    return { url, caPem: tls.certPem, admin, auditLog: join(dir, 'audit.log'), startMs, dir, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function waitReady(admin: KubeApi, procs: ChildProcess[], dir: string): Promise<void> {
  const until = Date.now() + 120_000;
  for (;;) {
    const dead = procs.find((p) => p.exitCode !== null);
    if (dead) throw new Error(`control plane: ${dead.spawnfile} exited (${dead.exitCode}):\n${tail(join(dir, `${dead.spawnfile.split('/').pop()}.log`))}`);
    try {
      await admin.get('/readyz');
      return;
    } catch { /* not yet */ }
    if (Date.now() > until) throw new Error(`control plane: kube-apiserver not ready within 120s:\n${tail(join(dir, 'kube-apiserver.log'))}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function tail(path: string): string {
  try { return readFileSync(path, 'utf8').split('\n').slice(-15).join('\n'); } catch { return '(no log)'; }
}
