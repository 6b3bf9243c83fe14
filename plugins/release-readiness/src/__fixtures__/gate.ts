import {
  ConditionResult,
  GateEvaluation,
  GateItem,
  GateWithEvaluation,
  SignoffRole,
} from '@release-readiness/plugin-common';

/*
 * The gates of the frontend's tests, in one builder style: every builder
 * takes the fields to override and returns a fresh object.
 *
 * - `makeGate()` is a quiet gate: release 1.4.0 of payment-gateway, in
 *   progress, with two sign-off roles (engineering by the gate owners, QA
 *   "Quality assurance" by group:default/qa, two votes), nothing voted and
 *   nothing blocking. Tests add what they are about.
 * - `makeMidwayGate()` is release 2.4.0 half-way through: some items done, an
 *   automated security scan failing on its threshold, a stale load test
 *   waived, a risk assessment, one vote and several conditions not met. For
 *   the panels that show a whole gate (checklist, header, the tab).
 */

export const ENTITY_REF = {
  kind: 'Component',
  namespace: 'default',
  name: 'payment-gateway',
};

export const GATE_OWNERS = ['group:default/payments'];

export const ROLES: SignoffRole[] = [
  {
    id: 'engineering',
    title: 'Engineering',
    eligible: { gateOwners: true },
    min: 1,
  },
  {
    id: 'qa',
    title: 'Quality assurance',
    eligible: { groups: ['group:default/qa'] },
    min: 2,
  },
];

/** A condition with these blocker messages; met when there are none. */
export function condition(
  id: ConditionResult['id'],
  messages: string[] = [],
): ConditionResult {
  return {
    id,
    title: id,
    met: messages.length === 0,
    progress: messages.length === 0 ? 1 : 0,
    blockers: messages.map(message => ({ condition: id, message })),
  };
}

/** The evaluation of the quiet gate: ready, no votes yet. */
export function makeEvaluation(
  overrides: Partial<GateEvaluation> = {},
): GateEvaluation {
  return {
    ready: true,
    verdict: 'IN PROGRESS',
    score: 100,
    conditions: [],
    blockers: [],
    automated: [],
    releaseNow: { met: true, blockers: [] },
    roles: ROLES.map(role => ({
      role: role.id,
      title: role.title,
      min: role.min,
      readyVoters: [],
      notReadyVoters: [],
      staleVoters: [],
      met: false,
    })),
    evaluatedAt: '2026-06-15T12:00:00.000Z',
    ...overrides,
  };
}

/** The quiet gate, with some fields changed. */
export function makeGate(
  overrides: Partial<GateWithEvaluation> = {},
): GateWithEvaluation {
  return {
    id: 'gate-1',
    entityRef: 'component:default/payment-gateway',
    release: '1.4.0',
    templateName: 'standard-service',
    templateVersion: '3',
    templateHash: 'abc',
    tier: 1,
    state: 'in-progress',
    plannedAt: '2026-06-20T10:00:00.000Z',
    requestedBy: 'user:default/priya.raman',
    openedAt: '2026-06-10T09:00:00.000Z',
    updatedAt: '2026-06-15T12:00:00.000Z',
    version: 3,
    checklistRevision: 2,
    items: [],
    votes: [],
    decisions: [],
    incidents: [],
    signoffRoles: ROLES,
    evaluation: makeEvaluation(),
    ...overrides,
  };
}

const MIDWAY_CONDITIONS: ConditionResult[] = [
  {
    id: 'artifacts',
    title: 'Checklist artifacts',
    met: false,
    progress: 0.6,
    blockers: [
      {
        condition: 'artifacts',
        message: 'Mark "Manual smoke test in staging" passed, or waive it.',
        itemId: 'staging-smoke-test',
      },
      {
        condition: 'artifacts',
        message: 'Mark "Release notes written" passed, or waive it.',
        itemId: 'release-notes',
      },
    ],
  },
  {
    id: 'automated',
    title: 'Automated checks',
    met: false,
    progress: 0.5,
    blockers: [
      {
        condition: 'automated',
        message:
          'Security scan failed: score 84, needs score >= 90. Fix the findings or waive the item.',
        itemId: 'security-scan',
      },
    ],
  },
  {
    id: 'risk',
    title: 'Risk assessment',
    met: true,
    progress: 1,
    blockers: [],
  },
  {
    id: 'rollback',
    title: 'Rollback plan',
    met: false,
    progress: 0.5,
    blockers: [
      {
        condition: 'rollback',
        message: 'Verify the rollback plan; it was last verified 45 days ago.',
      },
    ],
  },
  {
    id: 'communication',
    title: 'Communication plan',
    met: true,
    progress: 1,
    blockers: [],
  },
  {
    id: 'signoffs',
    title: 'Sign-offs',
    met: false,
    progress: 0.5,
    blockers: [
      {
        condition: 'signoffs',
        message: 'QA needs 1 more Ready vote.',
        role: 'qa',
      },
    ],
  },
  {
    id: 'window',
    title: 'Release window',
    met: true,
    progress: 1,
    blockers: [],
  },
  {
    id: 'rollup',
    title: 'Component gates',
    met: true,
    progress: 1,
    blockers: [],
  },
];

