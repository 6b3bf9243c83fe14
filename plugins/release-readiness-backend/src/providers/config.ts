import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';

/** How long a provider may take for one release unless configured. */
export const DEFAULT_PROVIDER_TIMEOUT_MS = 30_000;

/** The scheduled collection over every open gate unless configured. */
export const DEFAULT_COLLECTION_SCHEDULE: SchedulerServiceTaskScheduleDefinition =
  {
    frequency: { minutes: 30 },
    timeout: { minutes: 25 },
    initialDelay: { minutes: 2 },
  };

/** `releaseReadiness.evidenceProviders`, read once at start-up. */
export function readEvidenceProviderSettings(config: Config): {
  timeoutMs: number;
  schedule: SchedulerServiceTaskScheduleDefinition;
} {
  const key = 'releaseReadiness.evidenceProviders';
  let timeoutMs = DEFAULT_PROVIDER_TIMEOUT_MS;
  if (config.has(`${key}.timeout`)) {
    timeoutMs = durationToMilliseconds(
      readDurationFromConfig(config, { key: `${key}.timeout` }),
    );
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
      throw new Error(`${key}.timeout must be a duration longer than zero`);
    }
  }
  const schedule = config.has(`${key}.schedule`)
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
        config.getConfig(`${key}.schedule`),
      )
    : DEFAULT_COLLECTION_SCHEDULE;
  return { timeoutMs, schedule };
}
