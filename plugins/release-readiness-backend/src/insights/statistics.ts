/*
 * The statistics of the outcome loop (issue 18), on aggregate counts from
 * the database: rates with their 95 % Wilson score interval, the rule of a
 * minimum sample on each side, and the finding for an item in plain words.
 * Correlation, not cause: the words say "more often", never "because".
 */
import {
  ItemFindingKind,
  ItemInsight,
  ItemOutcome,
  ItemOutcomeStats,
  RateWithInterval,
} from '@release-readiness/plugin-common';

/** z of a two-sided 95 % interval. */
const Z = 1.959964;

/** The 95 % Wilson score interval of `k` successes in `n` trials. */
export function wilson(k: number, n: number): [number, number] | null {
  if (n <= 0) return null;
  const p = k / n;
  const z2 = Z * Z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half =
    (Z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

export function rateOf(releases: number, incidents: number): RateWithInterval {
  return {
    releases,
    incidents,
    rate: releases ? incidents / releases : null,
    interval: wilson(incidents, releases),
  };
}

/** The counts of one item and outcome, as the database aggregates them. */
export interface OutcomeCount {
  outcome: ItemOutcome;
  releases: number;
  incidents: number;
}

const OUTCOME_WORDS: Record<ItemOutcome, string> = {
  passed: 'passed',
  waived: 'waived',
  'not-applicable': 'marked not applicable',
  'failed-then-fixed': 'failed and then fixed',
};

/** The outcomes a finding can be about: the ones that depart from a pass. */
const DEPARTURES: ItemOutcome[] = [
  'waived',
  'not-applicable',
  'failed-then-fixed',
];

const percent = (rate: number | null) =>
  rate === null ? '–' : `${Math.round(rate * 100)} %`;

/**
 * The item's finding from its outcome counts: each departure from a pass
 * compared with the item's other releases; `riskier` only with at least
 * `minSample` releases on each side and intervals that do not overlap.
 */
export function itemFinding(
  item: {
    template: string;
    itemId: string;
    title: string;
    /** Checked by evidence (its status shows no failed run). */
    automated?: boolean;
  },
  counts: OutcomeCount[],
  options: { minSample: number; windowDays: number },
): ItemInsight {
  const releases = counts.reduce((n, c) => n + c.releases, 0);
  const incidents = counts.reduce((n, c) => n + c.incidents, 0);
  const outcomes: ItemOutcomeStats[] = counts
    .filter(c => c.releases > 0)
    .map(c => ({
      outcome: c.outcome,
      ...rateOf(c.releases, c.incidents),
      otherwise: rateOf(releases - c.releases, incidents - c.incidents),
    }));
  const enough = (o: ItemOutcomeStats) =>
    o.releases >= options.minSample &&
    o.otherwise.releases >= options.minSample;
  const riskier = outcomes
    .filter(o => DEPARTURES.includes(o.outcome) && enough(o))
    .filter(o => o.interval![0] > o.otherwise.interval![1])
    .sort(
      (a, b) => b.rate! - b.otherwise.rate! - (a.rate! - a.otherwise.rate!),
    );
  const within = `within ${options.windowDays} days`;
  let finding: ItemFindingKind;
  let reading: string;
  let findingOutcome: ItemOutcome | undefined;
  if (riskier.length) {
    const o = riskier[0];
    finding = 'riskier';
    findingOutcome = o.outcome;
    reading = `${OUTCOME_WORDS[o.outcome]} in ${o.releases} releases, ${
      o.incidents
    } had a sev1–2 incident ${within}: ${percent(o.rate)} vs ${percent(
      o.otherwise.rate,
    )} otherwise (95 % intervals ${percent(o.interval![0])}–${percent(
      o.interval![1],
    )} and ${percent(o.otherwise.interval![0])}–${percent(
      o.otherwise.interval![1],
    )}). Correlation, not cause: look at these releases before changing the item.`;
  } else {
    const departed = outcomes.filter(o => DEPARTURES.includes(o.outcome));
    const blocked = departed.some(
      o => o.outcome === 'waived' || o.outcome === 'failed-then-fixed',
    );
    if (releases < options.minSample) {
      finding = 'not-enough-data';
      reading = `Only ${releases} releases had this item; at least ${options.minSample} are needed before anything is said.`;
    } else if (!blocked && item.automated) {
      // An automated item's failed runs are evidence, not its status: a
      // release shows only the pass its GO needed.
      finding = 'no-difference';
      reading = `Passed by its evidence in all ${releases} releases. Failed runs before a release are not counted here, so this says nothing about retiring it.`;
    } else if (!blocked) {
      finding = 'retire-candidate';
      reading = `Passed in all ${releases} releases${
        departed.length ? ' where it applied' : ''
      }, never waived or failed, and releases ${
        departed.length ? 'without it' : 'with it'
      } had no more incidents than others: it never blocked anything. A candidate to retire, or to make automated.`;
    } else if (!departed.some(enough)) {
      finding = 'not-enough-data';
      reading = `${departed
        .map(o => `${OUTCOME_WORDS[o.outcome]} in ${o.releases}`)
        .join(', ')} of ${releases} releases: too few to compare (at least ${
        options.minSample
      } on each side are needed).`;
    } else {
      finding = 'no-difference';
      reading = `${departed
        .map(
          o =>
            `${OUTCOME_WORDS[o.outcome]} in ${o.releases} releases: ${percent(
              o.rate,
            )} had a sev1–2 incident ${within}, vs ${percent(
              o.otherwise.rate,
            )} otherwise`,
        )
        .join('; ')}. No difference beyond chance.`;
    }
  }
  const { automated: _automated, ...named } = item;
  return {
    ...named,
    releases,
    incidents,
    outcomes,
    finding,
    ...(findingOutcome ? { findingOutcome } : {}),
    reading,
  };
}

/** Riskier first (largest difference first), then the rest by releases. */
export function compareInsights(a: ItemInsight, b: ItemInsight): number {
  const order: ItemFindingKind[] = [
    'riskier',
    'no-difference',
    'retire-candidate',
    'not-enough-data',
  ];
  const byKind = order.indexOf(a.finding) - order.indexOf(b.finding);
  if (byKind) return byKind;
  if (a.finding === 'riskier') {
    const gap = (i: ItemInsight) => {
      const o = i.outcomes.find(x => x.outcome === i.findingOutcome)!;
      return o.rate! - o.otherwise.rate!;
    };
    return gap(b) - gap(a);
  }
  return (
    b.releases - a.releases ||
    a.template.localeCompare(b.template) ||
    a.itemId.localeCompare(b.itemId)
  );
}
