/*
 * The operations the benchmark measures: portfolio pages and facets, metrics,
 * an entity's readiness, a gate's detail, CI evidence, sign-off votes and the
 * pipeline's decision, each made on entities and gates spread over the
 * catalog.
 */
import { request } from '../harness/api';
import { BackendProcess } from '../harness/backendProcess';
import { Random } from '../generate/random';
import { SyntheticCatalog } from '../generate/syntheticCatalog';

/** The static token of the CI service principal the backend accepts. */
export const CI_TOKEN = 'bench-ci-token';
const API = '/api/release-readiness';

/** An operation: how to make its n-th request. */
export interface Operation {
  name: string;
  make(n: number): {
    method: string;
    path: string;
    token: string;
    body?: unknown;
  };
  /** Status codes that count as success besides 2xx (e.g. a lost race). */
  alsoOk?: number[];
  /** Facts one request carries (a batch), for the facts per second. */
  factsPerRequest?: number;
}

/** Facts of the one gate whose detail and dossier are measured as heavy. */
const HEAVY_FACTS = 2_000;

/** Facts per batch, and releases they are spread over. */
const BATCH_FACTS = 100;
const BATCH_RELEASES = 10;

/**
 * The operations on this backend, made as the signed-in `user` and as CI. The
 * gates they act on are found through the portfolio: gates in progress.
 */
