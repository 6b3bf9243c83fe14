import { Config } from '@backstage/config';

/**
 * What the module needs of `releaseReadiness.incidents`.
 *
 * @public
 */
export interface IncidentWebhookSettings {
  /** Days after a release an incident is linked to it (default 14). */
  linkWindowDays: number;
  /** PagerDuty webhooks, when configured. */
  pagerduty?: {
    /** The events topic, and so the path `/api/events/http/<topic>`. */
    topic: string;
    /** The webhook subscription's signing secrets (the current one first). */
    webhookSecrets: string[];
  };
  /** Opsgenie webhooks, when configured. */
  opsgenie?: {
    topic: string;
    /** The token the webhook integration sends in `x-release-readiness-token`. */
    webhookToken: string;
    /** The Opsgenie site, for links to the alerts. */
    domain?: string;
  };
}

const TOPIC = /^[a-z0-9][a-z0-9._-]*$/;

function topicOf(config: Config, fallback: string): string {
  const topic = config.getOptionalString('topic') ?? fallback;
  if (!TOPIC.test(topic)) {
    throw new Error(
      `releaseReadiness.incidents: topic '${topic}' must be lower case letters, digits, '.', '_' or '-'`,
    );
  }
  return topic;
}

/**
 * Reads `releaseReadiness.incidents`; undefined when neither PagerDuty nor
 * Opsgenie is configured.
 *
 * @public
 */
export function readIncidentWebhookSettings(
  config: Config,
): IncidentWebhookSettings | undefined {
  const section = config.getOptionalConfig('releaseReadiness.incidents');
  if (!section) return undefined;
  const linkWindowDays = section.getOptionalNumber('linkWindowDays') ?? 14;
  if (!(linkWindowDays > 0 && linkWindowDays <= 366)) {
    throw new Error(
      `releaseReadiness.incidents.linkWindowDays must be 1 to 366 days, got ${linkWindowDays}`,
    );
  }
  const settings: IncidentWebhookSettings = { linkWindowDays };
  const pd = section.getOptionalConfig('pagerduty');
  if (pd) {
    const secrets = [
      pd.getString('webhookSecret'),
      ...(pd.getOptionalStringArray('previousWebhookSecrets') ?? []),
    ].filter(s => s.length > 0);
    if (!secrets.length) {
      throw new Error(
        'releaseReadiness.incidents.pagerduty.webhookSecret must not be empty',
      );
    }
    settings.pagerduty = {
      topic: topicOf(pd, 'pagerduty'),
      webhookSecrets: secrets,
    };
  }
  const og = section.getOptionalConfig('opsgenie');
  if (og) {
    const webhookToken = og.getString('webhookToken');
    if (webhookToken.length < 16) {
      throw new Error(
        'releaseReadiness.incidents.opsgenie.webhookToken must be at least 16 characters',
      );
    }
    const domain = og.getOptionalString('domain');
    if (domain !== undefined && !/^https?:\/\//.test(domain)) {
      throw new Error(
        `releaseReadiness.incidents.opsgenie.domain must be an http(s) URL, got '${domain}'`,
      );
    }
    settings.opsgenie = {
      topic: topicOf(og, 'opsgenie'),
      webhookToken,
      ...(domain ? { domain } : {}),
    };
  }
  if (!settings.pagerduty && !settings.opsgenie) return undefined;
  if (
    settings.pagerduty &&
    settings.pagerduty.topic === settings.opsgenie?.topic
  ) {
    throw new Error(
      'releaseReadiness.incidents: PagerDuty and Opsgenie need different topics',
    );
  }
  return settings;
}
