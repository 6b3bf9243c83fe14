import { parseEntityRef } from '@backstage/catalog-model';
import { MetricsBucket } from '@release-readiness/plugin-common';
import { stateLabel } from '../shared/format';
import { FilterKey } from './query';
import type { ReleaseReadinessT } from '../../translation';

/** `group:default/payments` → `payments`; other namespaces stay visible. */
export function shortRef(ref: string | undefined): string {
  if (!ref) {
    return '';
  }
  try {
    const { namespace, name } = parseEntityRef(ref);
    return namespace === 'default' ? name : `${namespace}/${name}`;
  } catch {
    return ref;
  }
}

/** The words for one value of a filter, without its count. */
export function facetValueLabel(
  key: FilterKey,
  value: string,
  t: ReleaseReadinessT,
): string {
  switch (key) {
    case 'owner':
    case 'system':
      return value === 'none' ? t('portfolio.none') : shortRef(value);
    case 'tier':
      return t('portfolio.tierFacet', {
        level: gateLevelLabel(Number(value), t),
        tier: value,
      });
    case 'state':
      return stateLabel(value, t);
    default:
      return value;
  }
}

/** Hours as people read them: `18 h`, `3.5 d`, or `—` when unknown. */
export function formatHours(
  hours: number | null | undefined,
  t: ReleaseReadinessT,
): string {
  if (hours === null || hours === undefined || !Number.isFinite(hours)) {
    return t('shared.noValue');
  }
  if (hours < 48) {
    return t('portfolio.hours', { hours: String(Math.round(hours * 10) / 10) });
  }
  return t('portfolio.days', {
    days: String(Math.round((hours / 24) * 10) / 10),
  });
}

/** A 0..1 rate as a percentage, or `—` when unknown. */
export function formatPercent(
  rate: number | null | undefined,
  t: ReleaseReadinessT,
): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) {
    return t('shared.noValue');
  }
  return t('portfolio.percent', {
    percent: String(Math.round(rate * 1000) / 10),
  });
}

/** The periods of the buckets, oldest first (`2026-11`, `2026-Q4` sort as text). */
export function periodsOf(buckets: MetricsBucket[]): string[] {
  return [...new Set(buckets.map(b => b.period))].sort();
}

/** The newest period of the buckets, if any. */
export function latestPeriod(buckets: MetricsBucket[]): string | undefined {
  const periods = periodsOf(buckets);
  return periods[periods.length - 1];
}

/** A metrics group in words: team and system refs shortened, tiers named. */
export function groupLabel(
  groupBy: 'team' | 'tier' | 'system',
  group: string,
  t: ReleaseReadinessT,
): string {
  if (groupBy === 'tier') {
    return gateLevelLabel(Number(group), t);
  }
  return shortRef(group);
}

const GATE_LEVELS = {
  1: 'component',
  2: 'system',
  3: 'business',
} as const;

/**
 * The level of the gate template that applies to an entity, in words
 * (`Component gate` for tier 1): the plugin's tiers are gate levels, not the
 * criticality a catalog tag such as `tier-3` may name, so the portfolio
 * writes the level out rather than a bare "Tier 1" beside such a tag.
 */
export function gateLevelLabel(
  tier: number | undefined,
  t: ReleaseReadinessT,
): string {
  if (tier === undefined || !Number.isFinite(tier)) {
    return '';
  }
  const level = GATE_LEVELS[tier as keyof typeof GATE_LEVELS];
  return level
    ? t(`portfolio.gateLevels.${level}`)
    : t('portfolio.gateLevelOther', { tier: String(tier) });
}
