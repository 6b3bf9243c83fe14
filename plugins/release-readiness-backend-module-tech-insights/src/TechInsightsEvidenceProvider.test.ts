/*
 * The Tech Insights provider against the real Tech Insights backend and its
 * JSON rules engine fact checker (jsonfc) in a test backend: a fact
 * retriever registered here returns known facts, jsonfc checks from config
 * run on them over Tech Insights' HTTP API, and the module, on the evidence
 * providers extension point, turns the results into evidence.
 */
import { Entity } from '@backstage/catalog-model';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import techInsightsBackend from '@backstage-community/plugin-tech-insights-backend';
import jsonRulesEngineFactChecker from '@backstage-community/plugin-tech-insights-backend-module-jsonfc';
import {
  FactRetriever,
  techInsightsFactRetrieversExtensionPoint,
} from '@backstage-community/plugin-tech-insights-node';
import {
  EvidenceProvider,
  releaseReadinessEvidenceProvidersExtensionPoint,
} from '@release-readiness/plugin-node';
import { DateTime } from 'luxon';
import { releaseReadinessModuleTechInsights } from './module';

const RETRIEVED_AT = '2026-12-01T08:30:00.000Z';

/** Known facts: the payment gateway has an owner and no runbook. */
const releaseFactsRetriever: FactRetriever = {
  id: 'releaseFactsRetriever',
  version: '0.1.0',
  title: 'Release facts (test)',
  schema: {
    hasGroupOwner: { type: 'boolean', description: 'Owned by a group' },
    docsPages: { type: 'integer', description: 'Pages of documentation' },
    runbookUrl: { type: 'string', description: 'Where the runbook is' },
    tags: { type: 'set', description: 'Catalog tags' },
  },
  async handler() {
    return [
      {
        entity: {
          kind: 'Component',
          namespace: 'default',
          name: 'payment-gateway',
        },
        facts: {
          hasGroupOwner: true,
          docsPages: 12,
          runbookUrl: '',
          tags: ['pci', 'java'],
        },
        timestamp: DateTime.fromISO(RETRIEVED_AT),
      },
    ];
  },
};

const testFactRetrievers = createBackendModule({
  pluginId: 'tech-insights',
  moduleId: 'test-fact-retrievers',
  register(env) {
    env.registerInit({
      deps: { retrievers: techInsightsFactRetrieversExtensionPoint },
      async init({ retrievers }) {
        retrievers.addFactRetrievers({ releaseFactsRetriever });
      },
    });
  },
});

const booleanCheck = (fact: string, extra: object = {}) => ({
  type: 'json-rules-engine',
  name: fact,
  description: `${fact} is true`,
  factIds: ['releaseFactsRetriever'],
  rule: {
    conditions: { all: [{ fact, operator: 'equal', value: true }] },
  },
  ...extra,
});

const techInsightsConfig = {
  factRetrievers: { releaseFactsRetriever: { cadence: '0 3 * * *' } },
  factChecker: {
    checks: {
      groupOwnerCheck: booleanCheck('hasGroupOwner', {
        links: [{ title: 'Ownership', url: 'https://docs.example.com/own' }],
      }),
      docsCheck: {
        type: 'json-rules-engine',
        name: 'Enough documentation',
        description: 'At least 20 pages and a runbook',
        factIds: ['releaseFactsRetriever'],
        rule: {
          conditions: {
            all: [
              {
                fact: 'docsPages',
                operator: 'greaterThanInclusive',
                value: 20,
              },
              { fact: 'runbookUrl', operator: 'notEqual', value: '' },
            ],
          },
        },
      },
    },
  },
};

const entity = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: { type: 'service', owner: 'payments', lifecycle: 'production' },
});

/** Starts Tech Insights, jsonfc, the test facts and the module; returns what the module added. */
async function providersOf(releaseReadiness: object) {
  const added: EvidenceProvider[] = [];
  const backend = await startTestBackend({
    extensionPoints: [
      [
        releaseReadinessEvidenceProvidersExtensionPoint,
        { addProvider: (...p: EvidenceProvider[]) => added.push(...p) },
      ],
    ],
    features: [
      techInsightsBackend,
      jsonRulesEngineFactChecker,
      testFactRetrievers,
      releaseReadinessModuleTechInsights,
      // Runs the fact retriever once at start-up, before the tests ask.
      mockServices.scheduler.factory({
        includeInitialDelayedTasksOnStartup: true,
      }),
      catalogServiceMock.factory({ entities: [entity('payment-gateway')] }),
      mockServices.rootConfig.factory({
        data: { techInsights: techInsightsConfig, releaseReadiness },
      }),
    ],
  });
  return { added, backend };
}

