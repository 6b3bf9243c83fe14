/*
 * The people, services and requests of the reliability tests: the demo
 * organisation of examples/ (gate owners, QA, security, release managers)
 * acting on component gates, as a seeded random mix of edits.
 */
import { ApiResponse, DEMO_CI_TOKEN, ReadinessApi } from '../harness';
import { GateJson } from './integrity';
import { Random } from '../generate/random';

/** A seeded source of randomness: the same seed gives the same run. */
export function seededRandom(seed: number): Random {
  return new Random(seed);
}
export type { Random };

/** Component gates of the demo catalog, with their owners (gate owners). */
export const SERVICES = [
  {
    name: 'payout-service',
    owners: ['priya-raman', 'tomasz-kowalski', 'amara-okafor'],
  },
  {
    name: 'refund-service',
    owners: ['tomasz-kowalski', 'amara-okafor', 'lucas-moreau'],
  },
  {
    name: 'cart-service',
    owners: ['hiroshi-tanaka', 'sofia-lindqvist', 'mateo-fernandez'],
  },
  {
    name: 'order-service',
    owners: ['sofia-lindqvist', 'mateo-fernandez', 'grace-mensah'],
  },
] as const;

/** Who may vote for each role of the component gate. */
export const VOTERS: Record<string, readonly string[]> = {
  qa: ['nadia-haddad', 'ben-carter', 'leila-farahani'],
  security: ['samuel-adeyemi', 'elena-rossi'],
  'release-management': ['margaret-osei', 'david-kim'],
};

/** Everyone who acts in the tests. */
export const PEOPLE = [
  ...new Set([
    ...SERVICES.flatMap(s => s.owners),
    ...Object.values(VOTERS).flat(),
  ]),
];

/** The component gate's manual items: people mark these. */
export const MANUAL_ITEMS = [
  'user-acceptance',
  'security-review',
  'compliance-check',
  'runbook-updated',
  'release-notes',
] as const;

export const EVIDENCE_TYPES = [
  ['test-report', { passed: true }],
  ['static-analysis', { score: 93 }],
  ['security-scan', { critical: 0, high: 0 }],
  ['feature-toggles', { passed: true }],
] as const;

/** A gate under test: its service, id and release. */
export interface GateRef {
  service: (typeof SERVICES)[number];
  id: string;
  release: string;
}

export const entityPath = (service: string) =>
  `/entities/component/default/${service}`;

/** The requests of the workload, each one call. */
export const calls = {
  getGate(api: ReadinessApi, token: string, gate: GateRef) {
    return api.get<GateJson>(`/gates/${gate.id}`, token);
  },
  markItem(
    api: ReadinessApi,
    token: string,
    gate: GateRef,
    itemId: string,
    body: { status: string; note: string; version: number },
  ) {
    return api.call<GateJson>('PATCH', `/gates/${gate.id}/items/${itemId}`, {
      token,
      body,
    });
  },
  vote(
    api: ReadinessApi,
    token: string,
    gate: GateRef,
    body: { role: string; verdict: string; comment: string },
  ) {
    return api.call<GateJson>('POST', `/gates/${gate.id}/signoffs`, {
      token,
      body,
    });
  },
  putRisk(
    api: ReadinessApi,
    token: string,
    gate: GateRef,
    version: number,
    note: string,
  ) {
    return api.call<GateJson>('PUT', `/gates/${gate.id}/risk`, {
      token,
      body: {
        version,
        rollbackPlan: 'Redeploy the previous image; feature toggles off',
        impactMatrix: [
          {
            failureMode: 'Payouts delayed',
            impact: 'high',
            likelihood: 'low',
            mitigation: 'Toggle off and replay the queue',
          },
        ],
        acceptResidualRisk: true,
        residualRiskNote: note,
        consent: { gateId: gate.id, riskVersion: version },
      },
    });
  },
  decide(
    api: ReadinessApi,
    token: string,
    gate: GateRef,
    body: { verdict?: 'no-go'; transition?: 'reopen'; reason: string },
  ) {
    return api.call<GateJson>('POST', `/gates/${gate.id}/decision`, {
      token,
      body,
    });
  },
  postEvidence(
    api: ReadinessApi,
    gate: GateRef,
    type: string,
    metrics: Record<string, number | boolean>,
    runId: string,
  ) {
    return api.call<{ id: string }>('POST', '/evidence', {
      token: DEMO_CI_TOKEN,
      body: {
        entityRef: `component:default/${gate.service.name}`,
        release: gate.release,
        type,
        status: 'passed',
        metrics,
        runId,
      },
    });
  },
  addServiceItem(
    api: ReadinessApi,
    token: string,
    service: string,
    id: string,
    description: string,
  ) {
    return api.call('POST', `${entityPath(service)}/items`, {
      token,
      body: {
        id,
        description,
        title: `Service check ${id}`,
        category: 'manual-validation',
        required: false,
      },
    });
  },
  audit(api: ReadinessApi, token: string, gate: GateRef) {
    return api.get<{ items: any[] }>(`/gates/${gate.id}/audit`, token);
  },
  verifyAudit(api: ReadinessApi, token: string, gate: GateRef) {
    return api.get<{ intact: boolean; firstBroken?: unknown }>(
      `/gates/${gate.id}/audit/verify`,
      token,
    );
  },
};

/** One request as the workload saw it. */
export interface Outcome {
  op: string;
  replica: string;
  client: number;
  status: number;
  ms: number;
  /** What was written and must be found afterwards, when acknowledged. */
  mark?: string;
  gate?: string;
  item?: string;
  /** Error name and message, for anything but 2xx. */
  error?: string;
}

export function describeError(res: ApiResponse): string | undefined {
  if (res.status >= 200 && res.status < 300) return undefined;
  if (res.status === 0) return res.error;
  const e = res.body?.error;
  return e
    ? `${e.name}: ${e.message}`
    : JSON.stringify(res.body)?.slice(0, 300);
}

/** Whether an error body has Backstage's shape: `{ error: { name, message }, response: { statusCode } }`. */
export function hasBackstageErrorShape(res: ApiResponse): boolean {
  const b = res.body;
  return (
    typeof b?.error?.name === 'string' &&
    typeof b?.error?.message === 'string' &&
    b?.response?.statusCode === res.status
  );
}
