/*
 * The SonarQube provider against a local fake of SonarQube's web API (msw,
 * answering with example payloads in the documented shapes, written for
 * this project in __fixtures__), and the module on the extension point.
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
import analyses from './__fixtures__/project_analyses.json';
import statusOk from './__fixtures__/project_status_ok.json';
import statusError from './__fixtures__/project_status_error.json';
import history from './__fixtures__/search_history.json';
import { releaseReadinessModuleSonarQube } from './module';
import {
  readSonarQubeSettings,
  SonarQubeEvidenceProvider,
} from './SonarQubeEvidenceProvider';

const SONAR = 'http://sonarqube.test';
const TOKEN = 'squ_test_token';

const entity = (annotation?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payment-gateway',
    ...(annotation
      ? { annotations: { 'sonarqube.org/project-key': annotation } }
      : {}),
  },
  spec: { type: 'service', owner: 'payments', lifecycle: 'production' },
});

/** What the fake server was asked, path and query. */
const asked: URL[] = [];
let gateStatus: object = statusOk;

const server = setupServer(
  http.get(`${SONAR}/api/*`, ({ request }) => {
    const url = new URL(request.url);
    asked.push(url);
    if (request.headers.get('authorization') !== `Bearer ${TOKEN}`) {
      return HttpResponse.json(
        { errors: [{ msg: 'Insufficient privileges' }] },
        { status: 401 },
      );
    }
    if (url.pathname === '/api/project_analyses/search') {
      return url.searchParams.get('project') === 'acme_payment-gateway'
        ? HttpResponse.json(analyses)
        : HttpResponse.json(
            { errors: [{ msg: 'Project not found' }] },
            { status: 404 },
          );
    }
    if (url.pathname === '/api/qualitygates/project_status') {
      return HttpResponse.json(gateStatus);
    }
    if (url.pathname === '/api/measures/search_history') {
      return HttpResponse.json(history);
    }
    return HttpResponse.json({}, { status: 404 });
  }),
);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  asked.length = 0;
  gateStatus = statusOk;
  server.resetHandlers();
});
afterAll(() => server.close());

const provider = (token = TOKEN) =>
  new SonarQubeEvidenceProvider(
    readSonarQubeSettings(
      new ConfigReader({
        releaseReadiness: { sonarqube: { baseUrl: `${SONAR}/`, token } },
      }),
    )!,
  );

const collect = (
  p: SonarQubeEvidenceProvider,
  options: {
    annotation?: string;
    release?: string;
    commit?: string;
    signal?: AbortSignal;
  } = {},
) =>
  p.collect({
    entity: entity(
      'annotation' in options ? options.annotation : 'acme_payment-gateway',
    ),
    entityRef: 'component:default/payment-gateway',
    release: options.release ?? '2.4.0',
    ...(options.commit ? { commit: options.commit } : {}),
    types: ['static-analysis'],
    signal: options.signal ?? new AbortController().signal,
  });

