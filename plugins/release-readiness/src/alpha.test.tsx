import { screen } from '@testing-library/react';
import {
  createExtensionTester,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import {
  ApiBlueprint,
  coreExtensionData,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { identityApiRef } from '@backstage/core-plugin-api';
import { Entity } from '@backstage/catalog-model';
import releaseReadinessPlugin, {
  entityReleaseReadinessCard,
  entityReleaseReadinessContent,
  releaseReadinessPortfolioPage,
} from './alpha';
import { ReleaseReadinessClient, releaseReadinessApiRef } from './api';
import { mockIdentityApi } from './__fixtures__/apis';

const entityOfKind = (kind: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name: 'refund-service', namespace: 'default' },
  spec: { type: 'service', owner: 'payments', lifecycle: 'production' },
});

const KINDS_WITH_GATES = ['Component', 'System', 'Domain'];
const KINDS_WITHOUT = [
  'API',
  'Group',
  'User',
  'Resource',
  'Location',
  'Template',
];

/** The readiness of an entity without a gate yet. */
const noGate = {
  entityRef: 'component:default/refund-service',
  title: 'refund-service',
  gateOwners: [],
  checklist: [],
  earlierGates: [],
  currentGate: null,
};

/** The readiness of an entity whose gate waits for two blockers. */
const withGate = {
  ...noGate,
  currentGate: {
    release: '2.1.0',
    state: 'in-progress',
    evaluation: {
      verdict: 'IN PROGRESS',
      score: 70,
      blockers: [{ message: 'a' }, { message: 'b' }],
    },
  },
};

/**
 * The extensions of the new frontend system, as an app receives them: what
 * they are mounted at, what they are called, which entities they appear on
 * and what they render.
 */
