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
});
