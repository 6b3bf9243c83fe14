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
});
