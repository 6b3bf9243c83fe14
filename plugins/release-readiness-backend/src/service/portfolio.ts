import { gateReadPermission } from '@release-readiness/plugin-common';
import type { ReadinessRouter, RouterOptions } from './router';

/** `GET /portfolio` and `GET /metrics`: reads across every entity. */
export function registerPortfolioRoutes(
  router: ReadinessRouter,
  options: RouterOptions,
) {
  const { httpAuth, service, portfolio } = options;

  router.get('/portfolio', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const access = await service.readAccess(credentials, gateReadPermission);
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
    const access = await service.readAccess(credentials, gateReadPermission);
    res.json({ items: await portfolio.systems(access) });
  });

  router.get('/portfolio/caught', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const access = await service.readAccess(credentials, gateReadPermission);
    res.json({ items: await portfolio.caught(access) });
  });

  router.get('/metrics', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    // Metrics are aggregates; reading them needs the read permission.
    await service.authorize(credentials, gateReadPermission, '*');
    res.json(
      await portfolio.metrics({
        groupBy: req.query.groupBy ?? 'team',
        period: req.query.period ?? 'quarter',
      }),
    );
  });
}
