/** What the site-by-site collectors store (active/active, one site at a time). */

export interface SiteDrain {
  /** Where the drain was read: the CR annotation, a PromQL request rate, or nowhere (not checked). */
  readonly source: 'annotation' | 'prometheus' | 'none';
  readonly drained?: boolean;
  /** The annotation's value, or the request rate. */
  readonly value?: string;
  readonly detail: string;
}

export interface SiteState {
  readonly site: string;
  readonly context: string;
  readonly namespace: string;
  readonly installation: string;
  readonly found: boolean;
  readonly declaredActive?: boolean;
  readonly role?: string;
  readonly specVersion?: string;
  readonly statusVersion?: string;
  readonly state?: string;
  readonly drain: SiteDrain;
  /** The site could not be read: its error. */
  readonly error?: string;
}
