import { InputError } from '@backstage/errors';
import {
  gateDecidePermission,
  gateOverridePermission,
  gateReadPermission,
  GateTransition,
  gateUpdatePermission,
  signoffCreatePermission,
} from '@release-readiness/plugin-common';
import { anchorChainHead } from './auditTrail';
import { audited } from './auditor';
import type { ReadinessRouter, RouterOptions } from './types';

/**
 * Routes under `/gates/:gateId`: credentials, the permission, the command
 * (gates/GateCommands.ts, where the rules are) and the status code.
 */
export function registerGateRoutes(
  router: ReadinessRouter,
  options: RouterOptions,
) {
  const { httpAuth, domain, auditor, notifier } = options;
  const { access, changes, commands } = domain;

  router.get('/gates/:gateId', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const { gate, entity } = await access.requireGateAndEntity(
      req.params.gateId,
      credentials,
      gateReadPermission,
    );
    res.json(await changes.withEvaluation(gate, { entity: { entity } }));
  });

  router.get('/gates/:gateId/audit', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const gate = await access.requireGate(
      req.params.gateId,
      credentials,
      gateReadPermission,
    );
    res.json({ items: await options.audit.listAudit({ gateId: gate.id }) });
  });

  router.patch('/gates/:gateId/items/:itemId', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const gate = await access.requireGate(
      req.params.gateId,
      credentials,
      gateUpdatePermission,
      ref => `Only the gate owners of ${ref} may mark its checklist`,
    );
    const { itemId } = req.params;
    const updated = await audited(
      auditor,
      {
        eventId: 'gate-item-update',
        request: req,
        meta: { gateId: gate.id, itemId, status: req.body.status },
      },
      () =>
        commands.updateItem(
          gate,
          itemId,
          req.body,
          credentials.principal.userEntityRef,
        ),
    );
    res.json(updated);
  });

  router.post('/gates/:gateId/signoffs', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    // The voter's claims are asked for beside the gate's checks (another
    // round trip, to the auth backend), and awaited only once those pass.
    const claims = access.claimsOf(credentials);
    claims.catch(() => undefined);
    // The gate's head: the vote's transaction reads the gate whole, locked.
    const { gate, entity } = await access.requireGateHead(
      req.params.gateId,
      credentials,
      signoffCreatePermission,
    );
    const actor = {
      userEntityRef: credentials.principal.userEntityRef,
      claims: await claims,
    };
    const { role, verdict } = req.body;
    const voted = await audited(
      auditor,
      {
        eventId: 'gate-signoff',
        request: req,
        meta: { gateId: gate.id, role, verdict },
      },
      () => commands.vote(gate, req.body, actor, { entity }),
    );
    const { vote, ownerRefs } = voted;
    if (vote?.verdict === 'not-ready') {
      notifier.later(`the Not-ready vote on gate ${gate.id}`, () =>
        notifier.voteNotReady(voted.gate, vote, ownerRefs),
      );
    }
    res.status(201).json(voted.gate);
  });

  router.put('/gates/:gateId/risk', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const gate = await access.requireGate(
      req.params.gateId,
      credentials,
      gateUpdatePermission,
      ref => `Only the gate owners of ${ref} may fill its risk assessment`,
    );
    const updated = await audited(
      auditor,
      { eventId: 'gate-risk-update', request: req, meta: { gateId: gate.id } },
      () =>
        commands.putRisk(gate, req.body, credentials.principal.userEntityRef),
    );
    res.json(updated);
  });

  router.post('/gates/:gateId/decision', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const gate = await access.requireGate(
      req.params.gateId,
      credentials,
      gateDecidePermission,
      ref =>
        `Only the gate owners of ${ref} or a release manager may decide on its gate`,
    );
    const { verdict, transition } = req.body;
    const reason = req.body.reason?.trim();
    const actor = credentials.principal.userEntityRef;
    if ((verdict === undefined) === (transition === undefined)) {
      throw new InputError(
        'verdict: give either a verdict (go, no-go) or a transition (reopen, release, rollback, cancel)',
      );
    }
    if (verdict) {
      const decided = await audited(
        auditor,
        {
          eventId: 'gate-decision',
          request: req,
          meta: { gateId: gate.id, verdict },
        },
        () => commands.decide(gate, verdict, reason, actor),
        result => ({
          stateHash:
            result.decisions[result.decisions.length - 1]?.stateHash ?? null,
        }),
      );
      await anchorChainHead(options, req, { gateId: gate.id });
      notifier.later(`the decision on gate ${gate.id}`, async () => {
        const owners = await access.gateResource(gate.entityRef);
        await notifier.decisionRecorded(
          decided,
          decided.decisions[decided.decisions.length - 1],
          owners.ownerRefs,
        );
      });
      res.json(decided);
      return;
    }
    const override = req.body.override === true;
    if (override) {
      // Releasing a GO that no longer holds is release management's act.
      await access.authorize(
        credentials,
        gateOverridePermission,
        gate.entityRef,
        'Only a release manager may release a gate whose GO no longer holds (release-readiness.gate.override)',
      );
    }
    const moved = await audited(
      auditor,
      {
        eventId: 'gate-transition',
        request: req,
        meta: {
          gateId: gate.id,
          transition: transition!,
          ...(override ? { override } : {}),
        },
      },
      () =>
        commands.transition(gate, transition as GateTransition, reason, actor, {
          override,
        }),
    );
    await anchorChainHead(options, req, { gateId: gate.id });
    res.json(moved);
  });
}
