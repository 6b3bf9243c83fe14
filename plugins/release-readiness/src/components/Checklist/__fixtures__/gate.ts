import {
  ConditionResult,
  GateWithEvaluation,
} from '@release-readiness/plugin-common';

/**
 * A realistic gate of `payment-gateway` 2.4.0: some items done, an automated
 * security scan failing on its threshold, a stale performance test, one item
 * waived, and several conditions not met.
 */
const conditions: ConditionResult[] = [
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

export const gateFixture: GateWithEvaluation = {
  id: 'gate-1',
  entityRef: 'component:default/payment-gateway',
  release: '2.4.0',
  templateName: 'component-gate',
  templateVersion: '3',
  templateHash: 'a'.repeat(64),
  tier: 1,
  state: 'in-progress',
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
  decisions: [],
  incidents: [],
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
  evaluation: {
    ready: false,
    verdict: 'IN PROGRESS',
    score: 72,
    conditions,
    blockers: conditions.flatMap(c => c.blockers),
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
        detail: 'score 84, needs score >= 90',
      },
      {
        itemId: 'load-test',
        outcome: 'waived',
        evidenceId: 'ev-3',
        observedAt: '2030-05-20T12:00:00.000Z',
        detail: 'p99_ms 280, needs p99_ms <= 300 (evidence older than 7 days)',
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
  },
};

/** A copy of the fixture with some fields changed. */
export function gateWith(
  changes: Partial<GateWithEvaluation> = {},
): GateWithEvaluation {
  return { ...gateFixture, ...changes };
}
