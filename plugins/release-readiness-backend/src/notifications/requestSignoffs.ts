import { Gate } from '@release-readiness/plugin-common';
import { GateStore, NotificationClaimStore } from '../database';
import { EntityChanges, EvaluatedGate, GateAccess } from '../gates';
import { signoffRequestsDue } from './signoffRequests';
import { SignoffRequestSender, StillDue } from './signoffSender';

async function ownersIfNamed(
  access: Pick<GateAccess, 'gateResource'>,
  current: Pick<EvaluatedGate, 'gate' | 'template'>,
): Promise<string[]> {
  const { gate, template } = current;
  return template?.signoffs.roles.some(r => r.eligible.gateOwners)
    ? (await access.gateResource(gate.entityRef)).ownerRefs
    : [];
}

/**
 * After a change committed: asks each role whose sign-off the gate now needs
 * (signoffRequestsDue), once per gate and role across every replica — the
 * claim (`signoff:<gateId>:<role>`) is taken before the request goes out, so
 * a later change of the same gate, a restart or another replica does not ask
 * again. The sender picks the people and holds what exceeds a person's share
 * for their digest.
 */
export async function requestDueSignoffs(options: {
  current: EvaluatedGate;
  access: Pick<GateAccess, 'gateResource'>;
  claims: NotificationClaimStore;
  sender: Pick<SignoffRequestSender, 'send'>;
}): Promise<void> {
  const { gate, template, evaluation } = options.current;
  if (!template || gate.state !== 'in-progress') return;
  const ownerRefs = await ownersIfNamed(options.access, options.current);
  for (const request of signoffRequestsDue(
    gate,
    template,
    evaluation,
    ownerRefs,
  )) {
    const key = `signoff:${gate.id}:${request.role}`;
    if (await options.claims.claimNotification({ key })) {
      await options.sender.send(gate, request);
    }
  }
}

/**
 * Whether a held sign-off request still asks something of the person when
 * their digest goes out: the gate is still in progress, the role is still
 * short of its quorum, and the person still counts among those asked.
 * Evaluations are read once per gate per digest pass.
 */
export function stillDueSignoffs(deps: {
  gates: Pick<GateStore, 'getGate' | 'getGateTemplate'>;
  changes: Pick<EntityChanges, 'withEvaluation'>;
  access: Pick<GateAccess, 'gateResource'>;
}): (
  gateId: string,
  role: string,
  user: string,
) => Promise<StillDue | undefined> {
  const evaluated = new Map<
    string,
    Promise<
      { gate: Gate; due: ReturnType<typeof signoffRequestsDue> } | undefined
    >
  >();
  const evaluate = async (gateId: string) => {
    const gate = await deps.gates.getGate({ gateId });
    if (!gate || gate.state !== 'in-progress') return undefined;
    const [template, { evaluation }] = await Promise.all([
      deps.gates.getGateTemplate({ gateId }),
      deps.changes.withEvaluation(gate),
    ]);
    if (!template) return undefined;
    const ownerRefs = await ownersIfNamed(deps.access, { gate, template });
    return {
      gate,
      due: signoffRequestsDue(gate, template, evaluation, ownerRefs),
    };
  };
  return async (gateId, role, user) => {
    if (!evaluated.has(gateId)) evaluated.set(gateId, evaluate(gateId));
    const found = await evaluated.get(gateId)!;
    const request = found?.due.find(r => r.role === role);
    if (!found || !request) return undefined;
    const excluded = request.exclude.map(r => r.toLocaleLowerCase('en-US'));
    if (excluded.includes(user)) return undefined;
    return { gate: found.gate, roleTitle: request.title };
  };
}
