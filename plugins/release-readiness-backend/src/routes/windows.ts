import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  gateUpdatePermission,
  nextOccurrence,
  ReleaseWindow,
  templateReadPermission,
  validateWindow,
  windowAt,
  windowManagePermission,
} from '@release-readiness/plugin-common';
import type { Request } from 'express';
import type { WindowDefinition } from '../database';
import { requestTimestamp } from '../gates';
import { audited } from './auditor';
import { anchorChainHead } from './auditTrail';
import type { ReadinessRouter, RouterOptions } from './types';

/** The fields of a window definition in a request body. */
interface WindowBody {
  name: string;
  description?: string;
  kind: ReleaseWindow['kind'];
  cron?: string;
  duration?: string;
  timezone?: string;
  from?: string;
  to?: string;
  scope: ReleaseWindow['scope'];
  approvers?: string[];
}

function withNext(window: ReleaseWindow, now: Date) {
  const next = window.retiredAt ? undefined : nextOccurrence(window, now);
  // The occurrence open now, if any (the tab's "in force now").
  const current = window.retiredAt ? undefined : windowAt(window, now);
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
}

/**
 * A window definition from a body, checked: 400 naming the field when it
 * is not a valid window; its scope resolved to full refs of entities the
 * catalog has (a scope naming nothing would match nothing, silently).
 */