describe('the new frontend system extensions', () => {
  describe('api:release-readiness', () => {
    it('provides the release readiness API, built on discovery and fetch', () => {
      const tester = createExtensionTester(
        releaseReadinessPlugin.getExtension('api:release-readiness'),
      );
      const factory = tester.get(ApiBlueprint.dataRefs.factory);
      expect(factory.api.id).toBe(releaseReadinessApiRef.id);
      expect(factory.deps).toEqual({
        discoveryApi: discoveryApiRef,
        fetchApi: fetchApiRef,
      });
      const client = factory.factory({
        discoveryApi: {
          getBaseUrl: async () => 'http://localhost:7007/api/x',
        },
        fetchApi: { fetch: jest.fn() },
      });
      expect(client).toBeInstanceOf(ReleaseReadinessClient);
    });
  });

  describe('entity-content:release-readiness', () => {
    it('is the Readiness tab at readiness, bound to the plugin root route', () => {
      const tester = createExtensionTester(entityReleaseReadinessContent);
      expect(tester.get(coreExtensionData.routePath)).toBe('readiness');
      expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe(
        'Readiness',
      );
      expect(tester.get(coreExtensionData.routeRef)).toBe(
        releaseReadinessPlugin.routes.root,
      );
    });

    it.each(KINDS_WITH_GATES)('appears on %s pages', kind => {
      const filter = createExtensionTester(entityReleaseReadinessContent).get(
        EntityContentBlueprint.dataRefs.filterFunction,
      );
      expect(filter?.(entityOfKind(kind))).toBe(true);
      // Kinds are matched as the catalog writes them, whatever the case.
      expect(filter?.(entityOfKind(kind.toLocaleLowerCase('en-US')))).toBe(
        true,
      );
    });

    it.each(KINDS_WITHOUT)('does not appear on %s pages', kind => {
      const filter = createExtensionTester(entityReleaseReadinessContent).get(
        EntityContentBlueprint.dataRefs.filterFunction,
      );
      expect(filter?.(entityOfKind(kind))).toBe(false);
    });

    it('lets an app rename and move the tab through its configuration', () => {
      const tester = createExtensionTester(entityReleaseReadinessContent, {
        config: { title: 'Go/No-Go', path: 'go-no-go' },
      });
      expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe(
        'Go/No-Go',
      );
      expect(tester.get(coreExtensionData.routePath)).toBe('go-no-go');
    });

    it('renders the Readiness tab of the entity', async () => {
      const tester = createExtensionTester(entityReleaseReadinessContent);
      await renderInTestApp(
        <EntityProvider entity={entityOfKind('Component')}>
          {tester.reactElement()}
        </EntityProvider>,
        {
          apis: [
            [
              releaseReadinessApiRef,
              {
                getEntityReadiness: jest.fn().mockResolvedValue(noGate),
                listTemplates: jest.fn().mockResolvedValue([]),
                listWindows: jest.fn().mockResolvedValue([]),
              } as any,
            ],
            [
              permissionApiRef,
              { authorize: async () => ({ result: 'DENY' }) } as any,
            ],
            [
              identityApiRef,
              mockIdentityApi('user:default/hiroshi-tanaka') as any,
            ],
          ],
        },
      );
      expect(
        await screen.findByText('No release gate yet'),
      ).toBeInTheDocument();
      expect(screen.getByText('Gate owners')).toBeInTheDocument();
    });
  });

  describe('entity-card:release-readiness/overview', () => {
    it('is an info card on Component overview pages only', () => {
      const tester = createExtensionTester(entityReleaseReadinessCard);
      expect(tester.get(EntityCardBlueprint.dataRefs.type)).toBe('info');
      const filter = tester.get(EntityCardBlueprint.dataRefs.filterFunction);
      expect(filter?.(entityOfKind('Component'))).toBe(true);
      for (const kind of ['System', 'Domain', ...KINDS_WITHOUT]) {
        expect(filter?.(entityOfKind(kind))).toBe(false);
      }
    });

    it("renders the entity's current gate", async () => {
      const tester = createExtensionTester(entityReleaseReadinessCard);
      await renderInTestApp(
        <EntityProvider entity={entityOfKind('Component')}>
          {tester.reactElement()}
        </EntityProvider>,
        {
          apis: [
            [
              releaseReadinessApiRef,
              {
                getEntityReadiness: jest.fn().mockResolvedValue(withGate),
              } as any,
            ],
          ],
        },
      );
      expect(await screen.findByText('Release 2.1.0')).toBeInTheDocument();
      expect(screen.getByText('Release readiness')).toBeInTheDocument();
      expect(
        screen.getByText('Score 70 / 100 · 2 blockers'),
      ).toBeInTheDocument();
      expect(
        screen.getByRole('link', { name: /Open the Readiness tab/ }),
      ).toHaveAttribute(
        'href',
        '/catalog/default/component/refund-service/readiness',
      );
    });
  });

  describe('page:release-readiness/portfolio', () => {
    it('is the portfolio page at /release-readiness, bound to the portfolio route', () => {
      const tester = createExtensionTester(releaseReadinessPortfolioPage);
      expect(tester.get(coreExtensionData.routePath)).toBe(
        '/release-readiness',
      );
      expect(tester.get(coreExtensionData.routeRef)).toBe(
        releaseReadinessPlugin.routes.portfolio,
      );
    });

    it('gives the nav item its title and icon', () => {
      const tester = createExtensionTester(releaseReadinessPortfolioPage);
      expect(tester.get(coreExtensionData.title)).toBe('Release readiness');
      expect(tester.get(coreExtensionData.icon)).toBeDefined();
    });

    it('lets an app move and rename the page through its configuration', () => {
      const tester = createExtensionTester(releaseReadinessPortfolioPage, {
        config: { path: '/go-no-go', title: 'Go/No-Go' },
      });
      expect(tester.get(coreExtensionData.routePath)).toBe('/go-no-go');
      expect(tester.get(coreExtensionData.title)).toBe('Go/No-Go');
    });

    it('renders the portfolio', async () => {
      const tester = createExtensionTester(releaseReadinessPortfolioPage);
      const pending = () => new Promise(() => {});
      await renderInTestApp(tester.reactElement(), {
        // The page links services to their catalog pages.
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
        apis: [
          [
            releaseReadinessApiRef,
            {
              getPortfolio: jest.fn(pending),
              getMetrics: jest.fn(pending),
              getCaughtReleases: jest.fn(pending),
              listWindows: jest.fn(pending),
              getSystemRollups: jest.fn(pending),
            } as any,
          ],
        ],
      });
      // The page's code loads on demand (a chunk of its own) first.
      expect(
        await screen.findByText(
          'Release readiness portfolio',
          {},
          { timeout: 15000 },
        ),
      ).toBeInTheDocument();
    });
  });

  it('names the extensions as the package README lists them', () => {
    expect(releaseReadinessPlugin.id).toBe('release-readiness');
    const ids = [
      'api:release-readiness',
      'entity-content:release-readiness',
      'entity-card:release-readiness/overview',
      'page:release-readiness/portfolio',
    ];
    for (const id of ids) {
      expect(releaseReadinessPlugin.getExtension(id as any)).toBeDefined();
    }
    const tab = releaseReadinessPlugin.getExtension(
      'entity-content:release-readiness',
    );
    expect(
      createExtensionTester(tab).get(EntityContentBlueprint.dataRefs.title),
    ).toBe('Readiness');
    const card = releaseReadinessPlugin.getExtension(
      'entity-card:release-readiness/overview',
    );
    expect(
      createExtensionTester(card).get(EntityCardBlueprint.dataRefs.type),
    ).toBe('info');
    const page = releaseReadinessPlugin.getExtension(
      'page:release-readiness/portfolio',
    );
    expect(createExtensionTester(page).get(coreExtensionData.routePath)).toBe(
      '/release-readiness',
    );
  });
});
