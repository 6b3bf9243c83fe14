import { apiUrlOf, FetchFunction, ReadinessApiClient } from './client';
import { ApiRefusedError, ApiUnavailableError, UsageError } from './errors';

const json = (status: number, body: unknown, headers: HeadersInit = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });

const DECISION = {
  entityRef: 'component:default/payment-gateway',
  release: '1.4.0',
  verdict: 'IN PROGRESS',
  ready: false,
  score: 40,
  blockers: ['Quality assurance: no Ready vote'],
};

/** A client whose fetch answers from a script and whose waits are recorded. */
function scripted(...answers: Array<Response | Error>) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const waits: number[] = [];
  const fetch: FetchFunction = async (url, init) => {
    calls.push({ url, init });
    const next = answers.shift();
    if (!next) throw new Error('no more answers');
    if (next instanceof Error) throw next;
    return next;
  };
  const client = new ReadinessApiClient({
    baseUrl: 'https://backstage.example.com/',
    token: 'secret-ci-token',
    fetch,
    sleep: async ms => {
      waits.push(ms);
    },
  });
  return { client, calls, waits };
}

const networkError = () =>
  Object.assign(new TypeError('fetch failed'), {
    cause: Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), {
      code: 'ECONNREFUSED',
    }),
  });

describe('apiUrlOf', () => {
  it.each([
    ['http://localhost:7007', 'http://localhost:7007/api/release-readiness'],
    ['http://localhost:7007/', 'http://localhost:7007/api/release-readiness'],
    [
      'https://example.com/backstage',
      'https://example.com/backstage/api/release-readiness',
    ],
    [
      'https://example.com/api/release-readiness/',
      'https://example.com/api/release-readiness',
    ],
  ])('turns %s into %s', (base, api) => {
    expect(apiUrlOf(base)).toBe(api);
  });

  it.each([
    ['localhost:7007', /not an http or https URL|must be an http/],
    ['backstage', /is not a URL/],
    ['ftp://example.com', /must be an http or https URL/],
    ['https://example.com/?a=1', /must not have a query/],
  ])('refuses %s as a usage error', (base, message) => {
    expect(() => apiUrlOf(base)).toThrow(UsageError);
    expect(() => apiUrlOf(base)).toThrow(message);
  });
});

describe('ReadinessApiClient', () => {
  it('sends the token and the query, and reads the decision', async () => {
    const { client, calls } = scripted(json(200, DECISION));
    await expect(
      client.getDecision('component:default/payment-gateway', '1.4.0'),
    ).resolves.toEqual(DECISION);
    expect(calls).toHaveLength(1);
    const url = new URL(calls[0].url);
    expect(url.pathname).toBe('/api/release-readiness/decision');
    expect(url.searchParams.get('entityRef')).toBe(
      'component:default/payment-gateway',
    );
    expect(url.searchParams.get('release')).toBe('1.4.0');
    expect(new Headers(calls[0].init.headers).get('authorization')).toBe(
      'Bearer secret-ci-token',
    );
  });

  it('tells 201 (created) from 200 (already recorded)', async () => {
    const { client, calls } = scripted(
      json(201, { id: 'e1' }),
      json(200, { id: 'e1' }),
    );
    const body = {
      entityRef: 'payment-gateway',
      release: '1.4.0',
      type: 'test-report',
      status: 'passed' as const,
      runId: '42',
    };
    expect(await client.postEvidence(body)).toEqual({
      created: true,
      evidence: { id: 'e1' },
    });
    expect((await client.postEvidence(body)).created).toBe(false);
    expect(calls[0].init.method).toBe('POST');
    expect(JSON.parse(calls[0].init.body as string)).toEqual(body);
    expect(new Headers(calls[0].init.headers).get('content-type')).toBe(
      'application/json',
    );
  });

  it('retries network errors, 5xx and 429 with exponential backoff', async () => {
    const { client, calls, waits } = scripted(
      networkError(),
      json(503, { error: { name: 'ServiceUnavailable', message: 'busy' } }),
      json(429, { error: { message: 'slow down' } }),
      json(200, DECISION),
    );
    await expect(client.getDecision('a', '1')).resolves.toEqual(DECISION);
    expect(calls).toHaveLength(4);
    expect(waits).toEqual([500, 1000, 2000]);
  });

  it('waits at least what Retry-After asks', async () => {
    const { client, waits } = scripted(
      json(429, {}, { 'retry-after': '7' }),
      json(200, DECISION),
    );
    await client.getDecision('a', '1');
    expect(waits).toEqual([7000]);
  });

  it('gives up after the last retry with the last reason', async () => {
    const { client, calls } = scripted(
      networkError(),
      networkError(),
      networkError(),
      networkError(),
    );
    const failure = client.getDecision('a', '1');
    await expect(failure).rejects.toThrow(ApiUnavailableError);
    await expect(failure).rejects.toThrow(
      /failed after 4 attempts: connect ECONNREFUSED 10\.0\.0\.1:443$/,
    );
    expect(calls).toHaveLength(4);
  });

  it('does not retry a refusal and keeps the server message', async () => {
    const { client, calls } = scripted(
      json(403, {
        error: {
          name: 'NotAllowedError',
          message: 'Evidence needs a service token',
        },
        response: { statusCode: 403 },
      }),
    );
    const failure = client.getDecision('a', '1');
    await expect(failure).rejects.toBeInstanceOf(ApiRefusedError);
    await expect(failure).rejects.toMatchObject({
      status: 403,
      message:
        'GET /decision was refused (403): Evidence needs a service token',
    });
    expect(calls).toHaveLength(1);
  });

  it('reports an answer that is not the API as unavailable', async () => {
    const { client } = scripted(
      new Response('<html>the frontend</html>', { status: 200 }),
    );
    await expect(client.getDecision('a', '1')).rejects.toThrow(
      /with something that is not JSON; is --base-url the Backstage backend's URL/,
    );
  });

  it('makes a single attempt with no retries', async () => {
    let attempts = 0;
    const client = new ReadinessApiClient({
      baseUrl: 'http://localhost:7007',
      token: 't',
      retries: 0,
      fetch: async () => {
        attempts++;
        throw networkError();
      },
    });
    await expect(client.getDecision('a', '1')).rejects.toThrow(
      /failed after 1 attempt: /,
    );
    expect(attempts).toBe(1);
  });
});
