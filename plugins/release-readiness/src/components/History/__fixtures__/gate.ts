import { ResponseError } from '@backstage/errors';
import {
  ConditionResult,
  GateEvaluation,
  GateWithEvaluation,
  SignoffRole,
} from '@release-readiness/plugin-common';

/*
 * Fixtures shared by the tests of the Readiness tab's panels: a gate of
 * release 1.4.0 of payment-gateway, in progress, with two sign-off roles
 * (engineering by the gate owners, QA by group:default/qa), nothing voted and
 * nothing blocking. Tests override what they need.
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

/** An identity API signed in as `userEntityRef`, owning `ownershipEntityRefs`. */
export function mockIdentityApi(
  userEntityRef: string,
  ownershipEntityRefs: string[] = [userEntityRef],
) {
  return {
    getBackstageIdentity: async () => ({
      type: 'user' as const,
      userEntityRef,
      ownershipEntityRefs,
    }),
    getProfileInfo: async () => ({}),
    getCredentials: async () => ({ token: 'token' }),
    signOut: async () => {},
  };
}

/** A ResponseError as the API client throws it. */
export async function responseError(
  status: number,
  statusText: string,
  message: string,
): Promise<ResponseError> {
  const response = new Response(
    JSON.stringify({
      error: { name: 'Error', message },
      response: { statusCode: status },
    }),
    {
      status,
      statusText,
      headers: { 'Content-Type': 'application/json' },
    },
  );
  return ResponseError.fromResponse(response);
}
