/*
 * The CI checks provider against local fakes of GitHub's and GitLab's REST
 * APIs (msw, answering with example payloads in the documented shapes,
 * written for this project in __fixtures__), and the module on the
 * extension point.
 */
import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  EvidenceProvider,
  releaseReadinessEvidenceProvidersExtensionPoint,
} from '@release-readiness/plugin-node';
import { delay, http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import checkRuns from './__fixtures__/github_check_runs.json';
import statuses from './__fixtures__/github_statuses.json';
import pipelines from './__fixtures__/gitlab_pipelines.json';
import jobs from './__fixtures__/gitlab_jobs.json';
import { CiChecksEvidenceProvider } from './CiChecksEvidenceProvider';
import { releaseReadinessModuleCiChecks } from './module';

const SHA = '9d2a4e1f7b3c5d6e8f0a1b2c3d4e5f6a7b8c9d0e';
const GITHUB_API = 'https://api.github.test';
const GITLAB_API = 'https://gitlab.test/api/v4';

const asked: Array<{ url: URL; headers: Headers }> = [];
let runs: object = checkRuns;
let githubStatuses: object = statuses;

const server = setupServer(
  http.get(
    `${GITHUB_API}/repos/acme/payment-gateway/commits/:sha/check-runs`,
    ({ request, params }) => {
      asked.push({ url: new URL(request.url), headers: request.headers });
      return params.sha === SHA
        ? HttpResponse.json(runs)
        : HttpResponse.json({ total_count: 0, check_runs: [] });
    },
  ),
  http.get(
    `${GITHUB_API}/repos/acme/payment-gateway/commits/:sha/statuses`,
    ({ request }) => {
      asked.push({ url: new URL(request.url), headers: request.headers });
      return HttpResponse.json(githubStatuses);
    },
  ),
  http.get(`${GITHUB_API}/repos/acme/private/commits/:sha/check-runs`, () =>
    HttpResponse.json({ message: 'Not Found' }, { status: 404 }),
  ),
  http.get(`${GITHUB_API}/repos/acme/private/commits/:sha/statuses`, () =>
    HttpResponse.json({ message: 'Not Found' }, { status: 404 }),
  ),
  http.get(`${GITLAB_API}/projects/:project/pipelines`, ({ request }) => {
    const url = new URL(request.url);
    asked.push({ url, headers: request.headers });
    return HttpResponse.json(
      url.searchParams.get('sha') === SHA ? pipelines : [],
    );
  }),
  http.get(
    `${GITLAB_API}/projects/:project/pipelines/48151623/jobs`,
    ({ request }) => {
      asked.push({ url: new URL(request.url), headers: request.headers });
      return HttpResponse.json(jobs);
    },
  ),
);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  asked.length = 0;
  runs = checkRuns;
  githubStatuses = statuses;
});
afterAll(() => server.close());

const CONFIG = {
  integrations: {
    github: [
      { host: 'github.test', apiBaseUrl: GITHUB_API, token: 'ghp_test' },
    ],
    gitlab: [
      { host: 'gitlab.test', apiBaseUrl: GITLAB_API, token: 'glpat-test' },
    ],
  },
  releaseReadiness: {
    ciChecks: {
      githubHost: 'github.test',
      gitlabHost: 'gitlab.test',
      rules: [
        {
          checks: ['unit-tests', 'integration-tests*', 'test:*'],
          evidenceType: 'test-report',
        },
        { checks: ['lint', 'ci/e2e'], evidenceType: 'code-health' },
      ],
    },
  },
};

const provider = () =>
  CiChecksEvidenceProvider.fromConfig(new ConfigReader(CONFIG))!;

const entity = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payment-gateway', annotations },
  spec: { type: 'service', owner: 'payments', lifecycle: 'production' },
});

/** The gate's commit: SHA unless the test names another, or none. */
function commitOption(options: { commit?: string }) {
  if (!('commit' in options)) return { commit: SHA };
  return options.commit ? { commit: options.commit } : {};
}