async function definitionFrom(
  options: RouterOptions,
  id: string,
  body: WindowBody,
): Promise<WindowDefinition> {
  const window: WindowDefinition = {
    id,
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
  window.scope = await options.domain.refs.resolveWindowScope(window.scope);
  return window;
}

/** 409 for a window defined in app-config: it changes there, not here. */
function requireNotConfig(options: RouterOptions, windowId: string) {
  if (options.domain.evaluator.configWindows.some(w => w.id === windowId)) {
    throw new ConflictError(
      `The release window ${windowId} is defined in app-config; change it there`,
    );
  }
}

function requireReason(reason: unknown): string {
  const text = typeof reason === 'string' ? reason.trim() : '';
  if (!text) {
    throw new InputError(
      'reason: say why; it is kept in the window history with your name',
    );
  }
  return text;
}

/** Only admins (the window permission), and only people: never a service. */
async function requireWindowManager(
  options: RouterOptions,
  req: Request<any, any, any, any>,
  what: string,
) {
  const credentials = await options.httpAuth.credentials(req, {
    allow: ['user'],
  });
  await options.domain.access.authorize(
    credentials,
    windowManagePermission,
    undefined,
    `Only admins may ${what} release windows`,
  );
  return credentials;
}

/**
 * `GET/POST /windows`, `GET/PUT /windows/:id`, `POST /windows/:id/retire`,
 * and the exceptions of a gate: `GET /gates/:id/window-exceptions`,
 * `POST /gates/:id/window-exception` (approve),
 * `POST /gates/:id/window-exception-requests` (ask) and
 * `POST /gates/:id/window-exception-requests/:requestId/reject`.
 */
export function registerWindowRoutes(
  router: ReadinessRouter,
  options: RouterOptions,
) {
  const { httpAuth, domain, windows, auditor, refreshSummariesNow, notifier } =
    options;
  const { access, evaluator } = domain;
  /** A window's name, retired windows included; its id when unknown. */
  const windowName = async (windowId: string) =>
    (await evaluator.allWindows()).find(w => w.id === windowId)?.name ??
    (await windows.getWindow({ windowId }))?.name ??
    windowId;

  router.get('/windows', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await access.authorize(credentials, templateReadPermission);
    const now = new Date();
    // With an entity: only the windows whose scope covers it, matched as
    // the evaluation matches them (the tab's next freeze and train).
    const entityRef = req.query.entityRef?.toLocaleLowerCase('en-US');
    const retired =
      req.query.include === 'retired' && !entityRef
        ? (await windows.listWindows({ includeRetired: true })).filter(
            w => w.retiredAt,
          )
        : [];
    const listed = entityRef
      ? await evaluator.windowsApplyingTo(entityRef)
      : [...(await evaluator.allWindows()), ...retired];
    const items = listed.map(w => withNext(w, now));
    res.json({ items });
  });

  router.get('/windows/:windowId', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    await access.authorize(credentials, templateReadPermission);
    const { windowId } = req.params;
    const fromConfig = evaluator.configWindows.find(w => w.id === windowId);
    if (fromConfig) {
      res.json({ ...withNext(fromConfig, new Date()), history: [] });
      return;
    }
    // Retired windows resolve too: records that refer to them stay readable.
    const window = await windows.getWindow({ windowId });
    if (!window) {
      throw new NotFoundError(`No release window ${windowId}`);
    }
    const history = await windows.listWindowVersions({ windowId });
    res.json({ ...withNext(window, new Date()), history });
  });

  router.post('/windows', async (req, res) => {
    const credentials = await requireWindowManager(options, req, 'create');
    const body = req.body;
    const window = await definitionFrom(options, body.id, body);
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

  router.put('/windows/:windowId', async (req, res) => {
    const credentials = await requireWindowManager(options, req, 'edit');
    const { windowId } = req.params;
    requireNotConfig(options, windowId);
    const reason = requireReason(req.body.reason);
    const window = await definitionFrom(options, windowId, req.body);
    const updated = await audited(
      auditor,
      {
        eventId: 'window-update',
        request: req,
        meta: { windowId, version: req.body.version, reason },
      },
      () =>
        windows.editWindow({
          window,
          expectedVersion: req.body.version,
          actor: credentials.principal.userEntityRef,
          reason,
        }),
      result => ({ version: result.version ?? null }),
    );
    await refreshSummariesNow();
    res.json(updated);
  });

  router.post('/windows/:windowId/retire', async (req, res) => {
    const credentials = await requireWindowManager(options, req, 'retire');
    const { windowId } = req.params;
    requireNotConfig(options, windowId);
    const reason = requireReason(req.body.reason);
    const retired = await audited(
      auditor,
      {
        eventId: 'window-retire',
        request: req,
        meta: { windowId, version: req.body.version, reason },
      },
      () =>
        windows.retireWindow({
          windowId,
          expectedVersion: req.body.version,
          actor: credentials.principal.userEntityRef,
          reason,
        }),
    );
    await refreshSummariesNow();
    res.json(retired);
  });

  router.get('/gates/:gateId/window-exceptions', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const gate = await access.requireGate(req.params.gateId, credentials);
    res.json(await domain.windowExceptions.listForGate(gate));
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
      () => domain.windowExceptions.approve(gate, req.body, actor),
    );
    await anchorChainHead(options, req, { gateId: gate.id });
    // The approval that completed a request: the person who asked hears it.
    const { requests } = await domain.windowExceptions.listForGate(gate);
    const completed = requests.find(
      r =>
        r.windowId === req.body.windowId &&
        r.state === 'approved' &&
        r.decidedBy === actor.userEntityRef,
    );
    if (completed) {
      notifier.exceptionDecisionCommitted(
        { id: completed.windowId, name: await windowName(completed.windowId) },
        updated,
        completed,
      );
    }
    res.status(201).json(updated);
  });

  router.post('/gates/:gateId/window-exception-requests', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const gate = await access.requireGate(
      req.params.gateId,
      credentials,
      gateUpdatePermission,
      ref => `Only the gate owners of ${ref} may request a window exception`,
    );
    const actor = {
      userEntityRef: credentials.principal.userEntityRef,
      claims: await access.claimsOf(credentials),
    };
    const result = await audited(
      auditor,
      {
        eventId: 'window-exception-request',
        request: req,
        meta: { gateId: gate.id, windowId: req.body.windowId },
      },
      () => domain.windowExceptions.request(gate, req.body, actor),
      r => ({ requestId: r.request.id }),
    );
    await anchorChainHead(options, req, { gateId: gate.id });
    // Exactly the approvers who have not approved yet (groups reach their
    // members), never the requester, once per request across replicas.
    notifier.exceptionRequestCommitted(
      { ...result.window, approvers: result.approvers },
      result.gate,
      {
        id: result.request.id,
        requestedBy: result.request.requestedBy,
        reason: result.request.reason,
      },
    );
    res.status(201).json({ request: result.request, gate: result.gate });
  });

  router.post(
    '/gates/:gateId/window-exception-requests/:requestId/reject',
    async (req, res) => {
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      const gate = await access.requireGate(req.params.gateId, credentials);
      const actor = {
        userEntityRef: credentials.principal.userEntityRef,
        claims: await access.claimsOf(credentials),
      };
      const result = await audited(
        auditor,
        {
          eventId: 'window-exception-reject',
          request: req,
          meta: { gateId: gate.id, requestId: req.params.requestId },
        },
        () =>
          domain.windowExceptions.reject(
            gate,
            req.params.requestId,
            req.body,
            actor,
          ),
      );
      await anchorChainHead(options, req, { gateId: gate.id });
      notifier.exceptionDecisionCommitted(
        {
          id: result.request.windowId,
          name: await windowName(result.request.windowId),
        },
        result.gate,
        result.request,
      );
      res.json(result);
    },
  );
}
