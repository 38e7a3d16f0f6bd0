/**
 * A small JSON client for the real kube-apiserver of the real-cluster lab (lab/real/): requests
 * with a bearer token over TLS, and watch streams. The lab's own plumbing (seeding, node agent,
 * operator) uses it; mmgate itself reaches the server through its kubeconfig like any user.
 */
import { request as httpsRequest } from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { KubeObject } from '../kube/types.js';

export interface ApiTarget { url: string; caPem: string; token: string }

export class ApiError extends Error {
  constructor(readonly status: number, readonly method: string, readonly path: string, readonly body: string) {
    super(`${method} ${path}: HTTP ${status}: ${body.slice(0, 400)}`);
  }
}

export class KubeApi {
  constructor(readonly target: ApiTarget) {}

  private open(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<IncomingMessage> {
    const url = new URL(path, this.target.url);
    const payload = body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = httpsRequest(url, {
        method, ca: this.target.caPem,
        // Content-Length always: Node frames a DELETE body neither by length nor by chunks, and the
        // server would read it as the next request on the kept-alive connection.
        headers: { authorization: `Bearer ${this.target.token}`, accept: 'application/json', ...(payload ? { 'content-type': contentType, 'content-length': String(payload.length) } : {}) },
      }, resolve);
      req.on('error', reject);
      req.end(payload);
    });
  }

  async send<T = KubeObject>(method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
    const res = await this.open(method, path, body, contentType);
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    if ((res.statusCode ?? 0) >= 300) throw new ApiError(res.statusCode ?? 0, method, path, text);
    if (!text) return {} as T;
    try { return JSON.parse(text) as T; } catch { return text as T; }
  }

  get<T = KubeObject>(path: string): Promise<T> { return this.send<T>('GET', path); }
  post<T = KubeObject>(path: string, body: unknown): Promise<T> { return this.send<T>('POST', path, body); }
  put<T = KubeObject>(path: string, body: unknown): Promise<T> { return this.send<T>('PUT', path, body); }
  delete(path: string): Promise<unknown> { return this.send('DELETE', path); }
  mergePatch<T = KubeObject>(path: string, patch: unknown): Promise<T> { return this.send<T>('PATCH', path, patch, 'application/merge-patch+json'); }

  /** GET that answers undefined on 404. */
  async find<T = KubeObject>(path: string): Promise<T | undefined> {
    try { return await this.get<T>(path); } catch (e) { if (e instanceof ApiError && e.status === 404) return undefined; throw e; }
  }

  /**
   * Lists, then watches from the list's resourceVersion until stopped; the callback sees every
   * object once as ADDED, then each change. A watch the server ends is resumed.
   */
  watch(path: string, onEvent: (type: string, obj: KubeObject) => void): { stop: () => void } {
    let stopped = false;
    let current: IncomingMessage | undefined;
    const loop = async () => {
      while (!stopped) {
        try {
          const list = await this.get<{ metadata: { resourceVersion: string }; items: KubeObject[] }>(path);
          for (const o of list.items) onEvent('ADDED', o);
          let rv = list.metadata.resourceVersion;
          while (!stopped) {
            const sep = path.includes('?') ? '&' : '?';
            current = await this.open('GET', `${path}${sep}watch=true&allowWatchBookmarks=true&resourceVersion=${rv}`);
            if ((current.statusCode ?? 0) >= 300) break;
            let buf = '';
            for await (const chunk of current) {
              buf += String(chunk);
              let nl: number;
              while ((nl = buf.indexOf('\n')) >= 0) {
                const line = buf.slice(0, nl); buf = buf.slice(nl + 1);
                if (!line.trim()) continue;
                const ev = JSON.parse(line) as { type: string; object: KubeObject };
                if (ev.type === 'ERROR') throw new Error('watch expired');
                rv = ev.object.metadata.resourceVersion ?? rv;
                if (ev.type !== 'BOOKMARK') onEvent(ev.type, ev.object);
              }
            }
          }
        } catch {
          if (!stopped) await new Promise((r) => setTimeout(r, 200));
        }
      }
    };
    void loop();
    return { stop: () => { stopped = true; current?.destroy(); } };
  }
}
