import { createExtensionPoint } from '@backstage/backend-plugin-api';

/**
 * An incident as an incident tool reports it, already matched to a catalog
 * entity by the source.
 *
 * @public
 */
export interface ExternalIncident {
  /**
   * The tool's own id of the incident (a PagerDuty incident id, an Opsgenie
   * alert id): every report with the same id is the same incident, so a
   * repeat changes nothing and an update changes the stored one.
   */
  externalId: string;
  /** The catalog entity, e.g. `component:default/payment-gateway`. */
  entityRef: string;
  severity: 'sev1' | 'sev2' | 'sev3' | 'sev4';
  title: string;
  /** The tool's page of the incident. */
  link?: string;
  /** When the incident began (ISO 8601). */
  occurredAt: string;
  /**
   * The release the incident is about, when the tool knows it. Without it
   * the incident is linked to the entity's last release marked released at
   * or before `occurredAt`, if that was within `linkWindowDays`.
   */
  release?: string;
  /**
   * How long after a release an incident is still linked to it, in days
   * (default 14, the window the metrics count an incident against a gate).
   */
  linkWindowDays?: number;
}

/**
 * What became of a reported incident.
 *
 * @public
 */
export type ExternalIncidentOutcome =
  | {
      /**
       * `created`: stored for the first time; `updated`: its severity, title
       * or link changed; `unchanged`: a repeat of what is stored.
       */
      outcome: 'created' | 'updated' | 'unchanged';
      /** The stored incident's id. */
      incidentId: string;
      /** The release it is linked to. */
      release: string;
    }
  | {
      /** Not stored: no release of the entity it could be linked to. */
      outcome: 'unlinked';
      reason: string;
    };

/**
 * Records the incidents of one source in the Release Readiness backend.
 *
 * @public
 */
export interface IncidentRecorder {
  /**
   * Stores an incident, or updates the one with the same `externalId` from
   * this source for the same entity. Throws on bad input (an unknown
   * severity, an unparsable time); the caller decides whether to retry.
   */
  record(incident: ExternalIncident): Promise<ExternalIncidentOutcome>;
}

/**
 * A source of post-release incidents: an incident tool whose reports a
 * backend module receives (webhooks, a poll) and records.
 *
 * @public
 */
export interface IncidentSource {
  /**
   * Unique among the installed sources, lower-case kebab-case, e.g.
   * `pagerduty`; its incidents are recorded as reported by
   * `incident-source:<id>`.
   */
  id: string;
  /** A name for people, e.g. `PagerDuty`. */
  title: string;
  /**
   * Called once the backend is ready to store incidents, with the recorder
   * of this source. Reports that arrive earlier should wait for it.
   */
  connect(recorder: IncidentRecorder): void;
}

/**
 * The extension point through which backend modules add incident sources.
 *
 * @public
 */
export interface ReleaseReadinessIncidentSourcesExtensionPoint {
  addSource(...sources: IncidentSource[]): void;
}

/**
 * Adds incident sources to the Release Readiness backend, from a backend
 * module:
 *
 * ```ts
 * createBackendModule({
 *   pluginId: 'release-readiness',
 *   moduleId: 'my-incident-tool',
 *   register(env) {
 *     env.registerInit({
 *       deps: { sources: releaseReadinessIncidentSourcesExtensionPoint },
 *       async init({ sources }) {
 *         sources.addSource({
 *           id: 'my-incident-tool',
 *           title: 'My incident tool',
 *           connect(recorder) {
 *             // call recorder.record(...) for each incident received
 *           },
 *         });
 *       },
 *     });
 *   },
 * });
 * ```
 *
 * @public
 */
export const releaseReadinessIncidentSourcesExtensionPoint =
  createExtensionPoint<ReleaseReadinessIncidentSourcesExtensionPoint>({
    id: 'release-readiness.incident-sources',
  });
