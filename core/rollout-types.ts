/** What `mmgate watch` records while the operator rolls the pods (collectors/watch). */

/** One look at the installation: the front door's answer and the rollout's state at that moment. */
export interface RolloutSample {
  readonly at: string;
  readonly elapsedMs: number;
  /** GET <front door>/api/v4/system/ping: what a user's client sees. */
  readonly probe: { readonly ok: boolean; readonly status?: number; readonly latencyMs?: number; readonly version?: string; readonly error?: string };
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
  readonly startedAt: string;
  readonly finishedAt: string;
  /** The rollout reached the target before the timeout. */
  readonly completed: boolean;
  /** The watch was stopped (interrupt or deadline) before completion or timeout. */
  readonly interrupted: boolean;
  readonly samples: readonly RolloutSample[];
}
