import fs from 'fs';
import path from 'path';
import { Entity } from '@backstage/catalog-model';
import { checkTemplateSet, parseGateTemplate } from './parse';
import { selectTemplate } from './select';

/** The real templates of the repository, in gate-templates/ at its root. */
const DIR = path.resolve(__dirname, '../../../../gate-templates');

function load(file: string) {
  const content = fs.readFileSync(path.join(DIR, file), 'utf8');
  return parseGateTemplate(content, `gate-templates/${file}`, 'test-hash');
}

const GROUPS_IN_DEMO_CATALOG = [
  'qa',
  'security',
  'release-management',
  'platform-admins',
  'payments',
  'checkout',
  'identity',
  'data-platform',
  'mobile',
].map(g => `group:default/${g}`);

describe('the templates in gate-templates/', () => {
  const files = fs
    .readdirSync(DIR)
    .filter(f => f.endsWith('.yaml'))
    .sort();

  it('holds the four templates', () => {
    expect(files).toEqual([
      'business-gate.yaml',
      'component-gate.yaml',
      'rapid-release.yaml',
      'system-gate.yaml',
    ]);
  });

  it.each([
    ['component-gate.yaml', 'component-gate', 1, false],
    ['system-gate.yaml', 'system-gate', 2, false],
    ['business-gate.yaml', 'business-gate', 3, false],
    ['rapid-release.yaml', 'rapid-release', 1, true],
  ])('%s parses', (file, name, tier, rapid) => {
    const template = load(file);
    expect(template).toMatchObject({
      name,
      tier,
      rapid,
      source: `gate-templates/${file}`,
    });
    for (const role of template.signoffs.roles) {
      for (const group of role.eligible.groups ?? []) {
        expect(GROUPS_IN_DEMO_CATALOG).toContain(group);
      }
    }
  });

  it('are a consistent set that picks the right template per entity', () => {
    const templates = files.map(load);
    expect(() => checkTemplateSet(templates)).not.toThrow();
    const entity = (kind: string, type?: string): Entity => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind,
      metadata: { name: 'x' },
      spec: type ? { type } : {},
    });
    const pick = (e: Entity) => selectTemplate(e, templates).template?.name;
    expect(pick(entity('Component', 'service'))).toBe('component-gate');
    expect(pick(entity('Component', 'website'))).toBe('component-gate');
    expect(pick(entity('Component', 'library'))).toBeUndefined();
    expect(pick(entity('System'))).toBe('system-gate');
    expect(pick(entity('Domain'))).toBe('business-gate');
  });

  it('component-gate has the full checklist and four roles', () => {
    const template = load('component-gate.yaml');
    expect(template.checklist.map(i => i.id)).toEqual([
      'unit-integration-tests',
      'static-analysis',
      'security-scan',
      'performance-benchmark',
      'feature-toggles',
      // Fed by Tech Insights checks in the demo (issue 19), optional.
      'ownership',
      'catalog-metadata',
      'user-acceptance',
      'security-review',
      'compliance-check',
      'runbook-updated',
      'release-notes',
    ]);
    expect(template.checklist.filter(i => !i.required).map(i => i.id)).toEqual(
      expect.arrayContaining(['ownership', 'catalog-metadata']),
    );
    expect(template.signoffs.roles.map(r => r.id)).toEqual([
      'engineering',
      'qa',
      'security',
      'release-management',
    ]);
    expect(template.signoffs.selfApproval).toBe(false);
  });

  it('rapid-release keeps minimal tests and a rollback plan', () => {
    const template = load('rapid-release.yaml');
    expect(template.appliesTo).toEqual([]);
    expect(template.checklist.map(i => i.category)).toEqual([
      'build-and-test',
      'risk',
    ]);
    expect(template.risk).toEqual({
      rollbackPlan: true,
      rollbackVerifiedWithin: 'P7D',
      impactMatrix: false,
      residualRiskAcceptance: true,
      communicationPlan: false,
    });
  });
});
