import {
  MetricsResponse,
  MetricsValues,
  PortfolioResponse,
  PortfolioRow,
} from '@release-readiness/plugin-common';

export function row(
  name: string,
  overrides: Partial<PortfolioRow> = {},
  gate: Partial<NonNullable<PortfolioRow['currentGate']>> | null = {},
): PortfolioRow {
  return {
    entityRef: `component:default/${name}`,
    kind: 'Component',
    title: name,
    type: 'service',
    lifecycle: 'production',
    ownerRef: 'group:default/payments',
    systemRef: 'system:default/payments-platform',
    tags: [],
    templateName: 'standard-service',
    tier: 1,
    ...overrides,
    ...(gate === null
      ? {}
      : {
          currentGate: {
            id: `gate-${name}`,
            release: '1.0.0',
            state: 'in-progress',
            verdict: 'IN PROGRESS',
            score: 60,
            blockers: 2,
            ...gate,
          },
        }),
  };
}

export const portfolioFixture: PortfolioResponse = {
  items: [
    row('payment-gateway', {}, { release: '2.4.0', score: 72, blockers: 3 }),
    row(
      'ledger',
      {},
      {
        release: '7.1.0',
        state: 'no-go',
        verdict: 'NO-GO',
        score: 40,
        blockers: 5,
        lastDecision: { verdict: 'no-go', at: '2026-03-02T09:00:00Z' },
      },
    ),
    row(
      'checkout-web',
      {
        ownerRef: 'group:default/checkout',
        systemRef: 'system:default/storefront',
        tier: 2,
      },
      {
        release: '3.0.0',
        state: 'go',
        verdict: 'GO',
        score: 100,
        blockers: 0,
        plannedAt: '2026-03-10T10:00:00Z',
      },
    ),
  ],
  totalItems: 120,
  offset: 0,
  limit: 50,
  facets: {
    owner: [
      { value: 'group:default/payments', count: 12 },
      { value: 'group:default/checkout', count: 8 },
    ],
    system: [
      { value: 'system:default/payments-platform', count: 10 },
      { value: 'system:default/storefront', count: 10 },
    ],
    tier: [
      { value: '1', count: 15 },
      { value: '2', count: 5 },
    ],
    state: [
      { value: 'in-progress', count: 9 },
      { value: 'go', count: 4 },
      { value: 'no-go', count: 3 },
      { value: 'none', count: 4 },
    ],
    verdict: [
      { value: 'IN PROGRESS', count: 9 },
      { value: 'GO', count: 4 },
      { value: 'NO-GO', count: 3 },
    ],
  },
  teams: [
    {
      ownerRef: 'group:default/payments',
      entities: 12,
      go: 2,
      noGo: 3,
      inProgress: 5,
      released: 0,
      rolledBack: 0,
      noGate: 2,
    },
    {
      ownerRef: 'group:default/checkout',
      entities: 8,
      go: 2,
      noGo: 0,
      inProgress: 4,
      released: 0,
      rolledBack: 0,
      noGate: 2,
    },
  ],
};

function bucket(
  period: string,
  group: string,
  values: {
    go: number;
    noGo: number;
    median: number | null;
    p90: number | null;
    blockers: number | null;
  },
) {
  const decisions = values.go + values.noGo;
  return {
    period,
    group,
    gates: decisions + 1,
    releases: values.go,
    goDecisions: values.go,
    noGoDecisions: values.noGo,
    noGoRate: decisions === 0 ? null : values.noGo / decisions,
    leadTimeHours: { median: values.median, p90: values.p90 },
    blockersPerGate: values.blockers,
    incidents: 0,
    incidentsPerRelease: values.go === 0 ? null : 0,
  };
}

/** Metrics values, zero and null unless given. */
export function metricsValues(v: Partial<MetricsValues> = {}): MetricsValues {
  return {
    gates: 0,
    releases: 0,
    goDecisions: 0,
    noGoDecisions: 0,
    noGoRate: null,
    leadTimeHours: { median: null, p90: null },
    blockersPerGate: null,
    incidents: 0,
    incidentsPerRelease: null,
    ...v,
  };
}

/**
 * By team, and over every gate. In February the teams' median lead times
 * are 20 and 10 hours, whose median is 15; over all of February's gates the
 * median is 18 hours, as the backend computes it from the gates themselves.
 */
export const teamMetricsFixture: MetricsResponse = {
  groupBy: 'team',
  period: 'month',
  buckets: [
    bucket('2026-01', 'group:default/payments', {
      go: 4,
      noGo: 1,
      median: 30,
      p90: 70,
      blockers: 2,
    }),
    bucket('2026-02', 'group:default/payments', {
      go: 3,
      noGo: 1,
      median: 20,
      p90: 50,
      blockers: 1.5,
    }),
    bucket('2026-02', 'group:default/checkout', {
      go: 1,
      noGo: 0,
      median: 10,
      p90: 12,
      blockers: 0.5,
    }),
  ],
  overall: {
    periods: [
      {
        period: '2026-01',
        ...metricsValues({
          gates: 6,
          releases: 4,
          goDecisions: 4,
          noGoDecisions: 1,
          noGoRate: 0.2,
          leadTimeHours: { median: 30, p90: 70 },
          blockersPerGate: 2,
          incidentsPerRelease: 0,
        }),
      },
      {
        period: '2026-02',
        ...metricsValues({
          gates: 7,
          releases: 4,
          goDecisions: 4,
          noGoDecisions: 1,
          noGoRate: 0.2,
          leadTimeHours: { median: 18, p90: 50 },
          blockersPerGate: 1.25,
          incidents: 1,
          incidentsPerRelease: 0.25,
        }),
      },
    ],
    total: metricsValues({
      gates: 13,
      releases: 8,
      goDecisions: 8,
      noGoDecisions: 2,
      noGoRate: 0.2,
      leadTimeHours: { median: 24, p90: 70 },
      blockersPerGate: 1.6,
      incidents: 1,
      incidentsPerRelease: 0.13,
    }),
  },
  groupCount: 2,
  ungatedIncidents: 2,
};

export const emptyMetrics: MetricsResponse = {
  groupBy: 'team',
  period: 'month',
  buckets: [],
  overall: { periods: [], total: metricsValues() },
  groupCount: 0,
  ungatedIncidents: 0,
};
