import { createExtensionTester } from '@backstage/frontend-test-utils';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { Entity } from '@backstage/catalog-model';
import releaseReadinessPlugin, {
  entityReleaseReadinessCard,
  entityReleaseReadinessContent,
  releaseReadinessPortfolioPage,
} from './alpha';

const entityOfKind = (kind: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name: 'refund-service' },
});

/**
 * The extensions of the new frontend system, as an app receives them: what
 * they are mounted at, what they are called and which entities they appear on.
 */
describe('the new frontend system extensions', () => {
  it('puts the Readiness tab at readiness on Component, System and Domain pages only', () => {
    const tester = createExtensionTester(entityReleaseReadinessContent);
    expect(tester.get(coreExtensionData.routePath)).toBe('readiness');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Readiness');
    expect(tester.get(coreExtensionData.routeRef)).toBeDefined();
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction);
    expect(filter?.(entityOfKind('Component'))).toBe(true);
    expect(filter?.(entityOfKind('System'))).toBe(true);
    expect(filter?.(entityOfKind('Domain'))).toBe(true);
    expect(filter?.(entityOfKind('Group'))).toBe(false);
    expect(filter?.(entityOfKind('API'))).toBe(false);
  });

  it('lets an app rename the tab through its configuration', () => {
    const tester = createExtensionTester(entityReleaseReadinessContent, {
      config: { title: 'Go/No-Go', path: 'go-no-go' },
    });
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Go/No-Go');
    expect(tester.get(coreExtensionData.routePath)).toBe('go-no-go');
  });

  it('offers the overview card on Component pages only', () => {
    const tester = createExtensionTester(entityReleaseReadinessCard);
    expect(tester.get(coreExtensionData.reactElement)).toBeDefined();
    const filter = tester.get(EntityCardBlueprint.dataRefs.filterFunction);
    expect(filter?.(entityOfKind('Component'))).toBe(true);
    expect(filter?.(entityOfKind('API'))).toBe(false);
  });

  it('mounts the portfolio page at /release-readiness', () => {
    const tester = createExtensionTester(releaseReadinessPortfolioPage);
    expect(tester.get(coreExtensionData.routePath)).toBe('/release-readiness');
    expect(tester.get(coreExtensionData.routeRef)).toBeDefined();
  });

  it('names the extensions as the package README lists them', () => {
    expect(releaseReadinessPlugin.id).toBe('release-readiness');
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
      createExtensionTester(card).get(coreExtensionData.reactElement),
    ).toBeDefined();
    const page = releaseReadinessPlugin.getExtension(
      'page:release-readiness/portfolio',
    );
    expect(createExtensionTester(page).get(coreExtensionData.routePath)).toBe(
      '/release-readiness',
    );
    expect(
      releaseReadinessPlugin.getExtension('api:release-readiness'),
    ).toBeDefined();
  });
});
