import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  ExternalIncident,
  ExternalIncidentOutcome,
  IncidentRecorder,
  IncidentSource,
} from '@release-readiness/plugin-node';
import { IncidentStore } from '../database/IncidentStore';

const SEVERITIES = new Set(['sev1', 'sev2', 'sev3', 'sev4']);
const SOURCE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * Checks what a source reported and puts it in the stored form: a
 * lower-case entity ref, an ISO time no later than now plus the allowed
 * clock skew, a known severity and a title.
 */
export function normalizeExternalIncident(
  incident: ExternalIncident,
  options: { now: Date; maxClockSkewMs: number },
): ExternalIncident {
  if (!incident || typeof incident !== 'object') {
    throw new InputError('an incident must be an object');
  }
  const externalId = String(incident.externalId ?? '').trim();
  if (!externalId || externalId.length > 255) {
    throw new InputError('externalId must be 1 to 255 characters');
  }
  let entityRef: string;
  try {
    entityRef = stringifyEntityRef(
      parseEntityRef(incident.entityRef, { defaultKind: 'component' }),
    ).toLocaleLowerCase('en-US');
  } catch (error) {
    throw new InputError(`entityRef: ${(error as Error).message}`);
  }
  if (!SEVERITIES.has(incident.severity)) {
    throw new InputError(
      `severity must be one of sev1, sev2, sev3, sev4, not ${JSON.stringify(
        incident.severity,
      )}`,
    );
  }
  const title = String(incident.title ?? '').trim();
  if (!title) throw new InputError('title must not be empty');
  const occurred = new Date(incident.occurredAt);
  if (typeof incident.occurredAt !== 'string' || isNaN(occurred.getTime())) {
    throw new InputError(
      `occurredAt must be an ISO 8601 time, not ${JSON.stringify(
        incident.occurredAt,
      )}`,
    );
  }
  if (occurred.getTime() > options.now.getTime() + options.maxClockSkewMs) {
    throw new InputError(`occurredAt ${incident.occurredAt} is in the future`);
  }
  const window = incident.linkWindowDays;
  if (
    window !== undefined &&
    (typeof window !== 'number' || !(window > 0) || window > 366)
  ) {
    throw new InputError('linkWindowDays must be a number of days, 1 to 366');
  }
  if (
    incident.link !== undefined &&
    (typeof incident.link !== 'string' ||
      !/^https?:\/\//i.test(incident.link) ||
      incident.link.length > 2000)
  ) {
    throw new InputError(
      'link must be an http(s) URL of at most 2000 characters',
    );
  }
  const release = incident.release?.trim();
  if (release !== undefined && release.length > 255) {
    throw new InputError('release must be at most 255 characters');
  }
  return {
    externalId,
    entityRef,
    severity: incident.severity,
    title: title.slice(0, 500),
    occurredAt: occurred.toISOString(),
    ...(incident.link ? { link: incident.link } : {}),
    ...(release ? { release } : {}),
    ...(window !== undefined ? { linkWindowDays: window } : {}),
  };
}

/**
 * Hands each incident source its recorder once the stores exist. What a
 * source records is checked, stored idempotently per external id and
 * recorded as an auditor event `incident-report`.
 */
export function connectIncidentSources(options: {
  sources: IncidentSource[];
  incidents: IncidentStore;
  auditor: AuditorService;
  logger: LoggerService;
  maxClockSkewMs: number;
}): void {
  const { sources, incidents, auditor, logger, maxClockSkewMs } = options;
  const seen = new Set<string>();
  for (const source of sources) {
    if (!SOURCE_ID.test(source.id) || source.id.length > 64) {
      throw new Error(
        `Incident source id ${JSON.stringify(
          source.id,
        )} must be lower-case kebab-case, at most 64 characters`,
      );
    }
    if (seen.has(source.id)) {
      throw new Error(`Two incident sources have the id ${source.id}`);
    }
    seen.add(source.id);
  }
  for (const source of sources) {
    const recorder: IncidentRecorder = {
      async record(reported): Promise<ExternalIncidentOutcome> {
        const incident = normalizeExternalIncident(reported, {
          now: new Date(),
          maxClockSkewMs,
        });
        const event = await auditor.createEvent({
          eventId: 'incident-report',
          severityLevel: 'medium',
          meta: {
            source: source.id,
            externalId: incident.externalId,
            entityRef: incident.entityRef,
          },
        });
        let outcome: ExternalIncidentOutcome;
        try {
          outcome = await incidents.recordExternalIncident({
            source: { id: source.id, title: source.title },
            incident,
          });
        } catch (error) {
          await event.fail({ error: error as Error });
          throw error;
        }
        try {
          await event.success({
            meta:
              outcome.outcome === 'unlinked'
                ? { outcome: outcome.outcome, reason: outcome.reason }
                : {
                    outcome: outcome.outcome,
                    incidentId: outcome.incidentId,
                    release: outcome.release,
                  },
          });
        } catch {
          // Recorded; the auditor logs its own failure.
        }
        logger.info(
          outcome.outcome === 'unlinked'
            ? `Incident ${incident.externalId} from ${source.title} on ${incident.entityRef} not linked: ${outcome.reason}`
            : `Incident ${incident.externalId} from ${source.title} on ${incident.entityRef} release ${outcome.release}: ${outcome.outcome}`,
        );
        return outcome;
      },
    };
    source.connect(recorder);
  }
  if (sources.length) {
    logger.info(`Incident sources: ${sources.map(s => s.id).join(', ')}`);
  }
}
