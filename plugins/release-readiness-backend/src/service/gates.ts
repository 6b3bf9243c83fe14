import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  DECISION_STATES,
  Gate,
  gateClosedReason,
  gateDecidePermission,
  gateReadPermission,
  carryOverRisk,
  GATE_TRANSITIONS,
  GateTransition,
  gateUpdatePermission,
  GateWithEvaluation,
  ineligibleVoterMessage,
  isEligibleVoter,
  signoffCreatePermission,
} from '@release-readiness/plugin-common';
import { audited } from './audit';
import { requestTimestamp } from './timestamps';
import { ReadinessService } from './ReadinessService';
import type { ReadinessRouter, RouterOptions } from './router';

/**
 * The largest item version an edit may name: item versions are 32-bit
 * integer columns, and an edit stores the version plus one.
 */
export const MAX_ITEM_VERSION = 2 ** 31 - 2;

/**
 * A first answer for a gate read before the write: the store checks again
 * inside the transaction that writes, which is the check that counts.
 */
function requireEditable(gate: Gate) {
  const closed = gateClosedReason(gate);
  if (closed) {
    throw new ConflictError(closed);
  }
}

/** Routes under `/gates/:gateId`. */
export function registerGateRoutes(
  router: ReadinessRouter,
  options: RouterOptions,
) {
  const { httpAuth, service, gates, auditor, notifier } = options;

  const gateFor = service.requireGate.bind(service);

  router.get('/gates/:gateId', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const gate = await gateFor(
      req.params.gateId,
      credentials,
      gateReadPermission,
    );
    res.json(await service.withEvaluation(gate));
  });

  router.get('/gates/:gateId/audit', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const gate = await gateFor(
      req.params.gateId,
      credentials,
      gateReadPermission,
    );
    res.json({ items: await options.audit.listAudit({ gateId: gate.id }) });
  });

  router.patch('/gates/:gateId/items/:itemId', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const gate = await gateFor(
      req.params.gateId,
      credentials,
      gateUpdatePermission,
      ref => `Only the gate owners of ${ref} may mark its checklist`,
    );
    requireEditable(gate);
    const item = gate.items.find(i => i.id === req.params.itemId);
    if (!item) {
      throw new NotFoundError(
        `The gate has no checklist item ${req.params.itemId}`,
      );
    }
    const { status, note, waiver, version } = req.body;
    if (version > MAX_ITEM_VERSION) {
      // No item gets there; on PostgreSQL the comparison with an integer
      // column would fail (out of range), a 500 instead of this 400.
      throw new InputError(
        `version: ${version} is beyond any version an item can have (at most ${MAX_ITEM_VERSION})`,
      );
    }
    if (item.automated && !['pending', 'waived'].includes(status)) {
      throw new InputError(
        `status: ${item.title} is automated; it passes or fails from ${item.automated.evidenceType} evidence only, and a person may only waive it`,
      );
    }
    let expiresAt: string | undefined;
    if (status === 'waived') {
      if (!waiver) {
        throw new InputError(
          'waiver: a waived item needs a justification and an expiry',
        );
      }
      expiresAt = requestTimestamp(waiver.expiresAt, 'waiver.expiresAt');
      if (new Date(expiresAt).getTime() <= Date.now()) {
        throw new InputError(
          'waiver.expiresAt: the expiry must be in the future',
        );
      }
    } else if (waiver) {
      throw new InputError('waiver: only a waived item takes a waiver');
    }
    const actor = credentials.principal.userEntityRef;
    const updated = await audited(
      auditor,
      {
        eventId: 'gate-item-update',
        request: req,
        meta: { gateId: gate.id, itemId: item.id, status },
      },
      () =>
        service.changeGate(gate.entityRef, stores =>
          stores.gates.updateItem({
            gateId: gate.id,
            itemId: item.id,
            version,
            actor,
            patch: {
              status,
              ...(note ? { note } : {}),
              ...(waiver
                ? {
                    waiver: {
                      justification: waiver.justification.trim(),
                      expiresAt: expiresAt!,
                      by: actor,
                      at: new Date().toISOString(),
                    },
                  }
                : {}),
            },
          }),
        ),
    );
    res.json(updated);
  });

  router.post('/gates/:gateId/signoffs', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const gate = await gateFor(
      req.params.gateId,
      credentials,
      signoffCreatePermission,
    );
    requireEditable(gate);
    const template = await gates.getGateTemplate({ gateId: gate.id });
    const role = template!.signoffs.roles.find(r => r.id === req.body.role);
    if (!role) {
      throw new InputError(
        `role: the gate's template has no sign-off role ${
          req.body.role
        }; its roles are ${template!.signoffs.roles.map(r => r.id).join(', ')}`,
      );
    }
    const voter =
      credentials.principal.userEntityRef.toLocaleLowerCase('en-US');
    const claims = await service.claimsOf(credentials);
    const resource = await service.gateResource(gate.entityRef);
    const identity = { userEntityRef: voter, ownershipEntityRefs: claims };
    if (!isEligibleVoter(role, identity, resource.ownerRefs)) {
      throw new NotAllowedError(
        `You may not sign off as ${role.title}. ${ineligibleVoterMessage(
          role,
          resource.ownerRefs,
        )}`,
      );
    }
    const updated = await audited(
      auditor,
      {
        eventId: 'gate-signoff',
        request: req,
        meta: { gateId: gate.id, role: role.id, verdict: req.body.verdict },
      },
      () =>
        service.changeGate(gate.entityRef, stores =>
          stores.gates.addVote({
            gateId: gate.id,
            role: role.id,
            voter,
            voterClaims: claims,
            verdict: req.body.verdict,
            ...(req.body.comment ? { comment: req.body.comment } : {}),
          }),
        ),
    );
    if (req.body.verdict === 'not-ready') {
      const vote = updated.votes.find(
        v => v.voter === voter && v.role === role.id && !v.supersededAt,
      );
      if (vote) {
        notifier.later(`the Not-ready vote on gate ${gate.id}`, () =>
          notifier.voteNotReady(updated, vote, resource.ownerRefs),
        );
      }
    }
    res.status(201).json(updated);
  });

  router.put('/gates/:gateId/risk', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const gate = await gateFor(
      req.params.gateId,
      credentials,
      gateUpdatePermission,
      ref => `Only the gate owners of ${ref} may fill its risk assessment`,
    );
    requireEditable(gate);
    const actor = credentials.principal.userEntityRef;
    const body = req.body;
    const { version: _seen, ...change } = body;
    if (change.communication?.scheduledAt) {
      change.communication = {
        ...change.communication,
        scheduledAt: requestTimestamp(
          change.communication.scheduledAt,
          'communication.scheduledAt',
        ),
      };
    }
    const risk = carryOverRisk(
      change,
      gate.risk,
      actor,
      new Date().toISOString(),
    );
    const updated = await audited(
      auditor,
      { eventId: 'gate-risk-update', request: req, meta: { gateId: gate.id } },
      () =>
        service.changeGate(gate.entityRef, stores =>
          stores.gates.putRisk({
            gateId: gate.id,
            version: body.version,
            risk,
            actor,
          }),
        ),
    );
    res.json(updated);
  });

  router.post('/gates/:gateId/decision', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const gate = await gateFor(
      req.params.gateId,
      credentials,
      gateDecidePermission,
      ref =>
        `Only the gate owners of ${ref} or a release manager may decide on its gate`,
    );
    const { verdict, transition } = req.body;
    const reason = req.body.reason?.trim();
    if ((verdict === undefined) === (transition === undefined)) {
      throw new InputError(
        'verdict: give either a verdict (go, no-go) or a transition (reopen, release, rollback, cancel)',
      );
    }
    const actor = credentials.principal.userEntityRef;
    let updated: GateWithEvaluation;
    if (verdict) {
      if (!DECISION_STATES.includes(gate.state)) {
        throw new ConflictError(
          `The gate is ${
            gate.state
          }; a decision is taken on a gate in progress${
            gate.state === 'no-go' ? ' (reopen it first)' : ''
          }`,
        );
      }
      if (!reason) {
        throw new InputError(
          `reason: a ${verdict.toUpperCase()} decision needs a reason`,
        );
      }
      updated = await audited(
        auditor,
        {
          eventId: 'gate-decision',
          request: req,
          meta: { gateId: gate.id, verdict },
        },
        () =>
          service.changeGate(gate.entityRef, async (stores, context) => {
            // The gate and its evaluation as this transaction sees them: an
            // edit, a vote or evidence committed a moment ago counts, and
            // none can land between this evaluation and the decision.
            const current = await stores.gates.getGate({ gateId: gate.id });
            if (!current || !DECISION_STATES.includes(current.state)) {
              throw new ConflictError(
                `The gate is ${
                  current?.state ?? 'gone'
                }; a decision is taken on a gate in progress`,
              );
            }
            const evaluation = await service.evaluate(
              current,
              new Date(),
              context.components ? { components: context.components } : {},
              stores,
            );
            if (verdict === 'go' && !evaluation.ready) {
              throw new ConflictError(
                `GO is not possible yet: ${evaluation.blockers
                  .map(b => b.message)
                  .join('; ')}`,
              );
            }
            return stores.gates.transition({
              gateId: gate.id,
              from: [...DECISION_STATES],
              to: verdict,
              actor,
              expectedVersion: current.version,
              decision: {
                verdict,
                reason,
                stateHash: ReadinessService.stateHash(current, evaluation),
                blockers: evaluation.blockers.length,
              },
            });
          }),
        decided => ({
          stateHash:
            decided.decisions[decided.decisions.length - 1]?.stateHash ?? null,
        }),
      );
      const decided = updated;
      notifier.later(`the decision on gate ${gate.id}`, async () => {
        const owners = await service.gateResource(gate.entityRef);
        await notifier.decisionRecorded(
          decided,
          decided.decisions[decided.decisions.length - 1],
          owners.ownerRefs,
        );
      });
    } else {
      const move = GATE_TRANSITIONS[transition as GateTransition];
      if (transition !== 'release' && !reason) {
        throw new InputError(`reason: ${transition} needs a reason`);
      }
      updated = await audited(
        auditor,
        {
          eventId: 'gate-transition',
          request: req,
          meta: { gateId: gate.id, transition: transition! },
        },
        () =>
          service.changeGate(gate.entityRef, stores =>
            stores.gates.transition({
              gateId: gate.id,
              from: [...move.from],
              to: move.to,
              actor,
              ...(reason ? { reason } : {}),
            }),
          ),
      );
    }
    res.json(updated);
  });
}
