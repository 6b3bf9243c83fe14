import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { GateTemplate } from '@release-readiness/plugin-common';
import { TEMPLATE_FILES } from '../__testUtils__/fixtures';
import { loadTemplates } from '../templates/loadTemplates';
import { toEntityInfo } from './entityInfo';

function component(
  name: string,
  tags: string[],
  annotations: Record<string, string> = {},
  type = 'service',
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', tags, annotations },
    spec: { type, owner: 'group:default/payments', lifecycle: 'production' },
    relations: [{ type: 'ownedBy', targetRef: 'group:default/payments' }],
  };
}

describe('the tier of an entity in the portfolio', () => {
  let shipped: GateTemplate[];
  beforeAll(async () => {
    shipped = await loadTemplates(
      mockServices.rootConfig({
        data: { releaseReadiness: { templates: TEMPLATE_FILES } },
      }),
    );
  });

  it('is the tier of the template that applies, whatever the catalog tags say', () => {
    // The demo's `tier-3` tag is the company's criticality: the plugin does
    // not read it. The component gate applies, a tier 1 gate template.
    const info = toEntityInfo(
      component('currency-rates', ['go', 'tier-3']),
      shipped,
    );
    expect(info).toMatchObject({ templateName: 'component-gate', tier: 1 });
  });

  it('follows a template chosen by tag: a tier-3 template for tier-3 components gives tier 3', () => {
    const byTag: GateTemplate = {
      ...shipped.find(t => t.name === 'business-gate')!,
      name: 'critical-component-gate',
      appliesTo: [{ kind: 'Component', tags: ['tier-3'] }],
    };
    // Listed first, it applies before the component gate.
    const templates = [byTag, ...shipped];
    expect(
      toEntityInfo(component('currency-rates', ['go', 'tier-3']), templates),
    ).toMatchObject({ templateName: 'critical-component-gate', tier: 3 });
    expect(
      toEntityInfo(component('cart-service', ['go', 'tier-1']), templates),
    ).toMatchObject({ templateName: 'component-gate', tier: 1 });
  });

  it('is the tier of the template an annotation names', () => {
    expect(
      toEntityInfo(
        component('checkout-api', ['tier-3'], {
          'release-readiness/template': 'system-gate',
        }),
        shipped,
      ),
    ).toMatchObject({ templateName: 'system-gate', tier: 2 });
  });

  it('is no tier at all when no template applies (never a default Tier 1)', () => {
    const info = toEntityInfo(
      component('money-utils', ['tier-3'], {}, 'library'),
      shipped,
    );
    expect(info.tier).toBeUndefined();
    expect(info.templateName).toBeUndefined();
  });
});
