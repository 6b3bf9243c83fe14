import {
  EvaluationInput,
  Evidence,
  Gate,
  GateItem,
  GateTemplateSpec,
  SignoffRole,
  SignoffVote,
} from '../../types';

/*
 * Fixtures of the evaluation tests: a template with two required manual items,
 * one optional manual item, two automated items and three sign-off roles, and
 * a gate of release 1.4.0 that meets every condition. Tests change one thing
 * at a time with the helpers below.
 */

export const NOW = new Date('2026-06-15T12:00:00.000Z');
export const ENTITY = 'component:default/payment-gateway';
export const RELEASE = '1.4.0';
export const REQUESTER = 'user:default/rita';

const HOUR = 3_600_000;

/** An ISO timestamp `hours` before NOW (after it when negative). */
export function hoursAgo(hours: number): string {
  return new Date(NOW.getTime() - hours * HOUR).toISOString();
}

/** An ISO timestamp `days` before NOW (after it when negative). */
export function daysAgo(days: number): string {
  return hoursAgo(days * 24);
}

export function template(): GateTemplateSpec {
  return {
    name: 'standard-service',
    title: 'Standard service',
    tier: 1,
    version: '3',
    rapid: false,
    appliesTo: [{ kind: 'component' }],
    checklist: [
      {
        id: 'release-notes',
        title: 'Release notes',
        category: 'documentation',
        required: true,
      },
      {
        id: 'security-review',
        title: 'Security review',
        category: 'security',
        required: true,
      },
      {
        id: 'load-test',
        title: 'Load test',
        category: 'performance',
        required: false,
      },
      {
        id: 'static-analysis',
        title: 'Static analysis',
        category: 'build-and-test',
        required: true,
        automated: {
          evidenceType: 'static-analysis',
          rule: 'score >= 90',
          maxAge: 'P7D',
        },
      },
      {
        id: 'unit-tests',
        title: 'Unit tests',
        category: 'build-and-test',
        required: true,
        automated: {
          evidenceType: 'test-report',
          rule: 'passed == true',
          maxAge: 'PT12H',
        },
      },
    ],
    signoffs: {
      selfApproval: false,
      roles: [
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
        {
          id: 'security',
          title: 'Security',
          eligible: { groups: ['group:default/security'] },
          min: 2,
        },
      ],
    },
    risk: {
      impactMatrix: true,
      residualRiskAcceptance: true,
      rollbackPlan: true,
      rollbackVerifiedWithin: 'P30D',
      communicationPlan: true,
    },
  };
}

/** Who may vote for which role. The requester is a gate owner and in QA. */
export const ELIGIBLE: Record<string, string[]> = {
  engineering: ['user:default/erin', REQUESTER],
  qa: ['user:default/nadia', 'user:default/quinn', REQUESTER],
  security: ['user:default/sam', 'user:default/sara', 'user:default/sid'],
};

export function isEligible(voter: string, role: SignoffRole): boolean {
  return (ELIGIBLE[role.id] ?? []).includes(voter);
}

let voteCounter = 0;

export function vote(
  role: string,
  voter: string,
  verdict: SignoffVote['verdict'] = 'ready',
  extra: Partial<SignoffVote> = {},
): SignoffVote {
  voteCounter += 1;
  return {
    id: `vote-${voteCounter}`,
    role,
    voter,
    verdict,
    checklistRevision: 3,
    at: hoursAgo(2),
    ...extra,
  };
}

let evidenceCounter = 0;

export function evidence(
  type: string,
  metrics: Evidence['metrics'],
  observedAt: string,
  extra: Partial<Evidence> = {},
): Evidence {
  evidenceCounter += 1;
  return {
    id: `evidence-${evidenceCounter}`,
    entityRef: ENTITY,
    release: RELEASE,
    type,
    status: 'passed',
    metrics,
    runId: `run-${evidenceCounter}`,
    observedAt,
    receivedAt: observedAt,
    postedBy: 'external:github-actions',
    ...extra,
  };
}

/** Evidence that satisfies both automated items. */
export function passingEvidence(): Evidence[] {
  return [
    evidence('static-analysis', { score: 95 }, daysAgo(1)),
    evidence('test-report', { passed: true }, hoursAgo(1)),
  ];
}

export function gate(): Gate {
  const items: GateItem[] = template().checklist.map(definition => ({
    ...definition,
    source: 'template',
    status: definition.automated ? 'pending' : 'passed',
    version: 1,
  }));
  return {
    id: 'gate-1',
    entityRef: ENTITY,
    release: RELEASE,
    templateName: 'standard-service',
    templateVersion: '3',
    templateHash: 'abc',
    tier: 1,
    state: 'in-progress',
    plannedAt: daysAgo(-2),
    requestedBy: REQUESTER,
    openedAt: daysAgo(3),
    updatedAt: hoursAgo(1),
    version: 7,
    checklistRevision: 3,
    items,
    risk: {
      rollbackPlan: 'https://runbooks.example.com/payment-gateway/rollback',
      rollbackVerifiedAt: daysAgo(10),
      rollbackVerifiedBy: 'user:default/erin',
      impactMatrix: [
        {
          failureMode: 'Checkout latency rises',
          impact: 'high',
          likelihood: 'low',
          mitigation: 'Canary with automatic rollback',
        },
      ],
      residualRisk: {
        acceptedBy: 'user:default/erin',
        acceptedAt: daysAgo(1),
      },
      communication: {
        audiences: ['support'],
        scheduledAt: daysAgo(-1),
        approvedBy: 'user:default/paula',
        approvedAt: daysAgo(1),
      },
      version: 2,
    },
    votes: [
      vote('engineering', 'user:default/erin'),
      vote('qa', 'user:default/nadia'),
      vote('security', 'user:default/sam'),
      vote('security', 'user:default/sara'),
    ],
    decisions: [],
  };
}

/** An input that meets every condition. */
export function readyInput(): EvaluationInput {
  return {
    template: template(),
    gate: gate(),
    evidence: passingEvidence(),
    isEligible,
    now: NOW,
  };
}

/** Changes one item of a gate in place and returns the gate. */
export function patchItem(
  target: Gate,
  itemId: string,
  patch: Partial<GateItem>,
): Gate {
  const item = target.items.find(i => i.id === itemId);
  if (!item) {
    throw new Error(`no item ${itemId} in fixture`);
  }
  Object.assign(item, patch);
  return target;
}

/** A waiver expiring `days` after NOW (before it when negative). */
export function waiver(days: number) {
  return {
    justification: 'covered by the platform pen test',
    expiresAt: daysAgo(-days),
    by: 'user:default/erin',
    at: daysAgo(5),
  };
}
