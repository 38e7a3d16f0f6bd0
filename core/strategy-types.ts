/** Data the strategy collectors store (blue/green and canary routing proofs). */

/** One answer through a host: its HTTP status and the X-Version-Id of the server that answered. */
export interface RoutedAnswer {
  readonly status?: number;
  readonly versionId?: string;
  /** The version X-Version-Id names (BuildNumber when it is a version). */
  readonly version?: string;
  readonly error?: string;
}

/** Requests sent the way the run's journeys go (host, cookie), to prove which servers answer them. */
export interface RoutingProbe {
  readonly url: string;
  /** The cookie sent with each request (canary=always), when any. */
  readonly cookie?: string;
  readonly answers: readonly RoutedAnswer[];
}
