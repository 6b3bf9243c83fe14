import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import {
  nextOccurrence,
  ReleaseWindow,
  templateReadPermission,
  validateWindow,
  windowManagePermission,
} from '@release-readiness/plugin-common';
import { audited } from './audit';
import { requestTimestamp } from './timestamps';
import type { ReadinessRouter, RouterOptions } from './router';

/** `GET/POST /windows` and `POST /gates/:id/window-exception`. */
export function registerWindowRoutes(
  router: ReadinessRouter,
  options: RouterOptions,
) {
  const { httpAuth, service, windows, auditor, refreshSummariesNow } = options;

  router.get('/windows', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await service.authorize(credentials, templateReadPermission);
    const now = new Date();
    const items = (await service.allWindows()).map(window => {
      const next = nextOccurrence(window, now);
      return {
        ...window,
        ...(next
          ? {
              next: {
                start: next.start.toISOString(),
                end: next.end.toISOString(),
              },
            }
          : {}),
      };
    });
    res.json({ items });
  });

  router.post('/windows', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    await service.authorize(
      credentials,
      windowManagePermission,
      undefined,
      'Only admins may create release windows',
    );
    const body = req.body;
    const window: Omit<ReleaseWindow, 'source'> = {
      id: body.id,
      name: body.name.trim(),
      ...(body.description ? { description: body.description } : {}),
      kind: body.kind,
      ...(body.cron ? { cron: body.cron } : {}),
      ...(body.duration ? { duration: body.duration } : {}),
      ...(body.timezone ? { timezone: body.timezone } : {}),
      ...(body.from ? { from: requestTimestamp(body.from, 'from') } : {}),
      ...(body.to ? { to: requestTimestamp(body.to, 'to') } : {}),
      scope: {
        ...body.scope,
        ...(body.scope.systems
          ? {
              systems: body.scope.systems.map(s =>
                s.toLocaleLowerCase('en-US'),
              ),
            }
          : {}),
        ...(body.scope.entities
          ? {
              entities: body.scope.entities.map(e =>
                e.toLocaleLowerCase('en-US'),
              ),
            }
          : {}),
      },
      approvers: (body.approvers ?? []).map(a => a.toLocaleLowerCase('en-US')),
    };
    const problems = validateWindow({ ...window, source: 'api' });
    if (problems.length) {
      throw new InputError(problems.join('; '));
    }
    if (service.configWindows.some(w => w.id === window.id)) {
      throw new ConflictError(
        `id: the window ${window.id} is defined in app-config; choose another id`,
      );
    }
    const created = await audited(
      auditor,
      { eventId: 'window-create', request: req, meta: { windowId: window.id } },
      () =>
        windows.createWindow({
          window,
          actor: credentials.principal.userEntityRef,
        }),
    );
    // The window can block any gate in its scope: the portfolio's summaries
    // are brought up to date in the background.
    await refreshSummariesNow();
    res.status(201).json(created);
  });

  router.post('/gates/:gateId/window-exception', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const gate = await service.requireGate(req.params.gateId, credentials);
    const window = (await service.allWindows()).find(
      w => w.id === req.body.windowId,
    );
    if (!window) {
      throw new InputError(
        `windowId: there is no release window ${req.body.windowId}`,
      );
    }
    if (!window.approvers.length) {
      throw new ConflictError(
        `The window ${window.name} names nobody who may approve exceptions`,
      );
    }
    const claims = await service.claimsOf(credentials);
    const covers = window.approvers.filter(a =>
      claims.includes(a.toLocaleLowerCase('en-US')),
    );
    if (!covers.length) {
      throw new NotAllowedError(
        `Only ${window.approvers.join(', ')} may approve an exception to ${
          window.name
        }`,
      );
    }
    const updated = await audited(
      auditor,
      {
        eventId: 'window-exception-approve',
        request: req,
        meta: { gateId: gate.id, windowId: window.id },
      },
      () =>
        service.changeGate(gate.entityRef, stores =>
          stores.gates.addWindowException({
            gateId: gate.id,
            windowId: window.id,
            reason: req.body.reason.trim(),
            approvedBy: credentials.principal.userEntityRef,
            covers,
          }),
        ),
    );
    res.status(201).json(updated);
  });
}
