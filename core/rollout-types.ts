/** What `mmgate watch` records while the operator rolls the pods (collectors/watch). */

/**
 * One front-door probe (GET <front door>/api/v4/system/ping, what a user's client sees), taken by
 * the probe loop at watch.probeRate, alternating a kept-alive connection and a fresh one.
 */
export interface FrontDoorProbe {
  /** Milliseconds since the watch started, when the probe was sent. */
  readonly t: number;
  readonly ok: boolean;
  /** HTTP status; absent when no answer came (refused, reset, timeout). */
  readonly status?: number;
  readonly latencyMs: number;
  /** A fresh connection (Connection: close) rather than the kept-alive one. */
  readonly fresh: boolean;
  /** The server version from X-Version-Id (absent on answers the web handler did not make: 503 of a load balancer, 429 of the rate limiter). */
  readonly version?: string;
  readonly error?: string;
  /**
   * The probe's own timer fired far later than its timeout: mmgate's process stalled, so the
   * probe says nothing about the front door. Neither a success nor a failure.
   */
  readonly stalled?: boolean;
}

/** One look at the rollout's state (at watch.interval). */
export interface RolloutSample {
  readonly at: string;
  readonly elapsedMs: number;
  /** App pods Ready, and all app pods (old and new). */
  readonly readyPods: number;
  readonly pods: number;
  /** Ready app pods per image version (`11.7.1: 2, 10.11.4: 1`). */
  readonly versions: Readonly<Record<string, number>>;
  readonly state?: string;
  readonly updatedReplicas?: number;
  readonly replicas?: number;
  readonly specReplicas?: number;
  /** Why the Kubernetes side could not be read at this sample, if it could not. */
  readonly kubeError?: string;
  /** Every condition of a finished rollout holds at this sample. */
  readonly complete: boolean;
}

export interface RolloutWatch {
  readonly targetVersion: string;
  readonly frontDoor: string;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  /** Probes per second asked for (watch.probeRate), the period between probes and each probe's timeout. */
  readonly probeRate: number;
  readonly probePeriodMs: number;
  readonly probeTimeoutMs: number;
  readonly startedAt: string;
  readonly finishedAt: string;
  /** The rollout reached the target before the timeout. */
  readonly completed: boolean;
  /** The watch was stopped (interrupt or deadline) before completion or timeout. */
  readonly interrupted: boolean;
  /** The rollout's state at each watch.interval. */
  readonly samples: readonly RolloutSample[];
  /** Every front-door probe, in order. */
  readonly probes: readonly FrontDoorProbe[];
}
