import { parseEntityRef } from '@backstage/catalog-model';
import { gateReadPermission } from '@release-readiness/plugin-common';
import { readCalendar, readSystemRollups } from '../gates';
import type { ReadinessRouter, RouterOptions } from './types';

/**
 * `GET /portfolio`, its tier view and caught releases, and `GET /metrics`:
 * reads across every entity the caller may read.
 */
export function registerPortfolioRoutes(
  router: ReadinessRouter,
  options: RouterOptions,
) {
  const { httpAuth, domain, portfolio } = options;

  router.get('/portfolio', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const access = await domain.access.readAccess(
      credentials,
      gateReadPermission,
    );
    const q = req.query;
    res.json(
      await portfolio.portfolio(
        {
          ...(q.owner ? { owner: q.owner.toLocaleLowerCase('en-US') } : {}),
          ...(q.system ? { system: q.system.toLocaleLowerCase('en-US') } : {}),
          ...(q.tier ? { tier: Number(q.tier) } : {}),
          ...(q.state ? { state: q.state } : {}),
          ...(q.verdict ? { verdict: q.verdict } : {}),
          ...(q.q ? { q: q.q } : {}),
          // Normalized and checked (a real time, plannedFrom before
          // plannedTo) by the store, which answers a 400 naming the field.
          ...(q.plannedFrom ? { plannedFrom: q.plannedFrom } : {}),
          ...(q.plannedTo ? { plannedTo: q.plannedTo } : {}),
          ...(q.sort ? { sort: q.sort } : {}),
          ...(q.order ? { order: q.order } : {}),
          ...(q.offset ? { offset: Number(q.offset) } : {}),
          ...(q.limit ? { limit: Number(q.limit) } : {}),
        },
        access,
      ),
    );
  });

  router.get('/portfolio/systems', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const access = await domain.access.readAccess(
      credentials,
      gateReadPermission,
    );
    // The roll-up of each system as its own tab computes it (one function,
    // entityRollup), for the release of the system's current gate.
    res.json({
      items: await readSystemRollups({
        access,
        portfolio,
        gates: options.gates,
        evaluator: domain.evaluator,
        templates: domain.access.templates,
        // A system without a gate: the template that applies to it, as the
        // caller may see it in the catalog.
        loadEntity: ref =>
          domain.access
            .loadEntity(parseEntityRef(ref), credentials)
            .catch(() => undefined),
      }),
    });
  });

  router.get('/portfolio/caught', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const access = await domain.access.readAccess(
      credentials,
      gateReadPermission,
    );
    const q = req.query;
    res.json(
      await portfolio.caught(access, {
        // Refs are stored in lower case, as the portfolio filters them.
        ...(q.owner ? { owner: q.owner.toLocaleLowerCase('en-US') } : {}),
        ...(q.system ? { system: q.system.toLocaleLowerCase('en-US') } : {}),
        // The portfolio table's other filters, with the same meaning.
        ...(q.tier ? { tier: Number(q.tier) } : {}),
        ...(q.state ? { state: q.state } : {}),
        ...(q.verdict ? { verdict: q.verdict } : {}),
        ...(q.q ? { q: q.q } : {}),
        // Normalized and checked (a real time, from before to) by the
        // store, which answers a 400 naming the field.
        ...(q.from ? { from: q.from } : {}),
        ...(q.to ? { to: q.to } : {}),
        ...(q.offset ? { offset: Number(q.offset) } : {}),
        ...(q.limit ? { limit: Number(q.limit) } : {}),
      }),
    );
  });

  router.get('/portfolio/calendar', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const access = await domain.access.readAccess(
      credentials,
      gateReadPermission,
    );
    const q = req.query;
    res.json(
      await readCalendar({
        ...(q.from ? { from: q.from } : {}),
        ...(q.to ? { to: q.to } : {}),
        // The portfolio's filters, with the same meaning (refs lower-cased
        // as the portfolio's route does).
        filters: {
          ...(q.owner ? { owner: q.owner.toLocaleLowerCase('en-US') } : {}),
          ...(q.system ? { system: q.system.toLocaleLowerCase('en-US') } : {}),
          ...(q.tier ? { tier: Number(q.tier) } : {}),
          ...(q.state ? { state: q.state } : {}),
          ...(q.verdict ? { verdict: q.verdict } : {}),
          ...(q.q ? { q: q.q } : {}),
        },
        access,
        portfolio,
        evaluator: domain.evaluator,
      }),
    );
  });

  router.get('/metrics', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    // Like the portfolio: the aggregates cover only the gates the caller may
    // read, the permission conditions becoming WHERE clauses.
    const access = await domain.access.readAccess(
      credentials,
      gateReadPermission,
    );
    const q = req.query;
    res.json(
      await portfolio.metrics(
        {
          groupBy: q.groupBy ?? 'team',
          period: q.period ?? 'quarter',
          // Refs are stored in lower case, as the portfolio filters them.
          ...(q.owner ? { owner: q.owner.toLocaleLowerCase('en-US') } : {}),
          ...(q.system ? { system: q.system.toLocaleLowerCase('en-US') } : {}),
          ...(q.tier ? { tier: Number(q.tier) } : {}),
          ...(q.from ? { from: q.from } : {}),
          ...(q.to ? { to: q.to } : {}),
          // Checked (1 to 1,000) by the store, which answers a 400.
          ...(q.limit ? { limit: Number(q.limit) } : {}),
        },
        access,
      ),
    );
  });
}
