import { NotificationClaimStore } from '../database';
import { EvaluatedGate, GateAccess } from '../gates';
import { ReadinessNotifier } from './ReadinessNotifier';
import { signoffRequestsDue } from './signoffRequests';

/**
 * After a change committed: asks each role whose sign-off the gate now needs
 * (signoffRequestsDue), once per gate and role across every replica — the
 * claim is taken before the notification goes out, so a later change of the
 * same gate, or another replica, does not ask again.
 */
export async function requestDueSignoffs(options: {
  current: EvaluatedGate;
  access: Pick<GateAccess, 'gateResource'>;
  claims: NotificationClaimStore;
  notifier: Pick<ReadinessNotifier, 'signoffNeeded'>;
}): Promise<void> {
  const { gate, template, evaluation } = options.current;
  if (!template || gate.state !== 'in-progress') return;
  const ownerRefs = template.signoffs.roles.some(r => r.eligible.gateOwners)
    ? (await options.access.gateResource(gate.entityRef)).ownerRefs
    : [];
  for (const request of signoffRequestsDue(
    gate,
    template,
    evaluation,
    ownerRefs,
  )) {
    const key = `signoff:${gate.id}:${request.role}`;
    if (await options.claims.claimNotification({ key })) {
      await options.notifier.signoffNeeded(gate, request);
    }
  }
}
