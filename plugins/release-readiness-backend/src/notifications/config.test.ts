import { ConfigReader } from '@backstage/config';
import { readDigestSettings } from './config';

const read = (digest?: unknown) =>
  readDigestSettings(
    new ConfigReader(
      digest === undefined
        ? {}
        : { releaseReadiness: { notifications: { digest } } },
    ),
  );

describe('releaseReadiness.notifications.digest', () => {
  it('defaults to three sign-off notifications per person and hour, as documented', () => {
    expect(read()).toEqual({ maxPerPeriod: 3, periodMs: 3_600_000 });
    expect(read({})).toEqual({ maxPerPeriod: 3, periodMs: 3_600_000 });
    expect(read({ maxPerPeriod: 5 })).toEqual({
      maxPerPeriod: 5,
      periodMs: 3_600_000,
    });
  });

  it('takes the period as a duration object or an ISO 8601 duration', () => {
    expect(read({ period: { minutes: 30 } }).periodMs).toBe(1_800_000);
    expect(read({ period: 'PT2H' }).periodMs).toBe(7_200_000);
  });

  it('stops the start-up on a wrong value, naming the key', () => {
    expect(() => read({ maxPerPeriod: 0 })).toThrow(
      'releaseReadiness.notifications.digest.maxPerPeriod',
    );
    expect(() => read({ maxPerPeriod: 2.5 })).toThrow(
      'releaseReadiness.notifications.digest.maxPerPeriod',
    );
    expect(() => read({ period: { minutes: 0 } })).toThrow(
      'releaseReadiness.notifications.digest.period',
    );
    expect(() => read({ period: 'soon' })).toThrow(/period/);
  });
});