const collect = (
  provider: EvidenceProvider,
  options: { name?: string; types?: string[] } = {},
) =>
  provider.collect({
    entity: entity(options.name ?? 'payment-gateway'),
    entityRef: `component:default/${options.name ?? 'payment-gateway'}`,
    release: '2.4.0',
    types: options.types ?? ['ownership', 'documentation'],
    signal: new AbortController().signal,
  });

describe('the Tech Insights evidence provider, on the real Tech Insights backend', () => {
  let provider: EvidenceProvider;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    const { added, backend } = await providersOf({
      techInsights: {
        checks: [
          { checkId: 'groupOwnerCheck', evidenceType: 'ownership' },
          { checkId: 'docsCheck', evidenceType: 'documentation' },
        ],
      },
    });
    if (added.length !== 1) {
      throw new Error(
        `expected one provider, the module added ${added.length}`,
      );
    }
    provider = added[0];
    stop = () => backend.stop();
  });

  afterAll(async () => {
    await stop?.();
  });

  it('is added on the extension point with the configured evidence types', () => {
    expect([provider.id, provider.title, provider.types]).toEqual([
      'tech-insights',
      'Tech Insights',
      ['ownership', 'documentation'],
    ]);
  });

  it('records a passing and a failing check with the facts they read, once per fact retrieval', async () => {
    const facts = await collect(provider);
    expect(facts).toEqual([
      {
        type: 'ownership',
        status: 'passed',
        metrics: { hasGroupOwner: true, passed: true },
        link: 'https://docs.example.com/own',
        runId: `tech-insights:groupOwnerCheck:${RETRIEVED_AT}`,
        observedAt: RETRIEVED_AT,
      },
      {
        type: 'documentation',
        status: 'failed',
        metrics: { docsPages: 12, runbookUrl: '', passed: false },
        runId: `tech-insights:docsCheck:${RETRIEVED_AT}`,
        observedAt: RETRIEVED_AT,
      },
    ]);
    // Collected again from the same facts: the same run ids, stored once.
    expect(await collect(provider)).toEqual(facts);
  });

  it('produces only the types the gate reads', async () => {
    const facts = await collect(provider, { types: ['documentation'] });
    expect(facts.map(f => f.type)).toEqual(['documentation']);
    expect(await collect(provider, { types: ['test-report'] })).toEqual([]);
  });

  it('says nothing of an entity Tech Insights has no facts for', async () => {
    expect(await collect(provider, { name: 'cart-service' })).toEqual([]);
  });
});

describe('the Tech Insights module', () => {
  it('fails clearly when a configured check is unknown to Tech Insights', async () => {
    const { added, backend } = await providersOf({
      techInsights: {
        checks: [
          { checkId: 'groupOwnerCheck', evidenceType: 'ownership' },
          { checkId: 'hasSloCheck', evidenceType: 'slo' },
        ],
      },
    });
    try {
      await expect(
        collect(added[0], { types: ['ownership', 'slo'] }),
      ).rejects.toThrow(
        "Tech Insights has no check 'hasSloCheck' (named in releaseReadiness.techInsights.checks); its checks are 'groupOwnerCheck', 'docsCheck'",
      );
      // A gate that reads only the known check's type still gets its fact.
      expect(
        (await collect(added[0], { types: ['ownership'] })).map(f => f.status),
      ).toEqual(['passed']);
    } finally {
      await backend.stop();
    }
  });

  it('adds nothing when no checks are configured', async () => {
    const { added, backend } = await providersOf({});
    await backend.stop();
    expect(added).toEqual([]);
  });

  it('refuses an evidence type that is not kebab-case', async () => {
    await expect(
      providersOf({
        techInsights: {
          checks: [{ checkId: 'groupOwnerCheck', evidenceType: 'Ownership' }],
        },
      }),
    ).rejects.toThrow(/must be lower-case kebab-case, got 'Ownership'/);
  });
});