const collect = (
  annotations: Record<string, string>,
  options: { commit?: string; types?: string[]; signal?: AbortSignal } = {},
) =>
  provider().collect({
    entity: entity(annotations),
    entityRef: 'component:default/payment-gateway',
    release: '2.4.0',
    ...commitOption(options),
    types: options.types ?? ['test-report', 'code-health'],
    signal: options.signal ?? new AbortController().signal,
  });

const GITHUB = { 'github.com/project-slug': 'acme/payment-gateway' };

describe('CiChecksEvidenceProvider on GitHub', () => {
  it('gathers the check runs each rule names into one fact: all green passes, one red fails', async () => {
    const facts = await collect(GITHUB);
    expect(facts).toEqual([
      {
        type: 'test-report',
        status: 'passed',
        metrics: { passed: true, checks: 2, failed: 0 },
        link: `https://github.test/acme/payment-gateway/commit/${SHA}`,
        commit: SHA,
        runId: expect.stringMatching(
          new RegExp(`^github:${SHA}:test-report:[0-9a-f]{16}$`),
        ),
        observedAt: '2026-12-03T09:12:05.000Z',
      },
      {
        type: 'code-health',
        status: 'failed',
        metrics: {
          passed: false,
          checks: 2,
          failed: 2,
          failedChecks: 'ci/e2e, lint',
        },
        // The newest status of a context counts, not its earlier pending.
        link: 'https://ci.example.com/acme/payment-gateway/builds/8812',
        commit: SHA,
        runId: expect.stringMatching(/^github:.*:code-health:/),
        observedAt: '2026-12-03T09:20:15.000Z',
      },
    ]);
    const [first] = asked;
    expect(first.headers.get('authorization')).toBe('Bearer ghp_test');
  });

  it('gives the same run id for the same outcomes, and a new one when a check is re-run', async () => {
    const [before] = await collect(GITHUB, { types: ['test-report'] });
    const [again] = await collect(GITHUB, { types: ['test-report'] });
    expect(again.runId).toBe(before.runId);
    runs = {
      check_runs: (checkRuns.check_runs as any[]).map(r =>
        r.name === 'unit-tests'
          ? {
              ...r,
              conclusion: 'failure',
              completed_at: '2026-12-03T10:00:00Z',
            }
          : r,
      ),
    };
    const [rerun] = await collect(GITHUB, { types: ['test-report'] });
    expect(rerun.runId).not.toBe(before.runId);
    expect(rerun.status).toBe('failed');
  });

  it('names the checks each type reads for the Readiness tab', () => {
    const p = CiChecksEvidenceProvider.fromConfig(new ConfigReader(CONFIG))!;
    expect(p.describe('test-report')).toBe(
      "checks named unit-tests, integration-tests*, test:* on the release's commit",
    );
    expect(p.describe('code-health')).toBe(
      "checks named lint, ci/e2e on the release's commit",
    );
    expect(p.describe('security-scan')).toBeUndefined();
  });

  it('says nothing while a matching check is still running', async () => {
    runs = {
      check_runs: (checkRuns.check_runs as any[]).map(r =>
        r.name === 'unit-tests'
          ? {
              ...r,
              status: 'in_progress',
              conclusion: null,
              completed_at: null,
            }
          : r,
      ),
    };
    expect(await collect(GITHUB, { types: ['test-report'] })).toEqual([]);
  });

  it('fails with words a person can act on: no commit known, a repository it cannot read', async () => {
    await expect(collect(GITHUB, { commit: undefined })).rejects.toThrow(
      'No commit is known for release 2.4.0 of acme/payment-gateway: post evidence with --commit once',
    );
    await expect(
      collect({ 'github.com/project-slug': 'acme/private' }),
    ).rejects.toThrow('GitHub answered 404');
  });

  it('asks nothing for an entity without a slug, or for types no item reads', async () => {
    expect(await collect({})).toEqual([]);
    expect(await collect(GITHUB, { types: ['security-scan'] })).toEqual([]);
    expect(asked).toEqual([]);
  });
});

