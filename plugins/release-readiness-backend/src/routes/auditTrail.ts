/*
 * The audit chains as HTTP: a gate's verification, and an entity's own chain
 * (gate owners, service items) with its verification, so that anyone who may
 * read the entity's gates sees who made someone a gate owner. Read
 * permission (`release-readiness.gate.read`) on the entity, users and
 * services alike.
 *
 * `anchorChainHead` writes a chain's head to Backstage's auditor (the logs)
 * after a gate change committed: an anchor outside the plugin's database.
 */
import {
  AuditorService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { gateReadPermission } from '@release-readiness/plugin-common';
import { Request } from 'express';
import { verifyEntityTrail, verifyGateTrail } from '../audit/AuditTrail';
import { chainKey } from '../audit/chain';
import type { AuditLog } from '../database';
import type { ReadinessRouter, RouterOptions } from './types';

type EntityParams = { kind: string; namespace: string; name: string };

/**
 * Records a chain's head, as it is right after a change committed, as
 * a Backstage auditor event `audit-chain-head` { chain, seq, hash }. It runs
 * after the commit: a failure is logged and never turns the change into an
 * error.
 */
export async function anchorChainHead(
  deps: { auditor: AuditorService; audit: AuditLog },
  request: Request<any, any, any, any>,
  chain: { gateId: string } | { entityRef: string },
): Promise<void> {
  try {
    const { head } = await deps.audit.trailAnchors(chain);
    if (!head) return;
    const event = await deps.auditor.createEvent({
      eventId: 'audit-chain-head',
      severityLevel: 'low',
      request,
      meta: { chain: head.chain, seq: head.seq, hash: head.hash },
    });
    await event.success({
      meta: { chain: head.chain, seq: head.seq, hash: head.hash },
    });
  } catch {
    // The auditor logs through the root logger; the change stands.
  }
}

/** `…/audit/verify` and the entity's `…/audit`. */
export function registerAuditTrailRoutes(
  router: ReadinessRouter,
  options: RouterOptions,
) {
  const { httpAuth, domain } = options;
  const { access } = domain;

  async function readableEntity(
    params: EntityParams,
    credentials: BackstageCredentials,
  ) {
    const entity = await access.loadEntity(params, credentials);
    const { entityRef } = await access.syncEntity(entity);
    await access.authorize(credentials, gateReadPermission, entityRef);
    return entityRef;
  }

  router.get('/gates/:gateId/audit/verify', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const gate = await access.requireGate(
      req.params.gateId,
      credentials,
      gateReadPermission,
    );
    const { verification } = await verifyGateTrail(options.audit, gate.id);
    res.json(verification);
  });

  router.get('/entities/:kind/:namespace/:name/audit', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const entityRef = await readableEntity(req.params, credentials);
    res.json({
      entityRef,
      chain: chainKey({ entityRef }),
      items: await options.audit.listEntityAudit({ entityRef }),
    });
  });

  router.get(
    '/entities/:kind/:namespace/:name/audit/verify',
    async (req, res) => {
      const credentials = await httpAuth.credentials(req, {
        allow: ['user', 'service'],
      });
      const entityRef = await readableEntity(req.params, credentials);
      const { verification } = await verifyEntityTrail(
        options.audit,
        entityRef,
      );
      res.json(verification);
    },
  );
}