describe('SonarQubeEvidenceProvider', () => {
  it('records the quality gate and measures of the newest analysis of the release, once per analysis', async () => {
    const [fact, ...more] = await collect(provider());
    expect(more).toEqual([]);
    expect(fact).toEqual({
      type: 'static-analysis',
      status: 'passed',
      metrics: {
        coverage: 82.4,
        bugs: 0,
        vulnerabilities: 2,
        code_smells: 41,
        new_coverage: 86.3,
        new_reliability_rating: 1,
        qualityGate: 'OK',
        passed: true,
      },
      link: `${SONAR}/dashboard?id=acme_payment-gateway`,
      commit: '9d2a4e1f7b3c5d6e8f0a1b2c3d4e5f6a7b8c9d0e',
      runId: 'sonarqube:AZNwq1Zr0mE8kU2vR9sP',
      observedAt: '2026-12-03T09:15:02.000Z',
    });
    const status = asked.find(
      u => u.pathname === '/api/qualitygates/project_status',
    )!;
    expect(status.searchParams.get('analysisId')).toBe('AZNwq1Zr0mE8kU2vR9sP');
    const measures = asked.find(
      u => u.pathname === '/api/measures/search_history',
    )!;
    expect(measures.searchParams.get('component')).toBe('acme_payment-gateway');
    expect(measures.searchParams.get('from')).toBe('2026-12-03T09:15:02+0000');
  });

  it('takes the analysis of the commit when the gate knows it, and converts its time zone', async () => {
    const [fact] = await collect(provider(), {
      commit: 'c0ffee4d2b6f1a9e8d7c6b5a4f3e2d1c0b9a8f7e',
    });
    expect(fact.runId).toBe('sonarqube:AZN1x7c2Ww3yqW5bT0aQ');
    expect(fact.observedAt).toBe('2026-12-04T15:42:10.000Z');
  });

  it('records a red quality gate as failed', async () => {
    gateStatus = statusError;
    const [fact] = await collect(provider());
    expect(fact.status).toBe('failed');
    expect(fact.metrics).toMatchObject({
      qualityGate: 'ERROR',
      passed: false,
      new_coverage: 61,
    });
  });

  it('reads the key after an instance name, and says nothing of an entity without the annotation', async () => {
    const [fact] = await collect(provider(), {
      annotation: 'main/acme_payment-gateway',
    });
    expect(fact.runId).toBe('sonarqube:AZNwq1Zr0mE8kU2vR9sP');
    expect(await collect(provider(), { annotation: undefined })).toEqual([]);
    expect(asked).toHaveLength(3);
  });

  it('fails with words a person can act on: no analysis of the release or commit, an unknown project, a refused token', async () => {
    await expect(collect(provider(), { release: '9.9.9' })).rejects.toThrow(
      'SonarQube has no analysis of version 9.9.9 in project acme_payment-gateway',
    );
    await expect(collect(provider(), { commit: 'deadbeef' })).rejects.toThrow(
      'SonarQube has no analysis of commit deadbeef in project acme_payment-gateway',
    );
    await expect(
      collect(provider(), { annotation: 'unknown-project' }),
    ).rejects.toThrow(/SonarQube answered 404 .*project_analyses/);
    await expect(collect(provider('wrong'))).rejects.toThrow(
      /SonarQube answered 401/,
    );
  });

  describe('when SonarQube does not answer well', () => {
    const everything = `${SONAR}/api/*`;

    it('fails when SonarQube is unreachable', async () => {
      server.use(http.get(everything, () => HttpResponse.error()));
      await expect(collect(provider())).rejects.toThrow();
    });

    it('fails when SonarQube rate limits, naming the status', async () => {
      server.use(
        http.get(everything, () =>
          HttpResponse.json(
            { errors: [{ msg: 'Rate limit exceeded' }] },
            { status: 429, headers: { 'retry-after': '60' } },
          ),
        ),
      );
      await expect(collect(provider())).rejects.toThrow(
        /SonarQube answered 429/,
      );
    });

    it('fails on an answer that is not JSON, or JSON of another shape', async () => {
      server.use(
        http.get(
          everything,
          () =>
            new HttpResponse('<html>Maintenance</html>', {
              headers: { 'content-type': 'text/html' },
            }),
        ),
      );
      await expect(collect(provider())).rejects.toThrow();
      server.resetHandlers();
      server.use(
        http.get(`${SONAR}/api/project_analyses/search`, () =>
          HttpResponse.json({ analyses: 'none' }),
        ),
      );
      await expect(collect(provider())).rejects.toThrow();
    });

    it('stops waiting when the collection times out (its signal aborts)', async () => {
      server.use(
        http.get(everything, async () => {
          await delay('infinite');
          return HttpResponse.json({});
        }),
      );
      const timeout = new AbortController();
      const collecting = collect(provider(), { signal: timeout.signal });
      setTimeout(() => timeout.abort(new Error('timed out after 100 ms')), 100);
      await expect(collecting).rejects.toThrow();
    });
  });

  it('names what it reads for the Readiness tab, for its type only', () => {
    expect(provider().describe('static-analysis')).toBe(
      "quality gate of the release's analysis",
    );
    expect(provider().describe('test-report')).toBeUndefined();
  });

  it('refuses a base URL that is no http(s) URL', () => {
    expect(() =>
      readSonarQubeSettings(
        new ConfigReader({
          releaseReadiness: { sonarqube: { baseUrl: 'sonarqube.test' } },
        }),
      ),
    ).toThrow(/must be an http\(s\) URL/);
  });
});

describe('the SonarQube module', () => {
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
        releaseReadinessModuleSonarQube,
        mockServices.rootConfig.factory({ data: config }),
      ],
    });
    return added;
  }

  it('adds the provider on the extension point with the configured evidence type', async () => {
    const added = await providersOf({
      releaseReadiness: {
        sonarqube: {
          baseUrl: SONAR,
          token: TOKEN,
          evidenceType: 'code-quality',
        },
      },
    });
    expect(added.map(p => [p.id, p.title, p.types])).toEqual([
      ['sonarqube', 'SonarQube', ['code-quality']],
    ]);
  });

  it('adds nothing when SonarQube is not configured', async () => {
    expect(await providersOf({})).toEqual([]);
  });
});
