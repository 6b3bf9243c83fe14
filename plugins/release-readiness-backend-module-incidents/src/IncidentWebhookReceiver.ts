import { LoggerService } from '@backstage/backend-plugin-api';
import {
  Entity,
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ExternalIncidentOutcome,
  IncidentRecorder,
} from '@release-readiness/plugin-node';
import {
  compileComponentSelector,
  OPSGENIE_COMPONENT_SELECTOR_ANNOTATION,
  parseOpsgenieWebhook,
} from './opsgenie';
import {
  PAGERDUTY_SERVICE_ID_ANNOTATION,
  parsePagerDutyWebhook,
} from './pagerduty';
import { IncidentTarget, ParseResult } from './types';

/** The entities carrying an annotation, with their annotations. */
export type AnnotatedEntities = (
  annotation: string,
  value?: string,
) => Promise<Entity[]>;

/** The incident tools the module receives webhooks from. */
export type IncidentTool = 'pagerduty' | 'opsgenie';

/** What became of one webhook. */
export interface WebhookResult {
  tool: IncidentTool;
  /** `malformed`/`ignored` payloads and incidents on no known entity record nothing. */
  status: 'recorded' | 'ignored' | 'malformed' | 'no-entity';
  reason?: string;
  /** One per matched entity. */
  outcomes: Array<{ entityRef: string } & ExternalIncidentOutcome>;
}

/**
 * Turns incident tools' webhook payloads into incidents of the entities
 * whose annotations name the incident's service (PagerDuty) or select its
 * alert (Opsgenie), recorded through each tool's recorder.
 */
export class IncidentWebhookReceiver {
  private readonly recorders = new Map<
    IncidentTool,
    Promise<IncidentRecorder>
  >();
  private readonly connect = new Map<
    IncidentTool,
    (r: IncidentRecorder) => void
  >();
  private readonly unsupportedSelectors = new Set<string>();

  constructor(
    private readonly options: {
      entities: AnnotatedEntities;
      logger: LoggerService;
      linkWindowDays: number;
      opsgenieDomain?: string;
      /** Waits before each new attempt after a failure (default 250 ms, 1 s). */
      retryDelaysMs?: number[];
    },
  ) {
    for (const tool of ['pagerduty', 'opsgenie'] as const) {
      this.recorders.set(
        tool,
        new Promise(resolve => this.connect.set(tool, resolve)),
      );
    }
  }

  /** Called by the backend with the tool's recorder; webhooks wait for it. */
  connected(tool: IncidentTool, recorder: IncidentRecorder) {
    this.connect.get(tool)!(recorder);
  }

  private parse(tool: IncidentTool, payload: unknown): ParseResult {
    return tool === 'pagerduty'
      ? parsePagerDutyWebhook(payload)
      : parseOpsgenieWebhook(payload, { domain: this.options.opsgenieDomain });
  }

  private async entitiesOf(target: IncidentTarget): Promise<string[]> {
    if ('serviceId' in target) {
      const found = await this.options.entities(
        PAGERDUTY_SERVICE_ID_ANNOTATION,
        target.serviceId,
      );
      return found.map(e => stringifyEntityRef(getCompoundEntityRef(e)));
    }
    const candidates = await this.options.entities(
      OPSGENIE_COMPONENT_SELECTOR_ANNOTATION,
    );
    const refs: string[] = [];
    for (const entity of candidates) {
      const selector =
        entity.metadata.annotations?.[OPSGENIE_COMPONENT_SELECTOR_ANNOTATION];
      if (!selector) continue;
      const matches = compileComponentSelector(selector);
      const ref = stringifyEntityRef(getCompoundEntityRef(entity));
      if (!matches) {
        if (!this.unsupportedSelectors.has(`${ref} ${selector}`)) {
          this.unsupportedSelectors.add(`${ref} ${selector}`);
          this.options.logger.warn(
            `${ref}: the Opsgenie component selector '${selector}' uses more than AND-joined detailsPair(), tag:, entity:, alias: or source: terms; its alerts are not linked`,
          );
        }
        continue;
      }
      if (matches(target)) refs.push(ref);
    }
    return refs;
  }

  /**
   * Records, trying again after a failure that is not a refusal of the
   * input (the database restarting…): the webhook was already answered,
   * so this is the only second chance before the tool's next event.
   */
  private async recordWithRetries(
    recorder: IncidentRecorder,
    incident: Parameters<IncidentRecorder['record']>[0],
  ): Promise<ExternalIncidentOutcome> {
    const delays = this.options.retryDelaysMs ?? [250, 1000];
    for (let attempt = 0; ; attempt++) {
      try {
        return await recorder.record(incident);
      } catch (error) {
        if (
          (error as Error)?.name === 'InputError' ||
          attempt >= delays.length
        ) {
          throw error;
        }
        await new Promise(resolve => setTimeout(resolve, delays[attempt]));
      }
    }
  }

  /** Handles one webhook payload of a tool, already authenticated by the ingress. */
  async receive(tool: IncidentTool, payload: unknown): Promise<WebhookResult> {
    const parsed = this.parse(tool, payload);
    const { logger } = this.options;
    if (parsed.kind !== 'incident') {
      (parsed.kind === 'malformed' ? logger.warn : logger.debug).call(
        logger,
        `${tool} webhook ${parsed.kind}: ${parsed.reason}`,
      );
      return { tool, status: parsed.kind, reason: parsed.reason, outcomes: [] };
    }
    const refs = await this.entitiesOf(parsed.target);
    if (!refs.length) {
      const reason =
        'serviceId' in parsed.target
          ? `no catalog entity has the annotation ${PAGERDUTY_SERVICE_ID_ANNOTATION}: ${parsed.target.serviceId}`
          : `no catalog entity's ${OPSGENIE_COMPONENT_SELECTOR_ANNOTATION} selects the alert`;
      logger.info(
        `${tool} incident ${parsed.report.externalId} not recorded: ${reason}`,
      );
      return { tool, status: 'no-entity', reason, outcomes: [] };
    }
    const recorder = await this.recorders.get(tool)!;
    const outcomes: WebhookResult['outcomes'] = [];
    let failure: unknown;
    for (const entityRef of refs) {
      try {
        const outcome = await this.recordWithRetries(recorder, {
          ...parsed.report,
          entityRef,
          linkWindowDays: this.options.linkWindowDays,
        });
        outcomes.push({ entityRef, ...outcome });
      } catch (error) {
        // One entity's refusal or failure leaves the others.
        if ((error as Error)?.name !== 'InputError') failure ??= error;
        logger.warn(
          `${tool} incident ${parsed.report.externalId} on ${entityRef} not recorded: ${error}`,
        );
        outcomes.push({
          entityRef,
          outcome: 'unlinked',
          reason: String((error as Error).message ?? error),
        });
      }
    }
    // The events service logs a failed delivery; the tool's next event on
    // the incident (acknowledged, resolved…) records it then.
    if (failure) throw failure;
    return { tool, status: 'recorded', outcomes };
  }
}
