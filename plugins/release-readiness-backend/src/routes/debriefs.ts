import {
  gateReadPermission,
  gateUpdatePermission,
  isDebriefDue,
} from '@release-readiness/plugin-common';
import { ConflictError, NotFoundError } from '@backstage/errors';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { timeRange } from '../database';
import { buildTemplateReview } from '../insights/templateReview';
import { debriefChange, requireKnownOwners, utcDay } from '../gates/debrief';
import { audited } from './auditor';
import type { ReadinessRouter, RouterOptions } from './types';

/** The first instant of the quarter `at` falls in (UTC). */
export function quarterStart(at: Date): string {
  const month = Math.floor(at.getUTCMonth() / 3) * 3;
  return new Date(Date.UTC(at.getUTCFullYear(), month, 1)).toISOString();
}

/**
 * `GET|PUT /gates/:gateId/debrief`: the gate's blameless debrief (issue 18),
 * read by whoever may read the gate, written by its gate owners once the gate
 * is released, rolled back, NO-GO or cancelled. `GET /portfolio/learning`:
 * debrief completion, open follow-ups and facilitators, over the entities
 * the caller may read. `GET /insights/items`: the outcome loop, which
 * checklist items go with incidents (database/insights.ts).
 */
export function registerDebriefRoutes(
  router: ReadinessRouter,
  options: RouterOptions,
) {
  const { httpAuth, domain, auditor, debriefs } = options;

  router.get('/gates/:gateId/debrief', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const gate = await domain.access.requireGate(
      req.params.gateId,
      credentials,
      gateReadPermission,
    );
    const debrief = await debriefs.getDebrief({ gateId: gate.id });
    res.json({
      ...(debrief ? { debrief } : {}),
      due: isDebriefDue(gate.state),
    });
  });

  router.put('/gates/:gateId/debrief', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const gate = await domain.access.requireGate(
      req.params.gateId,
      credentials,
      gateUpdatePermission,
      ref => `Only the gate owners of ${ref} may record its debrief`,
    );
    const change = debriefChange(
      gate.id,
      req.body,
      credentials.principal.userEntityRef,
    );
    const before = await debriefs.getDebrief({ gateId: gate.id });
    await requireKnownOwners(domain.access, change, before, credentials);
    const debrief = await audited(
      auditor,
      {
        eventId: 'gate-debrief-update',
        request: req,
        meta: { gateId: gate.id, followUps: change.followUps.length },
      },
      () => debriefs.writeDebrief(change),
    );
    res.json(debrief);
  });

  router.get('/insights/items', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    // Like the portfolio: only the gates the caller may read count, the
    // permission conditions becoming WHERE clauses.
    const access = await domain.access.readAccess(
      credentials,
      gateReadPermission,
    );
    const q = req.query;
    res.json(
      await options.portfolio.itemInsights(access, {
        ...(q.template ? { template: q.template } : {}),
        ...(q.owner ? { owner: q.owner.toLocaleLowerCase('en-US') } : {}),
        ...(q.from ? { from: q.from } : {}),
        ...(q.to ? { to: q.to } : {}),
        ...(q.offset ? { offset: Number(q.offset) } : {}),
        ...(q.limit ? { limit: Number(q.limit) } : {}),
      }),
    );
  });

  router.get('/templates/:name/review', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const template = domain.access.templates.find(
      t => t.name === req.params.name,
    );
    if (!template) {
      throw new NotFoundError(`No gate template named ${req.params.name}`);
    }
    const access = await domain.access.readAccess(
      credentials,
      gateReadPermission,
    );
    // The file as it is now, so that the patch applies to it; one that
    // changed since the backend loaded it would be reviewed against rules
    // the gates never ran.
    const text = await readFile(resolve(template.source), 'utf8').catch(
      () => undefined,
    );
    if (
      text === undefined ||
      createHash('sha256').update(text).digest('hex') !== template.hash
    ) {
      throw new ConflictError(
        `The template file ${template.source} is not the one the backend loaded (missing or changed); restart the backend, then review it`,
      );
    }
    const q = req.query;
    const insights = await options.portfolio.itemInsights(access, {
      template: template.name,
      ...(q.from ? { from: q.from } : {}),
      ...(q.to ? { to: q.to } : {}),
      limit: 200,
    });
    const { trend, themes } = await options.portfolio.templateReviewData(
      access,
      { template: template.name, from: insights.from, to: insights.to },
    );
    const review = buildTemplateReview({
      template,
      text,
      from: insights.from,
      to: insights.to,
      items: insights.items,
      trend,
      themes,
      windowDays: insights.windowDays,
      minSample: insights.minSample,
    });
    if (q.format === 'md') {
      res
        .status(200)
        .set({
          'Content-Type': 'text/markdown; charset=utf-8',
          'Content-Disposition': `attachment; filename="template-review-${
            template.name
          }-${insights.to.slice(0, 10)}.md"`,
        })
        .send(review.markdown);
      return;
    }
    res.json({
      template: template.name,
      version: template.version,
      from: insights.from,
      to: insights.to,
      proposals: review.proposals,
      trend,
      themes,
      markdown: review.markdown,
      patch: review.patch,
    });
  });

  router.get('/portfolio/learning', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const access = await domain.access.readAccess(
      credentials,
      gateReadPermission,
    );
    const now = new Date();
    const q = req.query;
    const range = timeRange(
      'from',
      q.from ?? quarterStart(now),
      'to',
      q.to ?? now.toISOString(),
    );
    const from = range.from!;
    const to = range.to!;
    const learning = await debriefs.learning(access, {
      from,
      to,
      today: utcDay(now),
      ...(q.owner ? { owner: q.owner.toLocaleLowerCase('en-US') } : {}),
    });
    res.json({ from, to, ...learning });
  });
}
