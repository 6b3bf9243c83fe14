import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/test-utils';
import { ResponseError } from '@backstage/errors';
import { ReleaseReadinessClient } from './ReleaseReadinessClient';

const baseUrl = 'http://backstage.test/api/release-readiness';

describe('ReleaseReadinessClient', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const client = new ReleaseReadinessClient({
    discoveryApi: { getBaseUrl: async () => baseUrl },
    fetchApi: { fetch: (input, init) => fetch(input, init) },
  });

  it('reads an entity readiness, encoding each part of the ref', async () => {
    server.use(
      http.get(`${baseUrl}/entities/Component/default/payment-gateway`, () =>
        HttpResponse.json({
          entityRef: 'component:default/payment-gateway',
          title: 'payment-gateway',
          gateOwners: [],
          checklist: [],
          currentGate: null,
          earlierGates: [],
        }),
      ),
    );

    const readiness = await client.getEntityReadiness({
      kind: 'Component',
      namespace: 'default',
      name: 'payment-gateway',
    });
    expect(readiness.entityRef).toBe('component:default/payment-gateway');
    expect(readiness.currentGate).toBeNull();
  });

  it('throws a ResponseError carrying the backend error', async () => {
    server.use(
      http.get(`${baseUrl}/entities/component/default/missing`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotFoundError',
              message: 'No catalog entity named component:default/missing',
            },
            response: { statusCode: 404 },
          },
          { status: 404 },
        ),
      ),
    );

    const promise = client.getEntityReadiness({
      kind: 'component',
      namespace: 'default',
      name: 'missing',
    });
    await expect(promise).rejects.toBeInstanceOf(ResponseError);
    await expect(promise).rejects.toMatchObject({
      statusCode: 404,
      body: { error: { name: 'NotFoundError' } },
    });
  });

  it('sends each change with its method, path and JSON body', async () => {
    const seen: { method: string; path: string; body: unknown }[] = [];
    const record = async ({ request }: { request: Request }) => {
      seen.push({
        method: request.method,
        path: new URL(request.url).pathname.replace(
          '/api/release-readiness',
          '',
        ),
        body: await request.json(),
      });
      return HttpResponse.json({ id: 'g1' });
    };
    server.use(
      http.post(
        `${baseUrl}/entities/component/default/payment-gateway/gates`,
        record,
      ),
      http.patch(`${baseUrl}/gates/g1/items/user-acceptance`, record),
      http.post(`${baseUrl}/gates/g1/signoffs`, record),
      http.put(`${baseUrl}/gates/g1/risk`, record),
      http.post(`${baseUrl}/gates/g1/decision`, record),
      http.post(`${baseUrl}/gates/g1/window-exception`, record),
      http.patch(`${baseUrl}/gates/g1/planned`, record),
    );
    const entity = {
      kind: 'component',
      namespace: 'default',
      name: 'payment-gateway',
    };
    await client.openGate(entity, { release: '1.4.0' });
    await client.updateItem('g1', 'user-acceptance', {
      status: 'passed',
      version: 3,
    });
    await client.vote('g1', { role: 'qa', verdict: 'ready' });
    await client.updateRisk('g1', { version: 0, impactMatrix: [] });
    await client.decide('g1', { verdict: 'no-go', reason: 'flaky' });
    await client.approveWindowException('g1', {
      windowId: 'freeze',
      reason: 'x',
    });
    await client.setPlannedTime('g1', {
      plannedAt: '2026-12-08T10:00:00.000Z',
      version: 4,
    });
    expect(seen).toEqual([
      {
        method: 'POST',
        path: '/entities/component/default/payment-gateway/gates',
        body: { release: '1.4.0' },
      },
      {
        method: 'PATCH',
        path: '/gates/g1/items/user-acceptance',
        body: { status: 'passed', version: 3 },
      },
      {
        method: 'POST',
        path: '/gates/g1/signoffs',
        body: { role: 'qa', verdict: 'ready' },
      },
      {
        method: 'PUT',
        path: '/gates/g1/risk',
        body: { version: 0, impactMatrix: [] },
      },
      {
        method: 'POST',
        path: '/gates/g1/decision',
        body: { verdict: 'no-go', reason: 'flaky' },
      },
      {
        method: 'POST',
        path: '/gates/g1/window-exception',
        body: { windowId: 'freeze', reason: 'x' },
      },
      {
        method: 'PATCH',
        path: '/gates/g1/planned',
        body: { plannedAt: '2026-12-08T10:00:00.000Z', version: 4 },
      },
    ]);
  });

  it('sends the window maintenance and exception requests to their routes', async () => {
    const seen: { method: string; path: string; body: unknown }[] = [];
    const record = async ({ request }: { request: Request }) => {
      seen.push({
        method: request.method,
        path: new URL(request.url).pathname.replace(
          '/api/release-readiness',
          '',
        ),
        body: request.method === 'GET' ? undefined : await request.json(),
      });
      return HttpResponse.json({ requests: [], approvals: [] });
    };
    server.use(
      http.put(`${baseUrl}/windows/launch-freeze`, record),
      http.post(`${baseUrl}/windows/launch-freeze/retire`, record),
      http.get(`${baseUrl}/windows/launch-freeze`, record),
      http.get(`${baseUrl}/gates/g1/window-exceptions`, record),
      http.post(`${baseUrl}/gates/g1/window-exception-requests`, record),
      http.post(
        `${baseUrl}/gates/g1/window-exception-requests/r1/reject`,
        record,
      ),
    );
    const edit = {
      name: 'Launch freeze',
      kind: 'freeze' as const,
      from: '2026-06-18T00:00:00Z',
      to: '2026-06-25T00:00:00Z',
      scope: { all: true },
      version: 3,
      reason: 'moved',
    };
    await client.editWindow('launch-freeze', edit);
    await client.retireWindow('launch-freeze', { version: 4, reason: 'done' });
    await client.getWindow('launch-freeze');
    expect(await client.getWindowExceptions('g1')).toEqual({
      requests: [],
      approvals: [],
    });
    await client.requestWindowException('g1', {
      windowId: 'launch-freeze',
      reason: 'launch',
    });
    await client.rejectWindowException('g1', 'r1', { reason: 'no' });
    expect(seen).toEqual([
      { method: 'PUT', path: '/windows/launch-freeze', body: edit },
      {
        method: 'POST',
        path: '/windows/launch-freeze/retire',
        body: { version: 4, reason: 'done' },
      },
      { method: 'GET', path: '/windows/launch-freeze', body: undefined },
      { method: 'GET', path: '/gates/g1/window-exceptions', body: undefined },
      {
        method: 'POST',
        path: '/gates/g1/window-exception-requests',
        body: { windowId: 'launch-freeze', reason: 'launch' },
      },
      {
        method: 'POST',
        path: '/gates/g1/window-exception-requests/r1/reject',
        body: { reason: 'no' },
      },
    ]);
  });

  it('turns a 409 into a ResponseError a component can recognise', async () => {
    server.use(
      http.patch(`${baseUrl}/gates/g1/items/user-acceptance`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'ConflictError',
              message: 'Checklist item user-acceptance is at version 4, not 3',
            },
            response: { statusCode: 409 },
          },
          { status: 409 },
        ),
      ),
    );
    await expect(
      client.updateItem('g1', 'user-acceptance', {
        status: 'failed',
        version: 3,
      }),
    ).rejects.toMatchObject({
      statusCode: 409,
      body: {
        error: {
          name: 'ConflictError',
          message: expect.stringMatching(/version 4/),
        },
      },
    });
  });

  it('reads lists and the dossier', async () => {
    server.use(
      http.get(`${baseUrl}/templates`, () =>
        HttpResponse.json({ items: [{ name: 'component-gate' }] }),
      ),
      http.get(`${baseUrl}/windows`, () =>
        HttpResponse.json({ items: [{ id: 'freeze' }] }),
      ),
      http.get(`${baseUrl}/gates/g1/audit`, () =>
        HttpResponse.json({ items: [{ id: '1', action: 'gate.open' }] }),
      ),
      http.get(`${baseUrl}/gates/g1/dossier`, ({ request }) =>
        new URL(request.url).searchParams.get('format') === 'md'
          ? new HttpResponse('# Release dossier', {
              headers: { 'Content-Type': 'text/markdown' },
            })
          : HttpResponse.json({}, { status: 400 }),
      ),
    );
    expect((await client.listTemplates()).map(t => t.name)).toEqual([
      'component-gate',
    ]);
    expect((await client.listWindows()).map(w => w.id)).toEqual(['freeze']);
    expect((await client.getAudit('g1'))[0].action).toBe('gate.open');
    expect(await client.getDossierMarkdown('g1')).toBe('# Release dossier');
  });

  it('asks for the gates planned in a range, the offset sign kept', async () => {
    const seen: URLSearchParams[] = [];
    server.use(
      http.get(`${baseUrl}/portfolio`, ({ request }) => {
        seen.push(new URL(request.url).searchParams);
        return HttpResponse.json({
          items: [],
          totalItems: 0,
          offset: 0,
          limit: 200,
          facets: { owner: [], system: [], tier: [], state: [], verdict: [] },
          teams: [],
        });
      }),
    );
    await client.getPortfolio({
      owner: 'group:default/payments',
      plannedFrom: '2026-03-02T08:00:00.000+01:00',
      plannedTo: '2026-03-30T07:00:00.000Z',
      sort: 'plannedAt',
      order: 'asc',
      offset: 0,
      limit: 200,
      q: '',
    });
    expect(Object.fromEntries(seen[0])).toEqual({
      owner: 'group:default/payments',
      plannedFrom: '2026-03-02T08:00:00.000+01:00',
      plannedTo: '2026-03-30T07:00:00.000Z',
      sort: 'plannedAt',
      order: 'asc',
      offset: '0',
      limit: '200',
    });
  });

  it('asks for the metrics with their filters and reads the overall bucket', async () => {
    const seen: URLSearchParams[] = [];
    const total = {
      gates: 3,
      releases: 1,
      goDecisions: 2,
      noGoDecisions: 1,
      noGoRate: 0.33,
      leadTimeHours: { median: 4, p90: 100 },
      blockersPerGate: 1.5,
      incidents: 0,
      incidentsPerRelease: 0,
    };
    server.use(
      http.get(`${baseUrl}/metrics`, ({ request }) => {
        seen.push(new URL(request.url).searchParams);
        return HttpResponse.json({
          groupBy: 'tier',
          period: 'quarter',
          buckets: [],
          overall: { periods: [{ period: '2026-Q1', ...total }], total },
        });
      }),
    );
    const res = await client.getMetrics({
      groupBy: 'tier',
      period: 'quarter',
      owner: 'group:default/payments',
      system: 'system:default/payments-platform',
      tier: '1',
      from: '2026-01-01T00:00:00+01:00',
      to: '2026-04-01T00:00:00Z',
      limit: 20,
    });
    expect(Object.fromEntries(seen[0])).toEqual({
      groupBy: 'tier',
      period: 'quarter',
      owner: 'group:default/payments',
      system: 'system:default/payments-platform',
      tier: '1',
      from: '2026-01-01T00:00:00+01:00',
      to: '2026-04-01T00:00:00Z',
      limit: '20',
    });
    expect(res.overall.total.leadTimeHours).toEqual({ median: 4, p90: 100 });
    expect(res.overall.periods.map(p => p.period)).toEqual(['2026-Q1']);

    // Without filters, only the grouping is sent.
    await client.getMetrics({ groupBy: 'team', period: 'month', owner: '' });
    expect(seen[1].toString()).toBe('groupBy=team&period=month');
  });

  it('turns a 400 on a bad metrics parameter into a ResponseError', async () => {
    server.use(
      http.get(`${baseUrl}/metrics`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'InputError',
              message: 'to: must be later than from',
            },
            response: { statusCode: 400 },
          },
          { status: 400 },
        ),
      ),
    );
    await expect(
      client.getMetrics({
        groupBy: 'team',
        period: 'month',
        from: '2026-02-01T00:00:00Z',
        to: '2026-01-01T00:00:00Z',
      }),
    ).rejects.toMatchObject({
      statusCode: 400,
      body: { error: { message: 'to: must be later than from' } },
    });
  });

  it('asks for a page of caught releases with its filters', async () => {
    let asked: URL | undefined;
    server.use(
      http.get(`${baseUrl}/portfolio/caught`, ({ request }) => {
        asked = new URL(request.url);
        return HttpResponse.json({
          items: [],
          totalItems: 42,
          offset: 10,
          limit: 10,
        });
      }),
    );
    const page = await client.getCaughtReleases({
      owner: 'group:default/payments',
      from: '2026-11-01T00:00:00+01:00',
      offset: 10,
      limit: 10,
    });
    expect(page.totalItems).toBe(42);
    expect(Object.fromEntries(asked!.searchParams)).toEqual({
      owner: 'group:default/payments',
      // The `+` of the offset arrives as a plus, not a space.
      from: '2026-11-01T00:00:00+01:00',
      offset: '10',
      limit: '10',
    });
  });

  it('asks for the calendar of a range under the filters', async () => {
    let asked: URL | undefined;
    server.use(
      http.get(`${baseUrl}/portfolio/calendar`, ({ request }) => {
        asked = new URL(request.url);
        return HttpResponse.json({
          from: 'a',
          to: 'b',
          windows: [],
          releases: [],
          totalReleases: 0,
        });
      }),
    );
    await client.getCalendar({
      owner: 'group:default/payments',
      q: 'card vault',
      from: '2026-12-01T00:00:00+01:00',
      to: '2026-12-29T00:00:00+01:00',
    });
    expect(Object.fromEntries(asked!.searchParams)).toEqual({
      owner: 'group:default/payments',
      q: 'card vault',
      from: '2026-12-01T00:00:00+01:00',
      to: '2026-12-29T00:00:00+01:00',
    });
  });

  it('asks for the windows of one entity when given', async () => {
    let asked: URL | undefined;
    server.use(
      http.get(`${baseUrl}/windows`, ({ request }) => {
        asked = new URL(request.url);
        return HttpResponse.json({ items: [] });
      }),
    );
    await client.listWindows({ entityRef: 'component:default/card-vault' });
    expect(asked!.searchParams.get('entityRef')).toBe(
      'component:default/card-vault',
    );
  });
});
