/*
 * What the store tests share: a template with a required, an optional and an
 * automated item, the people who act on its gates, and small helpers.
 */
import {
  ChecklistItemDefinition,
  GateTemplate,
  RiskAssessment,
  Waiver,
} from '@release-readiness/plugin-common';
import { GateStore } from '../GateStore';

export const ENTITY = 'component:default/payment-gateway';
export const OTHER_ENTITY = 'component:default/ledger';
export const PRIYA = 'user:default/priya';
export const QUINN = 'user:default/quinn';
export const SAM = 'user:default/sam';

export const TEMPLATE: GateTemplate = {
  name: 'component-gate',
  title: 'Component gate',
  tier: 1,
  version: '3',
  rapid: false,
  appliesTo: [{ kind: 'component' }],
  checklist: [
    {
      id: 'manual-qa',
      title: 'Manual QA pass',
      category: 'manual-validation',
      required: true,
    },
    {
      id: 'release-notes',
      title: 'Release notes',
      category: 'documentation',
      required: false,
    },
    {
      id: 'unit-tests',
      title: 'Unit tests pass',
      category: 'build-and-test',
      required: true,
      automated: {
        evidenceType: 'test-report',
        rule: 'passed == true',
        maxAge: 'P7D',
      },
    },
  ],
  signoffs: {
    selfApproval: false,
    roles: [
      {
        id: 'qa',
        title: 'QA',
        eligible: { groups: ['group:default/qa'] },
        min: 1,
      },
      {
        id: 'engineering',
        title: 'Engineering',
        eligible: { gateOwners: true },
        min: 1,
      },
    ],
  },
  risk: {
    impactMatrix: true,
    residualRiskAcceptance: false,
    rollbackPlan: true,
    rollbackVerifiedWithin: 'P30D',
    communicationPlan: false,
  },
  hash: 'a'.repeat(64),
  source: 'test.yaml',
};

export const SERVICE_ITEM: ChecklistItemDefinition = {
  id: 'smoke-test',
  title: 'Smoke test in staging',
  category: 'manual-validation',
  required: false,
};

/** The items a gate opens with: the template's, then the service's own. */
export const ITEMS = [
  ...TEMPLATE.checklist.map(item => ({ ...item, source: 'template' as const })),
  { ...SERVICE_ITEM, source: 'service' as const },
];

export const RISK: Omit<RiskAssessment, 'version'> = {
  rollbackPlan: 'Redeploy the previous image',
  impactMatrix: [
    {
      failureMode: 'Payments time out',
      impact: 'high',
      likelihood: 'low',
      mitigation: 'Feature flag',
    },
  ],
};

export const WAIVER: Waiver = {
  justification: 'Covered by the canary',
  expiresAt: '2027-01-01T00:00:00.000Z',
  by: PRIYA,
  at: '2026-11-27T12:00:00.000Z',
};

/** Lets the clock move on, so that timestamps of consecutive writes differ. */
export function tick() {
  return new Promise(resolve => setTimeout(resolve, 5));
}

/** Awaits a promise that must reject with a ConflictError; returns the error. */
export async function expectConflict(
  promise: Promise<unknown>,
): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: Error) => e,
  );
  expect(error).toBeDefined();
  expect(error!.name).toBe('ConflictError');
  return error!;
}

/** Opens a gate of `TEMPLATE` with `ITEMS`, requested by Priya. */
export function openTestGate(
  gates: GateStore,
  options: { release?: string; entityRef?: string } = {},
) {
  return gates.openGate({
    entityRef: options.entityRef ?? ENTITY,
    release: options.release ?? '1.0.0',
    template: TEMPLATE,
    items: ITEMS,
    requestedBy: PRIYA,
  });
}