export async function benchmarkOperations(
  backend: BackendProcess,
  input: {
    catalog: SyntheticCatalog;
    size: number;
    user: string;
    random: Random;
  },
): Promise<Operation[]> {
  const { catalog, size, user, random } = input;
  const entityName = () =>
    SyntheticCatalog.componentName(random.int(0, size - 1));
  const openGates = (
    await request(
      'GET',
      `${backend.baseUrl}${API}/portfolio?state=in-progress&limit=200`,
      { token: user },
    )
  ).body?.items as {
    entityRef: string;
    currentGate?: { id: string; release: string };
  }[];
  const gateIds = (openGates ?? [])
    .map(row => row.currentGate?.id)
    .filter((id): id is string => Boolean(id));
  const openReleases = (openGates ?? []).flatMap(row =>
    row.currentGate
      ? [{ entityRef: row.entityRef, release: row.currentGate.release }]
      : [],
  );
  if (!gateIds.length) {
    throw new Error('no gate in progress found through /portfolio');
  }
  // One gate in progress whose release holds 2,000 facts (issue 20): a
  // large service's pipelines over weeks. Posted through the batch route,
  // as CI would.
  const heavy = openReleases[0];
  const heavyGateId = gateIds[0];
  const lightGateIds = gateIds.length > 1 ? gateIds.slice(1) : gateIds;
  const HEAVY_TYPES = ['test-report', 'security-scan', 'static-analysis'];
  for (let sent = 0; sent < HEAVY_FACTS; sent += 500) {
    const res = await request(
      'POST',
      `${backend.baseUrl}${API}/evidence/batch`,
      {
        token: CI_TOKEN,
        timeoutMs: 120_000,
        body: {
          evidence: Array.from({ length: 500 }, (_, i) => ({
            ...heavy,
            type: HEAVY_TYPES[(sent + i) % HEAVY_TYPES.length],
            status: (sent + i) % 7 ? 'passed' : 'failed',
            metrics: { passed: (sent + i) % 7 !== 0, score: 90, critical: 0 },
            runId: `heavy-${sent + i}`,
          })),
        },
      },
    );
    if (res.status !== 200) {
      throw new Error(
        `could not post the 2,000 facts of ${heavy.entityRef} ${
          heavy.release
        }: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`,
      );
    }
  }
  // The floor of a request: a template read is the HTTP stack, the
  // caller's token and a permission decision, with no database and no
  // evaluation.
  const templates = (
    await request('GET', `${backend.baseUrl}${API}/templates`, { token: user })
  ).body?.items as { name: string }[] | undefined;
  const templateName = templates?.[0]?.name;
  if (!templateName) {
    throw new Error('no gate template found through /templates');
  }
  const team = () =>
    `group:default/team-${String(random.int(0, catalog.teams - 1)).padStart(
      6,
      '0',
    )}`;
  let evidenceRun = 0;
  return [
    {
      name: 'portfolio page (50 rows, filtered, sorted)',
      make: () => ({
        method: 'GET',
        path: `${API}/portfolio?owner=${encodeURIComponent(
          team(),
        )}&sort=title&order=asc&limit=50`,
        token: user,
      }),
    },
    {
      name: 'portfolio page (50 rows, whole catalog)',
      make: () => ({
        method: 'GET',
        path: `${API}/portfolio?state=in-progress&sort=score&order=desc&limit=50&offset=${
          random.int(0, 10) * 50
        }`,
        token: user,
      }),
    },
    {
      name: 'portfolio facets',
      make: () => ({
        method: 'GET',
        path: `${API}/portfolio?limit=1&verdict=${encodeURIComponent(
          random.pick(['GO', 'NO-GO', 'IN PROGRESS']),
        )}`,
        token: user,
      }),
    },
    {
      // What the portfolio page asks: the trends of every gate, and the 20
      // teams its bar charts show.
      name: 'metrics',
      make: () => ({
        method: 'GET',
        path: `${API}/metrics?groupBy=team&period=month&limit=20`,
        token: user,
      }),
    },
    {
      // Every team's buckets (at 100,000 entities, 2,000 teams over five
      // months): what an export or a dashboard of its own would read.
      name: 'metrics (every team)',
      make: () => ({
        method: 'GET',
        path: `${API}/metrics?groupBy=team&period=month`,
        token: user,
      }),
    },
    {
      // The outcome loop (issue 18): every item of every released gate of
      // the months of the last 180 days, summed from the roll-up's totals.
      name: 'item insights (outcome loop)',
      make: () => ({
        method: 'GET',
        path: `${API}/insights/items?limit=50`,
        token: user,
      }),
    },
    {
      // The same for one team: the roll-up's rows of one owner.
      name: 'item insights (one team)',
      make: () => ({
        method: 'GET',
        path: `${API}/insights/items?limit=50&owner=${encodeURIComponent(
          team(),
        )}`,
        token: user,
      }),
    },
    {
      name: 'learning per team (debriefs, follow-ups, facilitators)',
      make: () => ({
        method: 'GET',
        path: `${API}/portfolio/learning`,
        token: user,
      }),
    },
    {
      // What any request costs before its own work (see templateName).
      name: 'floor: a template (no database)',
      make: () => ({
        method: 'GET',
        path: `${API}/templates/${encodeURIComponent(templateName)}`,
        token: user,
      }),
    },
    {
      // One of the floor's own round trips: the auth backend's answer to
      // "who is this user and their groups", which the permission backend
      // asks for each decision (Backstage's tokens carry no groups), as does
      // a sign-off for the voter's claims. Not the plugin's work.
      name: 'floor: the user info (one internal round trip)',
      make: () => ({
        method: 'GET',
        path: `/api/auth/v1/userinfo`,
        token: user,
      }),
    },
    {
      name: 'entity readiness',
      make: () => ({
        method: 'GET',
        path: `${API}/entities/component/default/${entityName()}`,
        token: user,
      }),
    },
    {
      name: 'gate detail',
      make: () => ({
        method: 'GET',
        path: `${API}/gates/${random.pick(lightGateIds)}`,
        token: user,
      }),
    },
    {
      name: `gate detail (${HEAVY_FACTS.toLocaleString('en-US')} evidence)`,
      make: () => ({
        method: 'GET',
        path: `${API}/gates/${heavyGateId}`,
        token: user,
      }),
    },
    {
      name: `dossier (${HEAVY_FACTS.toLocaleString('en-US')} evidence)`,
      make: () => ({
        method: 'GET',
        path: `${API}/gates/${heavyGateId}/dossier`,
        token: user,
      }),
    },
    {
      // CI reporting ahead of the gate (the release has none yet).
      name: 'evidence post (no gate yet)',
      make: n => ({
        method: 'POST',
        path: `${API}/evidence`,
        token: CI_TOKEN,
        body: {
          entityRef: `component:default/${entityName()}`,
          release: '9.9.9',
          type: 'test-report',
          status: 'passed',
          metrics: { passed: true, total: 1200 },
          runId: `bench-${n}-${evidenceRun++}`,
        },
      }),
    },
    {
      // CI reporting on a release whose gate is open: the gate is
      // evaluated and the portfolio's summary stored with the evidence.
      name: 'evidence post (gate in progress)',
      make: n => {
        const target = random.pick(openReleases);
        return {
          method: 'POST',
          path: `${API}/evidence`,
          token: CI_TOKEN,
          body: {
            ...target,
            type: 'test-report',
            status: 'passed',
            metrics: { passed: true, total: 1200 },
            runId: `bench-open-${n}-${evidenceRun++}`,
          },
        };
      },
    },
    {
      // A fleet of pipelines (or a collector) posting in batches: 100 facts,
      // 10 for each of 10 releases whose gates are open.
      name: `evidence batch of ${BATCH_FACTS} (gates in progress)`,
      factsPerRequest: BATCH_FACTS,
      make: n => {
        const targets = Array.from({ length: BATCH_RELEASES }, () =>
          random.pick(openReleases),
        );
        return {
          method: 'POST',
          path: `${API}/evidence/batch`,
          token: CI_TOKEN,
          body: {
            evidence: Array.from({ length: BATCH_FACTS }, (_, i) => ({
              ...targets[i % BATCH_RELEASES],
              type: i % 2 ? 'test-report' : 'static-analysis',
              status: 'passed',
              metrics: { passed: true, total: 1200, score: 91 },
              runId: `bench-batch-${n}-${evidenceRun++}`,
            })),
          },
        };
      },
    },
    {
      name: `evidence batch of ${BATCH_FACTS} (no gate yet)`,
      factsPerRequest: BATCH_FACTS,
      make: n => {
        const targets = Array.from(
          { length: BATCH_RELEASES },
          () => `component:default/${entityName()}`,
        );
        return {
          method: 'POST',
          path: `${API}/evidence/batch`,
          token: CI_TOKEN,
          body: {
            evidence: Array.from({ length: BATCH_FACTS }, (_, i) => ({
              entityRef: targets[i % BATCH_RELEASES],
              release: '9.9.9',
              type: 'test-report',
              status: 'passed',
              metrics: { passed: true, total: 1200 },
              runId: `bench-batch-new-${n}-${evidenceRun++}`,
            })),
          },
        };
      },
    },
    {
      name: 'sign-off post',
      make: () => ({
        method: 'POST',
        path: `${API}/gates/${random.pick(gateIds)}/signoffs`,
        token: user,
        body: { role: 'qa', verdict: 'ready', comment: 'Benchmark vote' },
      }),
      // A gate that another client just moved on answers 409.
      alsoOk: [409],
    },
    {
      name: 'decision evaluation (pipeline)',
      make: () => {
        const i = random.int(0, size - 1);
        return {
          method: 'GET',
          path: `${API}/decision?entityRef=${encodeURIComponent(
            `component:default/${SyntheticCatalog.componentName(i)}`,
          )}&release=${encodeURIComponent(`1.${random.int(0, 2)}.0`)}`,
          token: CI_TOKEN,
        };
      },
      alsoOk: [404],
    },
  ];
}
