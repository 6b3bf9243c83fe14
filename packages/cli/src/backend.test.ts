import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import releaseReadinessPlugin from '@release-readiness/plugin-backend';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FetchFunction } from './client';
import { run } from './index';

/*
 * The CLI against the real Release Readiness backend plugin, started with
 * startTestBackend on a real port, on SQLite.
 *
 * Authentication: in production the pipeline's static token is configured in
 * backend.auth.externalAccess with access restrictions. The test backend's
 * mock auth stands in for it: a request without an Authorization header gets
 * the default credentials below, a restricted CI service. So the fetch given
 * to the CLI checks that the CLI sent `Authorization: Bearer <token>`, then
 * removes the header before the request leaves.
 */

jest.setTimeout(60_000);

const TOKEN = 'ci-static-token';
const ENTITY = 'component:default/payment-gateway';

const TEMPLATES = [
  'component-gate.yaml',
  'system-gate.yaml',
  'business-gate.yaml',
  'rapid-release.yaml',
].map(file => resolve(__dirname, '../../../gate-templates', file));

const ENTITIES: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'payment-gateway', namespace: 'default' },
    spec: {
      type: 'service',
      owner: 'group:default/payments',
      lifecycle: 'production',
    },
    relations: [{ type: 'ownedBy', targetRef: 'group:default/payments' }],
  },
];

const PRIYA = 'user:default/priya-raman';
const TOMASZ = 'user:default/tomasz-kowalski';
const NADIA = 'user:default/nadia-haddad';
const SAMUEL = 'user:default/samuel-adeyemi';
const MARGARET = 'user:default/margaret-osei';

const MEMBERSHIP: Record<string, string[]> = {
  [PRIYA]: ['group:default/payments'],
  [TOMASZ]: ['group:default/payments'],
  [NADIA]: ['group:default/qa'],
  [SAMUEL]: ['group:default/security'],
  [MARGARET]: ['group:default/release-management'],
};

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

let knex: Awaited<ReturnType<typeof databases.init>>;
let baseUrl: string;
let stopBackend: () => Promise<void>;
let tmp: string;

/** Authorization headers the CLI sent, in order. */
const sentAuthorization: Array<string | null> = [];

/** Node's fetch, after checking and removing the CLI's token (see above). */
const ciFetch: FetchFunction = async (url, init) => {
  const headers = new Headers(init.headers);
  sentAuthorization.push(headers.get('authorization'));
  headers.delete('authorization');
  return fetch(url, { ...init, headers });
};

async function cli(
  argv: string[],
  options: { fetch?: FetchFunction; env?: Record<string, string> } = {},
) {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, {
    stdout: { write: text => (stdout += text) },
    stderr: { write: text => (stderr += text) },
    env: options.env ?? {
      RELEASE_READINESS_URL: baseUrl,
      RELEASE_READINESS_TOKEN: TOKEN,
    },
    fetch: options.fetch ?? ciFetch,
  });
  // Every request the CLI made carried the token.
  expect(
    sentAuthorization.filter(header => header !== `Bearer ${TOKEN}`),
  ).toEqual([]);
  return { code, stdout, stderr };
}

