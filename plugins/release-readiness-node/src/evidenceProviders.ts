import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';

/**
 * What the backend asks an evidence provider for: the facts of one release
 * of one catalog entity.
 *
 * @public
 */
export interface EvidenceCollectionRequest {
  /** The catalog entity, as the catalog returned it (with its annotations). */
  entity: Entity;
  /** Its ref, lower case, e.g. `component:default/payment-gateway`. */
  entityRef: string;
  /** The release the gate is for, e.g. `2.4.0`. */
  release: string;
  /**
   * The commit of the release when the gate knows one: the commit of the
   * newest evidence already recorded for the release.
   */
  commit?: string;
  /**
   * The evidence types the gate's automated items read, among those the
   * provider declared: produce only these.
   */
  types: string[];
  /**
   * Aborted when the collection's time is up (`releaseReadiness.evidenceProviders.timeout`);
   * pass it to `fetch`.
   */
  signal: AbortSignal;
}

/**
 * One fact a provider collected. It takes the same path as evidence a
 * pipeline posts: recorded once per `runId` (a repeat with the same content
 * is a no-op, other content is refused), never dated in the future, and
 * judged by the item's rule and maximum age like any other evidence.
 *
 * @public
 */
export interface CollectedEvidence {
  /** One of the types the provider declared. */
  type: string;
  /** `failed` never passes an item, whatever its metrics say. */
  status: 'passed' | 'failed' | 'error' | 'unknown';
  /** The values the items' rules read, e.g. `{ score: 93, coverage: 81.4 }`. */
  metrics?: Record<string, number | boolean | string>;
  /** Where a person sees the source's own page for this fact. */
  link?: string;
  /** The commit the fact is about. */
  commit?: string;
  /**
   * The source's own id of the run or analysis, stable across collections:
   * the same fact collected twice is stored once.
   */
  runId: string;
  /** When the source observed it (ISO 8601), not when it was collected. */
  observedAt: string;
}

/**
 * A source of evidence the backend asks on a schedule, when a gate opens and
 * when someone presses "Refresh evidence" on the Readiness tab.
 *
 * @public
 */
export interface EvidenceProvider {
  /**
   * Unique among the installed providers, lower-case kebab-case, e.g.
   * `sonarqube`; the evidence it collects is recorded as posted by
   * `provider:<id>`.
   */
  id: string;
  /** A name for people, e.g. `SonarQube`. */
  title: string;
  /** The evidence types it can produce. */
  types: string[];
  /**
   * What it reads for a type, in a few words the Readiness tab shows after
   * its title, e.g. `check groupOwnerCheck` ("Collected from Tech Insights,
   * check groupOwnerCheck"). Optional; undefined for no words.
   */
  describe?(type: string): string | undefined;
  /**
   * Collects the facts of a release. Throwing (or not answering before the
   * request's signal aborts) records a visible, dated "could not collect"
   * on the items of the provider's types; it never passes an item. Return
   * an empty list when the source has nothing for this entity (for example
   * when the entity lacks the provider's annotation).
   */
  collect(request: EvidenceCollectionRequest): Promise<CollectedEvidence[]>;
}

/**
 * The extension point through which backend modules add evidence providers.
 *
 * @public
 */
export interface ReleaseReadinessEvidenceProvidersExtensionPoint {
  addProvider(...providers: EvidenceProvider[]): void;
}

/**
 * Adds evidence providers to the Release Readiness backend, from a backend
 * module:
 *
 * ```ts
 * createBackendModule({
 *   pluginId: 'release-readiness',
 *   moduleId: 'my-scanner',
 *   register(env) {
 *     env.registerInit({
 *       deps: { providers: releaseReadinessEvidenceProvidersExtensionPoint },
 *       async init({ providers }) {
 *         providers.addProvider(myScannerProvider);
 *       },
 *     });
 *   },
 * });
 * ```
 *
 * @public
 */
export const releaseReadinessEvidenceProvidersExtensionPoint =
  createExtensionPoint<ReleaseReadinessEvidenceProvidersExtensionPoint>({
    id: 'release-readiness.evidence-providers',
  });
