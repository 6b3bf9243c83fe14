import { ConfigReader } from '@backstage/config';
import {
  DEFAULT_MAX_CLOCK_SKEW_MS,
  evidenceObservedAt,
  readMaxClockSkew,
} from './evidence';

const NOW = new Date('2026-12-05T12:00:00.000Z');
const config = (evidence?: unknown) =>
  new ConfigReader(evidence ? { releaseReadiness: { evidence } } : {});

describe('the clock skew allowed to evidence', () => {
  it('is five minutes unless configured', () => {
    expect(readMaxClockSkew(config())).toBe(5 * 60_000);
    expect(DEFAULT_MAX_CLOCK_SKEW_MS).toBe(5 * 60_000);
  });

  it('reads a duration object or an ISO 8601 duration', () => {
    expect(readMaxClockSkew(config({ maxClockSkew: { seconds: 30 } }))).toBe(
      30_000,
    );
    expect(readMaxClockSkew(config({ maxClockSkew: 'PT2M' }))).toBe(120_000);
    expect(readMaxClockSkew(config({ maxClockSkew: 'PT0S' }))).toBe(0);
  });

  it('refuses what is no duration at start-up', () => {
    expect(() => readMaxClockSkew(config({ maxClockSkew: 'soon' }))).toThrow(
      /maxClockSkew/,
    );
  });

  it('lets an observation lie ahead by at most the skew, both ways', () => {
    const skew = 60_000;
    expect(evidenceObservedAt('2026-12-05T12:01:00Z', NOW, skew)).toBe(
      '2026-12-05T12:01:00.000Z',
    );
    expect(() =>
      evidenceObservedAt('2026-12-05T12:01:00.001Z', NOW, skew),
    ).toThrow(/^observedAt: 2026-12-05T12:01:00.001Z is in the future/);
    expect(() => evidenceObservedAt('2026-12-05T12:00:01Z', NOW, 0)).toThrow(
      /observedAt/,
    );
    expect(evidenceObservedAt('2020-01-01T00:00:00Z', NOW, 0)).toBe(
      '2020-01-01T00:00:00.000Z',
    );
  });

  it('stamps the time of posting when no observedAt is given', () => {
    expect(evidenceObservedAt(undefined, NOW, 0)).toBe(NOW.toISOString());
  });

  it('refuses a day that does not exist, naming observedAt', () => {
    expect(() =>
      evidenceObservedAt('2026-02-30T10:00:00Z', NOW, 60_000),
    ).toThrow(/^observedAt: "2026-02-30T10:00:00Z" is not a day/);
  });
});
