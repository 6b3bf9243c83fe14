import { Entity } from '@backstage/catalog-model';
import { GateTemplateSpec } from '../types';
import { explainTemplates, templateLabel } from './applicability';

function template(
  name: string,
  title: string,
  appliesTo: GateTemplateSpec['appliesTo'],
  rapid = false,
): GateTemplateSpec {
  return {
    name,
    title,
    tier: 1,
    version: '1',
    rapid,
    appliesTo,
    checklist: [],
    signoffs: { selfApproval: false, roles: [] },
    risk: {
      impactMatrix: true,
      residualRiskAcceptance: true,
      rollbackPlan: true,
      communicationPlan: true,
    },
  };
}

const TEMPLATES = [
  template('component-gate', 'Component gate', [
    { kind: 'Component', types: ['service', 'website'] },
  ]),
  template('system-gate', 'System gate', [{ kind: 'System' }]),
  template('rapid-release', 'Rapid release (expedited)', [], true),
];

function entity(
  kind: string,
  type?: string,
  annotations?: Record<string, string>,
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: {
      name: 'checkout',
      title: 'Checkout',
      ...(annotations ? { annotations } : {}),
    },
    spec: type ? { type } : {},
  };
}

describe('templateLabel', () => {
  it('says expedited once', () => {
    expect(templateLabel(TEMPLATES[2])).toBe('Rapid release (expedited)');
    expect(templateLabel({ title: 'Hotfix', rapid: true })).toBe(
      'Hotfix (expedited)',
    );
    expect(templateLabel(TEMPLATES[0])).toBe('Component gate');
  });
});

describe('explainTemplates', () => {
  it('names the template that applies and why', () => {
    const choice = explainTemplates(entity('Component', 'service'), TEMPLATES);
    expect(choice.applies).toBe('component-gate');
    expect(choice.noneApplies).toBeUndefined();
    const [component, system, rapid] = choice.options;
    expect(component).toMatchObject({
      applies: true,
      why: 'applies to components of type service or website, and Checkout is a component of type service',
    });
    expect(system).toMatchObject({
      applies: false,
      why: 'applies to systems; Checkout is a component of type service',
    });
    expect(rapid.applies).toBe(false);
    expect(rapid.why).toMatch(/^expedited: never chosen on its own/);
  });

  it('follows the annotation', () => {
    const choice = explainTemplates(
      entity('Component', 'library', {
        'release-readiness/template': 'rapid-release',
      }),
      TEMPLATES,
    );
    expect(choice.applies).toBe('rapid-release');
    expect(choice.options[2].why).toBe(
      'named by the annotation release-readiness/template on Checkout',
    );
  });

  it('when none applies, says why in plain words and which to pick', () => {
    const choice = explainTemplates(entity('Component', 'library'), TEMPLATES);
    expect(choice.applies).toBeUndefined();
    expect(choice.noneApplies).toBe(
      'No template applies to Checkout: it is a component of type library, and Component gate applies to components of type service or website; System gate applies to systems',
    );
    expect(choice.suggested).toBe('component-gate');
    expect(choice.options.every(o => !o.applies)).toBe(true);
  });

  it('suggests a template of another kind only when none fits the kind, never the rapid one', () => {
    const choice = explainTemplates(entity('Resource'), TEMPLATES);
    expect(choice.suggested).toBe('component-gate');
    expect(explainTemplates(entity('System'), TEMPLATES).applies).toBe(
      'system-gate',
    );
    expect(
      explainTemplates(entity('Component', 'library'), [TEMPLATES[2]])
        .suggested,
    ).toBeUndefined();
  });

  it('reports an annotation naming an unknown template', () => {
    const choice = explainTemplates(
      entity('Component', 'service', {
        'release-readiness/template': 'nope',
      }),
      TEMPLATES,
    );
    expect(choice.applies).toBeUndefined();
    expect(choice.noneApplies).toMatch(
      /^The annotation release-readiness\/template names unknown template "nope"/,
    );
  });
});