/** The gate half-way through, with some fields changed. */
export function makeMidwayGate(
  overrides: Partial<GateWithEvaluation> = {},
): GateWithEvaluation {
  return makeGate({
    release: '2.4.0',
    templateName: 'component-gate',
    templateHash: 'a'.repeat(64),
    plannedAt: '2030-06-20T14:00:00.000Z',
    requestedBy: 'user:default/jane.doe',
    openedAt: '2030-06-10T08:00:00.000Z',
    updatedAt: '2030-06-12T09:30:00.000Z',
    version: 4,
    checklistRevision: 3,
    items: [
      {
        id: 'unit-tests',
        title: 'Unit tests pass',
        category: 'build-and-test',
        required: true,
        source: 'template',
        automated: {
          evidenceType: 'test-report',
          rule: 'passed == true',
          maxAge: 'P7D',
        },
        status: 'pending',
        version: 1,
      },
      {
        id: 'staging-smoke-test',
        title: 'Manual smoke test in staging',
        description: 'Pay, refund and cancel a test order in staging.',
        category: 'manual-validation',
        required: true,
        source: 'template',
        status: 'pending',
        version: 2,
      },
      {
        id: 'feature-flags-reviewed',
        title: 'Feature flags reviewed',
        category: 'manual-validation',
        required: false,
        source: 'service',
        status: 'passed',
        note: 'Old checkout flag removed.',
        updatedBy: 'user:default/jane.doe',
        updatedAt: '2030-06-11T10:15:00.000Z',
        version: 3,
      },
      {
        id: 'security-scan',
        title: 'Security scan',
        category: 'security',
        required: true,
        source: 'template',
        automated: {
          evidenceType: 'security-scan',
          rule: 'score >= 90',
          maxAge: 'P7D',
        },
        status: 'pending',
        version: 1,
      },
      {
        id: 'load-test',
        title: 'Load test',
        category: 'performance',
        required: true,
        source: 'template',
        automated: {
          evidenceType: 'load-test',
          rule: 'p99_ms <= 300',
          maxAge: 'P7D',
        },
        status: 'waived',
        waiver: {
          justification: 'Load test rig is down; traffic is unchanged.',
          expiresAt: '2030-06-30T00:00:00.000Z',
          by: 'user:default/sam.lee',
          at: '2030-06-11T16:00:00.000Z',
        },
        updatedBy: 'user:default/sam.lee',
        updatedAt: '2030-06-11T16:00:00.000Z',
        version: 5,
      },
      {
        id: 'release-notes',
        title: 'Release notes written',
        category: 'documentation',
        required: true,
        source: 'template',
        status: 'pending',
        version: 1,
      },
    ],
    risk: {
      rollbackPlan: 'https://wiki.example.com/payment-gateway/rollback',
      rollbackVerifiedAt: '2030-04-26T10:00:00.000Z',
      rollbackVerifiedBy: 'user:default/sam.lee',
      impactMatrix: [
        {
          failureMode: 'Refunds fail',
          impact: 'high',
          likelihood: 'low',
          mitigation: 'Feature flag off',
        },
      ],
      residualRisk: {
        acceptedBy: 'user:default/jane.doe',
        acceptedAt: '2030-06-11T11:00:00.000Z',
      },
      communication: {
        audiences: ['support', 'merchants'],
        scheduledAt: '2030-06-19T09:00:00.000Z',
        approvedBy: 'user:default/jane.doe',
        approvedAt: '2030-06-11T12:00:00.000Z',
      },
      version: 2,
    },
    votes: [
      {
        id: 'vote-1',
        role: 'engineering',
        voter: 'user:default/jane.doe',
        verdict: 'ready',
        checklistRevision: 3,
        at: '2030-06-12T09:00:00.000Z',
      },
    ],
    signoffRoles: [
      {
        id: 'engineering',
        title: 'Engineering',
        eligible: { gateOwners: true },
        min: 1,
      },
      {
        id: 'qa',
        title: 'QA',
        eligible: { groups: ['group:default/qa'] },
        min: 1,
      },
    ],
    evaluation: makeEvaluation({
      ready: false,
      score: 72,
      conditions: MIDWAY_CONDITIONS,
      blockers: MIDWAY_CONDITIONS.flatMap(c => c.blockers),
      automated: [
        {
          itemId: 'unit-tests',
          outcome: 'passed',
          evidenceId: 'ev-1',
          observedAt: '2030-06-12T07:45:00.000Z',
          detail: 'passed true, needs passed == true',
        },
        {
          itemId: 'security-scan',
          outcome: 'failed',
          evidenceId: 'ev-2',
          observedAt: '2030-06-12T08:10:00.000Z',
          receivedAt: '2030-06-12T08:12:30.000Z',
          detail: 'score 84, needs score >= 90',
        },
        {
          itemId: 'load-test',
          outcome: 'waived',
          evidenceId: 'ev-3',
          observedAt: '2030-05-20T12:00:00.000Z',
          detail:
            'p99_ms 280, needs p99_ms <= 300 (evidence older than 7 days)',
        },
      ],
      roles: [
        {
          role: 'engineering',
          title: 'Engineering',
          min: 1,
          readyVoters: ['user:default/jane.doe'],
          notReadyVoters: [],
          staleVoters: [],
          met: true,
        },
        {
          role: 'qa',
          title: 'QA',
          min: 1,
          readyVoters: [],
          notReadyVoters: [],
          staleVoters: [],
          met: false,
        },
      ],
      evaluatedAt: '2030-06-12T09:30:00.000Z',
    }),
    ...overrides,
  });
}

/** The gate with one item changed. */
export function withItem(
  gate: GateWithEvaluation,
  itemId: string,
  change: Partial<GateItem>,
): GateWithEvaluation {
  return {
    ...gate,
    items: gate.items.map(i => (i.id === itemId ? { ...i, ...change } : i)),
  };
}
