/**
 * The lab's static TLS identity (lab/kube/testcert/): a self-signed P-256 certificate for
 * IP:127.0.0.1 and DNS:localhost, valid for 20 years, that is its own CA. It exists because kubectl
 * sends a bearer token only over TLS (client-go clientcmd reads auth info only "if we are secure"),
 * so a lab that checks tokens must speak https. It guards nothing: the key is public on purpose.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface TlsIdentity {
  certPem: string;
  keyPem: string;
}

let cached: TlsIdentity | undefined;

/** The PEM files stay in the source tree (tsc does not copy them to dist/): look upwards for them. */
function certDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'lab', 'kube', 'testcert');
    if (existsSync(join(candidate, 'cert.pem'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('lab/kube/testcert/cert.pem not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

export function labTlsIdentity(): TlsIdentity {
  if (!cached) {
    const dir = certDir();
    cached = { certPem: readFileSync(join(dir, 'cert.pem'), 'utf8'), keyPem: readFileSync(join(dir, 'key.pem'), 'utf8') };
  }
  return cached;
}

/** The CA to trust for the lab's https server (the certificate itself), for kubeconfigs and clients. */
export function labCaPem(): string {
  return labTlsIdentity().certPem;
}