/** A request to the API as a person, as the Readiness tab would make it. */
async function asUser(
  user: string,
  method: string,
  path: string,
  body?: unknown,
) {
  const response = await fetch(`${baseUrl}/api/release-readiness${path}`, {
    method,
    headers: {
      Authorization: mockCredentials.user.header(user),
      'Content-Type': 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok) {
    throw new Error(
      `${method} ${path} as ${user}: ${response.status} ${JSON.stringify(
        json,
      )}`,
    );
  }
  return json;
}

const openGate = (release: string) =>
  asUser(PRIYA, 'POST', '/entities/component/default/payment-gateway/gates', {
    release,
  });

/** A port where nothing listens. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(done => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise(done => server.close(done));
  return port;
}

function evidenceRows(release: string) {
  return knex('evidence').where({ entity_ref: ENTITY, release });
}

beforeAll(async () => {
  knex = await databases.init('SQLITE_3');
  const backend = await startTestBackend({
    features: [
      releaseReadinessPlugin,
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({
        data: { releaseReadiness: { templates: TEMPLATES } },
      }),
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.service('external:ci', {
          permissionNames: [
            'release-readiness.evidence.create',
            'release-readiness.gate.read',
          ],
        }),
      }),
      catalogServiceMock.factory({ entities: ENTITIES }),
      mockServices.userInfo.mock({
        getUserInfo: async credentials => {
          const user = (credentials.principal as { userEntityRef: string })
            .userEntityRef;
          return {
            userEntityRef: user,
            ownershipEntityRefs: [user, ...(MEMBERSHIP[user] ?? [])],
          };
        },
      }).factory,
    ],
  });
  stopBackend = () => backend.stop();
  const { port } = backend.server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}`;
  tmp = mkdtempSync(join(tmpdir(), 'release-readiness-cli-'));
});

afterAll(async () => {
  await stopBackend?.();
  rmSync(tmp, { recursive: true, force: true });
});

beforeEach(() => {
  sentAuthorization.length = 0;
});

describe('evidence push', () => {
  const push = (release: string, runId = 'run-1', extra: string[] = []) => [
    'evidence',
    'push',
    '--entity',
    ENTITY,
    '--release',
    release,
    '--type',
    'test-report',
    '--status',
    'passed',
    '--metric',
    'passed=true',
    '--metric',
    'total=812',
    '--metric',
    'suite=unit and integration',
    '--link',
    'https://ci.example.com/runs/1',
    '--commit',
    '0f3c2a9',
    '--run-id',
    runId,
    ...extra,
  ];

  it('records evidence once: created, then already recorded', async () => {
    const first = await cli(push('1.4.0'));
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toBe(
      `created: test-report evidence (passed) for ${ENTITY} release 1.4.0, run run-1\n`,
    );

    const second = await cli(push('1.4.0'));
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/^already recorded: test-report evidence/);

    expect(sentAuthorization).toEqual([`Bearer ${TOKEN}`, `Bearer ${TOKEN}`]);
    const rows = await evidenceRows('1.4.0');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      type: 'test-report',
      status: 'passed',
      run_id: 'run-1',
      link: 'https://ci.example.com/runs/1',
      commit_sha: '0f3c2a9',
      posted_by: 'external:ci',
    });
    expect(JSON.parse(rows[0].metrics)).toEqual({
      passed: true,
      total: 812,
      suite: 'unit and integration',
    });
  });

  it('prints the stored evidence with --json', async () => {
    const result = await cli(
      push('1.4.1', 'run-json', [
        '--json',
        '--observed-at',
        '2026-11-30T08:00:00+01:00',
      ]),
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      entityRef: ENTITY,
      release: '1.4.1',
      type: 'test-report',
      runId: 'run-json',
      metrics: { passed: true, total: 812 },
      observedAt: '2026-11-30T07:00:00.000Z',
    });
  });

  it('pushes every entry of --file, with options filling in', async () => {
    const file = join(tmp, 'evidence.json');
    writeFileSync(
      file,
      JSON.stringify([
        { type: 'static-analysis', status: 'passed', metrics: { score: 95 } },
        {
          type: 'security-scan',
          status: 'failed',
          metrics: { critical: 1, high: 0 },
          runId: 'scan-7',
        },
      ]),
    );
    const result = await cli([
      'evidence',
      'push',
      '--file',
      file,
      '--entity',
      ENTITY,
      '--release',
      '1.5.0',
      '--run-id',
      'run-5',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')).toEqual([
      `created: static-analysis evidence (passed) for ${ENTITY} release 1.5.0, run run-5`,
      `created: security-scan evidence (failed) for ${ENTITY} release 1.5.0, run scan-7`,
      '',
    ]);
    const rows = await evidenceRows('1.5.0').orderBy('type');
    expect(rows.map(r => [r.type, r.run_id])).toEqual([
      ['security-scan', 'scan-7'],
      ['static-analysis', 'run-5'],
    ]);
  });

  describe('a file of many facts goes through POST /evidence/batch', () => {
    const facts = (release: string, count: number) =>
      Array.from({ length: count }, (_, i) => ({
        entityRef: ENTITY,
        release,
        type: 'test-report',
        status: 'passed',
        metrics: { passed: true, shard: i },
        runId: `shard-${i}`,
      }));
    const write = (name: string, content: unknown) => {
      const file = join(tmp, name);
      writeFileSync(file, JSON.stringify(content));
      return file;
    };
    /** The CI fetch, remembering the paths it posted to. */
    const recording =
      (paths: string[]): FetchFunction =>
      (url, init) => {
        paths.push(`${init.method} ${new URL(url).pathname}`);
        return ciFetch(url, init);
      };

    it('sends 501 facts in two requests, and each fact once', async () => {
      const paths: string[] = [];
      const file = write('many.json', facts('1.5.1', 501));
      const result = await cli(['evidence', 'push', '--file', file], {
        fetch: recording(paths),
      });
      expect(result.code).toBe(0);
      expect(paths).toEqual([
        'POST /api/release-readiness/evidence/batch',
        'POST /api/release-readiness/evidence/batch',
      ]);
      expect(result.stdout.trim().split('\n')).toHaveLength(501);
      expect(await evidenceRows('1.5.1')).toHaveLength(501);
      // Again: every fact already recorded, nothing new.
      const again = await cli(['evidence', 'push', '--file', file]);
      expect(again.code).toBe(0);
      expect(
        again.stdout
          .trim()
          .split('\n')
          .every(line => line.startsWith('already recorded: ')),
      ).toBe(true);
      expect(await evidenceRows('1.5.1')).toHaveLength(501);
    });

    it('reports a refused fact and stores the others (exit 1)', async () => {
      await cli([
        'evidence',
        'push',
        '--file',
        write('first.json', facts('1.5.2', 1)),
      ]);
      const changed = facts('1.5.2', 3);
      changed[0] = { ...changed[0], status: 'failed' };
      const result = await cli([
        'evidence',
        'push',
        '--file',
        write('refused.json', changed),
      ]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /^error: test-report evidence \(failed\) for component:default\/payment-gateway release 1\.5\.2, run shard-0: .*with other content/,
      );
      expect(result.stdout.trim().split('\n')).toEqual([
        `created: test-report evidence (passed) for ${ENTITY} release 1.5.2, run shard-1`,
        `created: test-report evidence (passed) for ${ENTITY} release 1.5.2, run shard-2`,
      ]);
      expect(await evidenceRows('1.5.2')).toHaveLength(3);
    });

    it('sends a fact the server could not store again in the next request', async () => {
      const paths: string[] = [];
      let first = true;
      // The first answer says the second fact was not stored (a 503 of its
      // transaction), and the fact is not stored: the batch is sent without it.
      const failing: FetchFunction = async (url, init) => {
        paths.push(new URL(url).pathname);
        if (first) {
          first = false;
          const body = JSON.parse(String(init.body));
          const [kept, dropped] = body.evidence;
          const response = await ciFetch(url, {
            ...init,
            body: JSON.stringify({ evidence: [kept] }),
          });
          const answer = await response.json();
          return new Response(
            JSON.stringify({
              ...answer,
              results: [
                answer.results[0],
                {
                  index: 1,
                  status: 503,
                  error: {
                    name: 'ServiceUnavailableError',
                    message: `the database is restarting (run ${dropped.runId})`,
                  },
                },
              ],
            }),
            { status: 200, headers: { 'content-type': 'application/json' } },
          );
        }
        return ciFetch(url, init);
      };
      const result = await cli(
        ['evidence', 'push', '--file', write('retry.json', facts('1.5.3', 2))],
        { fetch: failing },
      );
      expect(result.code).toBe(0);
      expect(paths).toHaveLength(2);
      expect(result.stdout.trim().split('\n')).toEqual([
        `created: test-report evidence (passed) for ${ENTITY} release 1.5.3, run shard-0`,
        `created: test-report evidence (passed) for ${ENTITY} release 1.5.3, run shard-1`,
      ]);
      expect(await evidenceRows('1.5.3')).toHaveLength(2);
    });

    it('posts one by one to a backend without the batch route', async () => {
      const paths: string[] = [];
      const older: FetchFunction = async (url, init) => {
        const path = new URL(url).pathname;
        paths.push(path);
        if (path.endsWith('/evidence/batch')) {
          return new Response(
            JSON.stringify({
              error: { name: 'NotFoundError', message: 'Not Found' },
            }),
            { status: 404, headers: { 'content-type': 'application/json' } },
          );
        }
        return ciFetch(url, init);
      };
      const result = await cli(
        ['evidence', 'push', '--file', write('older.json', facts('1.5.4', 3))],
        { fetch: older },
      );
      expect(result.code).toBe(0);
      expect(paths).toEqual([
        '/api/release-readiness/evidence/batch',
        '/api/release-readiness/evidence',
        '/api/release-readiness/evidence',
        '/api/release-readiness/evidence',
      ]);
      expect(await evidenceRows('1.5.4')).toHaveLength(3);
    });
  });

  it('retries after a network error and records the evidence once', async () => {
    let attempts = 0;
    const flaky: FetchFunction = async (url, init) => {
      attempts++;
      if (attempts === 1) {
        throw Object.assign(new TypeError('fetch failed'), {
          cause: new Error('read ECONNRESET'),
        });
      }
      return ciFetch(url, init);
    };
    const result = await cli(push('1.6.0'), { fetch: flaky });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      'POST /evidence: read ECONNRESET; retrying in 500ms (attempt 2 of 4)\n',
    );
    expect(result.stdout).toMatch(/^created: /);
    expect(attempts).toBe(2);
    expect(await evidenceRows('1.6.0')).toHaveLength(1);
  });

  it('retries when an answer is lost: the retry finds it already recorded', async () => {
    let attempts = 0;
    const lossy: FetchFunction = async (url, init) => {
      attempts++;
      const response = await ciFetch(url, init);
      if (attempts === 1) {
        // The server stored it, but the answer never reached the pipeline.
        throw new TypeError('fetch failed');
      }
      return response;
    };
    const result = await cli(push('1.6.1'), { fetch: lossy });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/retrying in 500ms/);
    expect(result.stdout).toMatch(/^already recorded: /);
    expect(await evidenceRows('1.6.1')).toHaveLength(1);
  });

  it('exits 1 with the server message when the server refuses', async () => {
    const result = await cli([
      'evidence',
      'push',
      '--entity',
      'component:default/no-such-service',
      '--release',
      '1.0.0',
      '--type',
      'test-report',
      '--status',
      'passed',
      '--run-id',
      'run-1',
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /POST \/evidence was refused \(404\): .*no-such-service/,
    );
  });

  it('exits 1 when the token is a person’s', async () => {
    // No stand-in here: the token goes to the server as it is.
    const result = await cli(push('1.7.0'), {
      fetch: (url, init) => fetch(url, init),
      env: {
        RELEASE_READINESS_URL: baseUrl,
        RELEASE_READINESS_TOKEN: mockCredentials.user.token(PRIYA),
      },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /refused \(403\): This endpoint does not allow 'user' credentials/,
    );
    expect(await evidenceRows('1.7.0')).toHaveLength(0);
  });

  it('exits 1 with a hint when the token is not accepted', async () => {
    const result = await cli(push('1.7.1'), {
      fetch: (url, init) => fetch(url, init),
      env: {
        RELEASE_READINESS_URL: baseUrl,
        RELEASE_READINESS_TOKEN: 'not-a-known-token',
      },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/refused \(401\)/);
    expect(result.stderr).toMatch(/hint: check the token/);
  });

  it('exits 2 when the server stays unreachable', async () => {
    const port = await closedPort();
    const result = await cli([
      ...push('1.8.0'),
      '--base-url',
      `http://127.0.0.1:${port}`,
      '--retries',
      '1',
    ]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^POST \/evidence: .*ECONNREFUSED.*; retrying in 500ms \(attempt 2 of 2\)\n/,
    );
    expect(result.stderr).toMatch(
      new RegExp(
        `error: POST http://127\\.0\\.0\\.1:${port}/api/release-readiness/evidence failed after 2 attempts: .*ECONNREFUSED`,
      ),
    );
  });
});

describe('gate check', () => {
  const check = (release: string, ...extra: string[]) => [
    'gate',
    'check',
    '--entity',
    ENTITY,
    '--release',
    release,
    ...extra,
  ];

  it('exits 1 with the blocker when no gate is open', async () => {
    const result = await cli(check('9.9.9'));
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      [
        `NO-GO: ${ENTITY} release 9.9.9, score 0`,
        `- No gate is open for release 9.9.9 of ${ENTITY}; its gate owners open one on the Readiness tab`,
        '',
      ].join('\n'),
    );
  });

  it('exits 1 for a recorded NO-GO, also with --wait', async () => {
    const gate = await openGate('2.0.0');
    await asUser(PRIYA, 'POST', `/gates/${gate.id}/decision`, {
      verdict: 'no-go',
      reason: 'Security scan not run',
    });

    const result = await cli(check('2.0.0'));
    expect(result.code).toBe(1);
    const [first, ...blockers] = result.stdout.trim().split('\n');
    expect(first).toMatch(
      new RegExp(`^NO-GO: ${ENTITY} release 2\\.0\\.0, score \\d+$`),
    );
    expect(blockers.length).toBeGreaterThan(0);
    blockers.forEach(line => expect(line).toMatch(/^- \S/));

    // NO-GO is a decision: --wait does not wait for another one.
    const started = Date.now();
    const waited = await cli(check('2.0.0', '--wait', '--interval', '10s'));
    expect(waited.code).toBe(1);
    expect(waited.stdout).toMatch(/^NO-GO: /);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('with --wait, exits 1 after the timeout while IN PROGRESS', async () => {
    await openGate('3.0.0');
    const started = Date.now();
    const result = await cli(
      check('3.0.0', '--wait', '--interval', '200ms', '--timeout', '700ms'),
    );
    const elapsed = Date.now() - started;
    expect(result.code).toBe(1);
    expect(elapsed).toBeGreaterThanOrEqual(700);
    expect(elapsed).toBeLessThan(10_000);
    // It asked several times: at 0, 200, 400, 600 and 700 ms.
    expect(sentAuthorization.length).toBeGreaterThanOrEqual(3);
    expect(result.stderr).toMatch(
      /^IN PROGRESS, score \d+, \d+ blockers; checking again in 200ms/,
    );
    expect(result.stderr).toMatch(
      /No decision after \d+ms; the last answer was IN PROGRESS\n$/,
    );
    const [first, ...blockers] = result.stdout.trim().split('\n');
    expect(first).toMatch(/^IN PROGRESS: .* release 3\.0\.0, score \d+$/);
    expect(blockers.some(line => /Quality assurance/.test(line))).toBe(true);
  });

  it('exits 2 when the server stays unreachable', async () => {
    const port = await closedPort();
    const result = await cli([
      ...check('1.4.0'),
      '--base-url',
      `http://127.0.0.1:${port}`,
      '--retries',
      '1',
    ]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/retrying in 500ms \(attempt 2 of 2\)/);
    expect(result.stderr).toMatch(
      /error: GET .*\/decision\?.* failed after 2 attempts: .*ECONNREFUSED/,
    );
  });

  it('walks a release to GO: evidence from the CLI, --wait returns 0 once GO is recorded', async () => {
    const release = '4.0.0';
    let gate = await openGate(release);

    // CI pushes the four required kinds of evidence.
    const file = join(tmp, 'go-evidence.json');
    writeFileSync(
      file,
      JSON.stringify([
        { type: 'static-analysis', status: 'passed', metrics: { score: 95 } },
        {
          type: 'security-scan',
          status: 'passed',
          metrics: { critical: 0, high: 0 },
        },
        {
          type: 'feature-toggles',
          status: 'passed',
          metrics: { passed: true },
        },
      ]),
    );
    const pushed = await cli([
      'evidence',
      'push',
      '--file',
      file,
      '--entity',
      ENTITY,
      '--release',
      release,
      '--run-id',
      'run-40',
    ]);
    expect(pushed.code).toBe(0);
    const tests = await cli([
      'evidence',
      'push',
      '--entity',
      ENTITY,
      '--release',
      release,
      '--type',
      'test-report',
      '--status',
      'passed',
      '--metric',
      'passed=true',
      '--run-id',
      'run-40',
    ]);
    expect(tests.code).toBe(0);

    // The gate owner marks the manual items and the risk assessment.
    for (const itemId of [
      'user-acceptance',
      'security-review',
      'runbook-updated',
      'release-notes',
    ]) {
      const item = gate.items.find((i: { id: string }) => i.id === itemId);
      gate = await asUser(PRIYA, 'PATCH', `/gates/${gate.id}/items/${itemId}`, {
        status: 'passed',
        note: 'checked',
        version: item.version,
      });
    }
    await asUser(PRIYA, 'PUT', `/gates/${gate.id}/risk`, {
      version: 0,
      rollbackPlan: 'Redeploy 3.9.2 with the blue/green switch',
      rollbackVerified: true,
      impactMatrix: [
        {
          failureMode: 'Card authorisations time out',
          impact: 'high',
          likelihood: 'low',
          mitigation: 'Canary at 2% with automatic rollback',
        },
      ],
      acceptResidualRisk: true,
      communication: {
        audiences: ['support'],
        scheduledAt: '2026-12-01T09:00:00Z',
        approve: true,
      },
      consent: { gateId: gate.id, riskVersion: 0 },
    });

    // Everyone signs off.
    for (const [user, role] of [
      [TOMASZ, 'engineering'],
      [NADIA, 'qa'],
      [SAMUEL, 'security'],
      [MARGARET, 'release-management'],
    ]) {
      gate = await asUser(user, 'POST', `/gates/${gate.id}/signoffs`, {
        role,
        verdict: 'ready',
      });
    }
    expect(gate.evaluation).toMatchObject({ ready: true, score: 100 });

    // Ready is not GO: the pipeline waits until the decision is recorded.
    const waiting = cli(
      check(release, '--wait', '--interval', '100ms', '--timeout', '30s'),
    );
    await new Promise(resolveLater => setTimeout(resolveLater, 300));
    // The requester (Priya) may not record GO on her own gate: Tomasz does.
    await asUser(TOMASZ, 'POST', `/gates/${gate.id}/decision`, {
      verdict: 'go',
      reason: 'All conditions met',
    });
    const waited = await waiting;
    expect(waited.code).toBe(0);
    expect(waited.stderr).toMatch(
      /^IN PROGRESS, score 100, 0 blockers; checking again in 100ms/,
    );
    expect(waited.stdout).toBe(`GO: ${ENTITY} release ${release}, score 100\n`);

    const once = await cli(check(release, '--json'));
    expect(once.code).toBe(0);
    expect(JSON.parse(once.stdout)).toMatchObject({
      entityRef: ENTITY,
      release,
      gateId: gate.id,
      state: 'go',
      verdict: 'GO',
      ready: true,
      score: 100,
      blockers: [],
      goHold: { holds: true },
    });

    // After GO, the smoke tests fail: the GO no longer holds, and the
    // pipeline is told so (exit 1), naming when GO was recorded and why.
    const push = (status: string, passed: string, runId: string) =>
      cli([
        'evidence',
        'push',
        '--entity',
        ENTITY,
        '--release',
        release,
        '--type',
        'test-report',
        '--status',
        status,
        '--metric',
        `passed=${passed}`,
        '--run-id',
        runId,
      ]);
    expect((await push('failed', 'false', 'run-smoke-1')).code).toBe(0);
    const lapsed = await cli(check(release));
    expect(lapsed.code).toBe(1);
    const [head, message, ...rest] = lapsed.stdout.trimEnd().split('\n');
    expect(head).toMatch(
      new RegExp(`^NO-GO: ${ENTITY} release ${release}, score \\d+$`),
    );
    expect(message).toMatch(
      new RegExp(
        `^GO recorded at \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC by ${TOMASZ}, no longer holds: .*test`,
        'i',
      ),
    );
    expect(rest).toEqual([]);
    const lapsedJson = JSON.parse((await cli(check(release, '--json'))).stdout);
    expect(lapsedJson).toMatchObject({
      state: 'go',
      verdict: 'NO-GO',
      ready: false,
      goHold: { holds: false, decidedBy: TOMASZ },
    });
    expect(lapsedJson.blockers.length).toBeGreaterThan(0);

    // A fresh passing run: the GO holds again.
    expect((await push('passed', 'true', 'run-smoke-2')).code).toBe(0);
    const again = await cli(check(release));
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(`GO: ${ENTITY} release ${release}, score 100\n`);
  });
});
