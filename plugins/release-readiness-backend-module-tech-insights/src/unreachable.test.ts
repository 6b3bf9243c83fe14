/*
 * The Tech Insights provider when Tech Insights is not there to answer:
 * unreachable, refusing (403), failing (500), rate limiting (429), sending
 * what is not JSON, or never answering. Each collection fails with an error
 * (which the backend records as a dated "could not collect", never a pass)
 * or stays pending for the backend's timeout to end; none produces a fact.
 * Tech Insights is found through the discovery service, here pointed at a
 * local HTTP server that behaves each way.
 */
import {
  createServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { AddressInfo } from 'node:net';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  EvidenceProvider,
  releaseReadinessEvidenceProvidersExtensionPoint,
} from '@release-readiness/plugin-node';
import { releaseReadinessModuleTechInsights } from './module';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payment-gateway', namespace: 'default' },
  spec: { type: 'service', owner: 'payments', lifecycle: 'production' },
};

describe('the Tech Insights provider when Tech Insights does not answer well', () => {
  let server: Server;
  let handler: Handler = (_req, res) => res.end();
  let baseUrl: string;
  let provider: EvidenceProvider;
  let stop: () => Promise<void>;
  const hanging: ServerResponse[] = [];
  // Where discovery sends the Tech Insights client, set before each test.
  let pointAt: (url: string) => void = () => {};

  beforeAll(async () => {
    server = createServer((req, res) => handler(req, res));
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    let techInsightsUrl = `${baseUrl}/api/tech-insights`;
    const added: EvidenceProvider[] = [];
    const backend = await startTestBackend({
      extensionPoints: [
        [
          releaseReadinessEvidenceProvidersExtensionPoint,
          { addProvider: (...p: EvidenceProvider[]) => added.push(...p) },
        ],
      ],
      features: [
        releaseReadinessModuleTechInsights,
        createServiceFactory({
          service: coreServices.discovery,
          deps: {},
          async factory() {
            return {
              getBaseUrl: async () => techInsightsUrl,
              getExternalBaseUrl: async () => techInsightsUrl,
            };
          },
        }),
        mockServices.rootConfig.factory({
          data: {
            releaseReadiness: {
              techInsights: {
                checks: [
                  { checkId: 'groupOwnerCheck', evidenceType: 'ownership' },
                ],
              },
            },
          },
        }),
      ],
    });
    provider = added[0];
    stop = () => backend.stop();
    pointAt = url => {
      techInsightsUrl = url;
    };
  });

  // The Tech Insights client keeps each answer for 2 s by URL: every test
  // reaches the server under a path of its own.
  let round = 0;
  beforeEach(() => {
    round += 1;
    pointAt(`${baseUrl}/round-${round}/api/tech-insights`);
  });

  afterEach(() => {
    for (const res of hanging.splice(0)) res.destroy();
  });

  afterAll(async () => {
    await stop?.();
    await new Promise(resolve => server.close(resolve));
  });

  const collect = () =>
    provider.collect({
      entity,
      entityRef: 'component:default/payment-gateway',
      release: '2.4.0',
      types: ['ownership'],
      signal: new AbortController().signal,
    });

  const answer = (status: number, body: string, type = 'application/json') =>
    (handler = (_req, res) => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    });

  it('names the checks it reads for the Readiness tab', () => {
    expect(provider.describe?.('ownership')).toBe('check groupOwnerCheck');
    expect(provider.describe?.('test-report')).toBeUndefined();
  });

  it('fails when Tech Insights is unreachable', async () => {
    const closed = createServer();
    await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise(resolve => closed.close(resolve));
    pointAt(`http://127.0.0.1:${port}/api/tech-insights`);
    await expect(collect()).rejects.toThrow();
  });

  it.each([
    [
      'refuses (403)',
      403,
      JSON.stringify({
        error: {
          name: 'NotAllowedError',
          message: 'tech-insights.check.read denied',
        },
      }),
    ],
    [
      'fails (500)',
      500,
      JSON.stringify({ error: { name: 'Error', message: 'database is down' } }),
    ],
    [
      'rate limits (429)',
      429,
      JSON.stringify({
        error: { name: 'Error', message: 'Too many requests' },
      }),
    ],
  ])('fails when Tech Insights %s', async (_what, status, body) => {
    answer(status, body);
    await expect(collect()).rejects.toThrow(String(status));
  });

  it('fails on an answer that is not JSON', async () => {
    answer(200, '<html><body>Sign in</body></html>', 'text/html');
    await expect(collect()).rejects.toThrow();
  });

  it('fails on a list of checks that is not one', async () => {
    answer(200, JSON.stringify({ checks: 'all of them' }));
    await expect(collect()).rejects.toThrow();
  });

  it('stays pending while Tech Insights never answers, for the backend timeout to end', async () => {
    handler = (_req, res) => {
      hanging.push(res);
    };
    const outcome = await Promise.race([
      collect().then(
        facts => ({ settled: 'resolved', facts }),
        error => ({ settled: 'rejected', error: String(error) }),
      ),
      new Promise(resolve => setTimeout(() => resolve('pending'), 500)),
    ]);
    // No fact before an answer: the backend's collector times it out and
    // records "could not collect" (the backend's evidenceProviders tests).
    expect(outcome).toBe('pending');
    expect(hanging.length).toBeGreaterThan(0);
  });
});