describe('CiChecksEvidenceProvider on GitLab', () => {
  const GITLAB = { 'gitlab.com/project-slug': 'acme/ledger' };

  it('reads the jobs of the commit’s newest pipeline; a job allowed to fail does not fail the fact', async () => {
    const facts = await collect(GITLAB, { types: ['test-report'] });
    expect(facts).toEqual([
      expect.objectContaining({
        type: 'test-report',
        status: 'passed',
        metrics: { passed: true, checks: 2, failed: 0 },
        link: 'https://gitlab.com/acme/ledger/-/pipelines/48151623',
        runId: expect.stringMatching(/^gitlab:/),
        observedAt: '2026-12-03T09:07:44.000Z',
      }),
    ]);
    const pipelineQuery = asked[0];
    expect(pipelineQuery.url.pathname).toBe(
      '/api/v4/projects/acme%2Fledger/pipelines',
    );
    expect(pipelineQuery.headers.get('private-token')).toBe('glpat-test');
  });

  it('says nothing when the commit has no pipeline', async () => {
    expect(
      await collect(GITLAB, { commit: 'ffffffff', types: ['test-report'] }),
    ).toEqual([]);
  });
});

describe.each([
  ['GitHub', `${GITHUB_API}/*`, GITHUB],
  ['GitLab', `${GITLAB_API}/*`, { 'gitlab.com/project-slug': 'acme/ledger' }],
])(
  'CiChecksEvidenceProvider when %s does not answer well',
  (tool, everything, annotations) => {
    it('fails when it is unreachable', async () => {
      server.use(http.get(everything, () => HttpResponse.error()));
      await expect(collect(annotations)).rejects.toThrow();
    });

    it('fails when it rate limits, naming the status', async () => {
      server.use(
        http.get(everything, () =>
          HttpResponse.json(
            { message: 'API rate limit exceeded' },
            { status: 429, headers: { 'retry-after': '60' } },
          ),
        ),
      );
      await expect(collect(annotations)).rejects.toThrow(
        `${tool} answered 429`,
      );
    });

    it('fails on an answer that is not JSON, or JSON of another shape', async () => {
      server.use(
        http.get(
          everything,
          () =>
            new HttpResponse('<html>Unicorn</html>', {
              headers: { 'content-type': 'text/html' },
            }),
        ),
      );
      await expect(collect(annotations)).rejects.toThrow();
      server.resetHandlers();
      server.use(http.get(everything, () => HttpResponse.json({ oops: true })));
      await expect(collect(annotations)).rejects.toThrow();
    });

    it('stops waiting when the collection times out (its signal aborts)', async () => {
      server.use(
        http.get(everything, async () => {
          await delay('infinite');
          return HttpResponse.json({});
        }),
      );
      const timeout = new AbortController();
      const collecting = collect(annotations, { signal: timeout.signal });
      setTimeout(() => timeout.abort(new Error('timed out after 100 ms')), 100);
      await expect(collecting).rejects.toThrow();
    });
  },
);

describe('the CI checks module', () => {
  async function providersOf(config: object) {
    const added: EvidenceProvider[] = [];
    await startTestBackend({
      extensionPoints: [
        [
          releaseReadinessEvidenceProvidersExtensionPoint,
          { addProvider: (...p: EvidenceProvider[]) => added.push(...p) },
        ],
      ],
      features: [
        releaseReadinessModuleCiChecks,
        mockServices.rootConfig.factory({ data: config }),
      ],
    });
    return added;
  }

  it('adds the provider with the rules’ evidence types', async () => {
    const added = await providersOf(CONFIG);
    expect(added.map(p => [p.id, p.types])).toEqual([
      ['ci-checks', ['test-report', 'code-health']],
    ]);
  });

  it('adds nothing when the CI checks are not configured', async () => {
    expect(await providersOf({})).toEqual([]);
  });
});
