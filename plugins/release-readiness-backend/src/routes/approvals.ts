import type { ReadinessRouter, RouterOptions } from './types';
import { audited } from './auditor';
import { anchorChainHead } from './auditTrail';

/**
 * `POST /gates/:id/template-approval` and
 * `POST /gates/:id/items/:itemId/waiver-approval`: approvals governance asks
 * for. Anyone who may read the gate may ask; who may approve is the
 * command's check (gates/ApprovalCommands.ts), as for window exceptions.
 */
export function registerApprovalRoutes(
  router: ReadinessRouter,
  options: RouterOptions,
) {
  const { httpAuth, domain, auditor } = options;
  const { access, approvals } = domain;

  router.post('/gates/:gateId/template-approval', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const gate = await access.requireGate(req.params.gateId, credentials);
    const actor = {
      userEntityRef: credentials.principal.userEntityRef,
      claims: await access.claimsOf(credentials),
    };
    const updated = await audited(
      auditor,
      {
        eventId: 'gate-template-approval',
        request: req,
        meta: { gateId: gate.id },
      },
      () => approvals.approveTemplate(gate, actor, req.body?.comment?.trim()),
    );
    await anchorChainHead(options, req, { gateId: gate.id });
    res.status(201).json(updated);
  });

  router.post(
    '/gates/:gateId/items/:itemId/waiver-approval',
    async (req, res) => {
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      const gate = await access.requireGate(req.params.gateId, credentials);
      const actor = {
        userEntityRef: credentials.principal.userEntityRef,
        claims: await access.claimsOf(credentials),
      };
      const { itemId } = req.params;
      const updated = await audited(
        auditor,
        {
          eventId: 'gate-waiver-approval',
          request: req,
          meta: { gateId: gate.id, itemId },
        },
        () =>
          approvals.approveWaiver(
            gate,
            itemId,
            actor,
            req.body?.comment?.trim(),
          ),
      );
      await anchorChainHead(options, req, { gateId: gate.id });
      res.status(201).json(updated);
    },
  );
}
