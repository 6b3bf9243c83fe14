/** An incident's severity in Release Readiness. */
export type Severity = 'sev1' | 'sev2' | 'sev3' | 'sev4';

/** What an incident tool's webhook says about one incident. */
export interface IncidentReport {
  externalId: string;
  severity: Severity;
  title: string;
  occurredAt: string;
  link?: string;
}

/** What to find the catalog entities of an incident by. */
export type IncidentTarget =
  /** PagerDuty: the service the incident is on. */
  | { serviceId: string }
  /** Opsgenie: the alert, matched against each entity's component selector. */
  | {
      alert: {
        tags: string[];
        details: Record<string, string>;
        entity?: string;
        alias?: string;
        source?: string;
      };
    };

/** What a webhook payload is. */
export type ParseResult =
  | { kind: 'incident'; report: IncidentReport; target: IncidentTarget }
  /** A well-formed event that is not about an incident to record. */
  | { kind: 'ignored'; reason: string }
  /** Not the tool's payload. */
  | { kind: 'malformed'; reason: string };
