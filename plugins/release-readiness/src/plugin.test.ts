import { Entity } from '@backstage/catalog-model';
import { isReleaseReadinessAvailable, releaseReadinessPlugin } from './plugin';

function entityOfKind(kind: string): Entity {
  return { apiVersion: 'backstage.io/v1alpha1', kind, metadata: { name: 'x' } };
}

describe('release-readiness plugin', () => {
  it('has the plugin id', () => {
    expect(releaseReadinessPlugin.getId()).toBe('release-readiness');
  });

  it('offers the tab on components, systems and domains only', () => {
    expect(isReleaseReadinessAvailable(entityOfKind('Component'))).toBe(true);
    expect(isReleaseReadinessAvailable(entityOfKind('component'))).toBe(true);
    expect(isReleaseReadinessAvailable(entityOfKind('System'))).toBe(true);
    expect(isReleaseReadinessAvailable(entityOfKind('Domain'))).toBe(true);
    expect(isReleaseReadinessAvailable(entityOfKind('API'))).toBe(false);
    expect(isReleaseReadinessAvailable(entityOfKind('Group'))).toBe(false);
  });
});
