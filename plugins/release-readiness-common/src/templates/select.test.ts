import { Entity } from '@backstage/catalog-model';
import { GateTemplate, GateTemplateSpec } from '../types';
import { selectorMatches, selectTemplate } from './select';

function template(
  name: string,
  appliesTo: GateTemplateSpec['appliesTo'],
  rapid = false,
): GateTemplate {
  return {
    name,
    title: name,
    tier: 1,
    version: '1',
    rapid,
    appliesTo,
    checklist: [
      { id: 'x', title: 'X', category: 'documentation', required: true },
    ],
    signoffs: {
      selfApproval: false,
      roles: [
        { id: 'eng', title: 'Eng', eligible: { gateOwners: true }, min: 1 },
      ],
    },
    risk: {
      impactMatrix: true,
      residualRiskAcceptance: true,
      rollbackPlan: true,
      communicationPlan: true,
    },
    hash: 'h',
    source: `gate-templates/${name}.yaml`,
  };
}

function entity(
  kind: string,
  opts: { type?: string; tags?: string[]; template?: string } = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: {
      name: 'payment-gateway',
      ...(opts.tags && { tags: opts.tags }),
      ...(opts.template !== undefined && {
        annotations: { 'release-readiness/template': opts.template },
      }),
    },
    spec: {
      owner: 'group:default/payments',
      ...(opts.type && { type: opts.type }),
    },
  };
}

const component = template('component-gate', [
  { kind: 'Component', types: ['service', 'website'] },
]);
const pci = template('pci-gate', [{ kind: 'component', tags: ['pci'] }]);
const system = template('system-gate', [{ kind: 'System' }]);
const rapid = template('rapid-release', [], true);
const rapidWithSelector = template('rapid-catch-all', [{}], true);

describe('selectorMatches', () => {
  it('matches kind case-insensitively', () => {
    expect(selectorMatches({ kind: 'component' }, entity('Component'))).toBe(
      true,
    );
    expect(selectorMatches({ kind: 'System' }, entity('Component'))).toBe(
      false,
    );
  });

  it('needs spec.type to be one of the types', () => {
    const sel = { types: ['service', 'website'] };
    expect(selectorMatches(sel, entity('Component', { type: 'website' }))).toBe(
      true,
    );
    expect(selectorMatches(sel, entity('Component', { type: 'library' }))).toBe(
      false,
    );
    expect(selectorMatches(sel, entity('Component'))).toBe(false);
  });

  it('needs at least one shared tag', () => {
    const sel = { tags: ['pci', 'gdpr'] };
    expect(
      selectorMatches(sel, entity('Component', { tags: ['java', 'gdpr'] })),
    ).toBe(true);
    expect(selectorMatches(sel, entity('Component', { tags: ['java'] }))).toBe(
      false,
    );
    expect(selectorMatches(sel, entity('Component'))).toBe(false);
  });

  it('needs every given key to match', () => {
    const sel = { kind: 'Component', types: ['service'], tags: ['pci'] };
    expect(
      selectorMatches(
        sel,
        entity('Component', { type: 'service', tags: ['pci'] }),
      ),
    ).toBe(true);
    expect(
      selectorMatches(
        sel,
        entity('Component', { type: 'service', tags: ['go'] }),
      ),
    ).toBe(false);
    expect(
      selectorMatches(sel, entity('API', { type: 'service', tags: ['pci'] })),
    ).toBe(false);
  });

  it('matches everything with an empty selector', () => {
    expect(selectorMatches({}, entity('Domain'))).toBe(true);
  });
});

describe('selectTemplate', () => {
  const all = [component, pci, system, rapid, rapidWithSelector];

  it('lets the annotation win over appliesTo, even for a rapid template', () => {
    const e = entity('Component', {
      type: 'service',
      template: 'rapid-release',
    });
    expect(selectTemplate(e, all)).toEqual({
      template: rapid,
      via: 'annotation',
    });
    const s = entity('System', { template: ' Component-Gate ' });
    expect(selectTemplate(s, all).template).toBe(component);
  });

  it('reports an annotation that names an unknown template', () => {
    const e = entity('Component', { type: 'service', template: 'fast-lane' });
    expect(selectTemplate(e, all)).toEqual({
      problem:
        'the annotation release-readiness/template names unknown template "fast-lane" (known templates: component-gate, pci-gate, system-gate, rapid-release, rapid-catch-all)',
    });
    expect(selectTemplate(entity('Component', { template: '' }), all)).toEqual({
      problem:
        'the annotation release-readiness/template is empty; name a gate template',
    });
  });

  it('matches by kind, type and tag', () => {
    expect(
      selectTemplate(entity('Component', { type: 'website' }), all),
    ).toEqual({ template: component, via: 'appliesTo' });
    expect(
      selectTemplate(
        entity('Component', { type: 'library', tags: ['PCI'] }),
        all,
      ).template,
    ).toBe(pci);
    expect(selectTemplate(entity('system'), all).template).toBe(system);
  });

  it('takes the first match in the given order', () => {
    const e = entity('Component', { type: 'service', tags: ['pci'] });
    expect(selectTemplate(e, all).template).toBe(component);
    expect(selectTemplate(e, [pci, component]).template).toBe(pci);
  });

  it('never chooses a rapid template automatically', () => {
    expect(selectTemplate(entity('Resource'), [rapidWithSelector])).toEqual({});
  });

  it('returns nothing when nothing applies', () => {
    expect(
      selectTemplate(entity('Component', { type: 'library' }), all),
    ).toEqual({});
    expect(
      selectTemplate(entity('Component', { type: 'service' }), []),
    ).toEqual({});
  });
});
