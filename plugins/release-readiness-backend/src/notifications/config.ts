import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import { DEFAULT_DIGEST, DigestSettings } from './signoffSender';

/**
 * `releaseReadiness.notifications.digest`: at most `maxPerPeriod` sign-off
 * notifications per person and `period` (a duration object or ISO 8601),
 * the rest in a digest. Defaults: 3 per hour. A wrong value stops the
 * backend at start-up, naming the key.
 */
export function readDigestSettings(config: Config): DigestSettings {
  const key = 'releaseReadiness.notifications.digest';
  const digest = config.getOptionalConfig(key);
  if (!digest) return DEFAULT_DIGEST;
  const maxPerPeriod =
    digest.getOptionalNumber('maxPerPeriod') ?? DEFAULT_DIGEST.maxPerPeriod;
  if (!Number.isInteger(maxPerPeriod) || maxPerPeriod < 1) {
    throw new Error(`${key}.maxPerPeriod must be a whole number of 1 or more`);
  }
  const periodMs = digest.has('period')
    ? durationToMilliseconds(readDurationFromConfig(digest, { key: 'period' }))
    : DEFAULT_DIGEST.periodMs;
  if (!Number.isFinite(periodMs) || periodMs <= 0) {
    throw new Error(`${key}.period must be a duration longer than zero`);
  }
  return { maxPerPeriod, periodMs };
}
