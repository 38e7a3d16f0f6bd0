/**
 * The users of the lab: light, steady API traffic to every Ready Mattermost server, so its
 * metrics (mattermost_api_time) describe real requests — what the metrics checks read. It goes
 * straight to each pod's server in-process (as a Service would spread it), as an admin session.
 */
import type { MattermostWorld } from './mattermost/world.js';

const PATHS = ['/api/v4/system/ping', '/api/v4/users/me', '/api/v4/users/me/teams'] as const;

export interface Traffic {
  /** Settles once a first second's worth of requests was served: the servers have a history when the lab is ready. */
  readonly warmedUp: Promise<void>;
  stop(): Promise<void>;
}

/** Sends `rps` requests a second, round-robin over the Ready pods and PATHS. */
export function startTraffic(world: MattermostWorld, o: { rps: number; token: string }): Traffic {
  const tickMs = 100;
  const perTick = o.rps * tickMs / 1000;
  let owed = 0;
  let n = 0;
  const inflight = new Set<Promise<unknown>>();
  const send = (count: number): Promise<unknown>[] => {
    const pods = world.podNames().filter((p) => world.isReady(p));
    const sent: Promise<unknown>[] = [];
    if (pods.length === 0) return sent;
    for (let i = 0; i < count; i++, n++) {
      const pod = pods[n % pods.length]!;
      const path = PATHS[Math.floor(n / pods.length) % PATHS.length]!;
      const p = world.handlePod(pod, 8065, { method: 'GET', path, headers: { authorization: `Bearer ${o.token}`, 'x-forwarded-for': '10.244.9.9' }, body: Buffer.alloc(0) })
        .catch(() => undefined).finally(() => inflight.delete(p));
      inflight.add(p);
      sent.push(p);
    }
    return sent;
  };
  const warmedUp = Promise.allSettled(send(Math.ceil(o.rps))).then(() => undefined);
  const timer = setInterval(() => {
    owed += perTick;
    const whole = Math.floor(owed);
    owed -= whole;
    send(whole);
  }, tickMs);
  timer.unref();
  return { warmedUp, stop: async () => { clearInterval(timer); await Promise.allSettled([...inflight]); } };
}
