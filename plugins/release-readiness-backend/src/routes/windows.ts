import { ConflictError, InputError } from '@backstage/errors';
import {
  nextOccurrence,
  ReleaseWindow,
  templateReadPermission,
  validateWindow,
  windowAt,
  windowManagePermission,
} from '@release-readiness/plugin-common';
import { requestTimestamp } from '../gates';
import { audited } from './auditor';
import { anchorChainHead } from './auditTrail';
import type { ReadinessRouter, RouterOptions } from './types';

/** `GET/POST /windows` and `POST /gates/:id/window-exception`. */
export function registerWindowRoutes(
  router: ReadinessRouter,
  options: RouterOptions,
) {
  const { httpAuth, domain, windows, auditor, refreshSummariesNow } = options;
  const { access, evaluator, commands } = domain;

  router.get('/windows', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await access.authorize(credentials, templateReadPermission);
    const now = new Date();
    // With an entity: only the windows whose scope covers it, matched as
    // the evaluation matches them (the tab's next freeze and train).
    const entityRef = req.query.entityRef?.toLocaleLowerCase('en-US');
    const listed = entityRef
      ? await evaluator.windowsApplyingTo(entityRef)
      : await evaluator.allWindows();
    const items = listed.map(window => {
      const next = nextOccurrence(window, now);
      const current = windowAt(window, now);
      return {
        ...window,
        ...(current
          ? {
              current: {
                start: current.start.toISOString(),
                end: current.end.toISOString(),
              },
            }
          : {}),
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
    await access.authorize(
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
      scope: body.scope,
      approvers: (body.approvers ?? []).map(a => a.toLocaleLowerCase('en-US')),
    };
    const problems = validateWindow({ ...window, source: 'api' });
    if (problems.length) {
      throw new InputError(problems.join('; '));
    }
    // Systems and entities as full refs of entities the catalog has; a
    // scope naming nothing would match nothing, silently.
    window.scope = await domain.refs.resolveWindowScope(window.scope);
    if (evaluator.configWindows.some(w => w.id === window.id)) {
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
    const gate = await access.requireGate(req.params.gateId, credentials);
    const actor = {
      userEntityRef: credentials.principal.userEntityRef,
      claims: await access.claimsOf(credentials),
    };
    const updated = await audited(
      auditor,
      {
        eventId: 'window-exception-approve',
        request: req,
        meta: { gateId: gate.id, windowId: req.body.windowId },
      },
      () => commands.approveWindowException(gate, req.body, actor),
    );
    await anchorChainHead(options, req, { gateId: gate.id });
    res.status(201).json(updated);
  });
}
