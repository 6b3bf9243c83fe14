import {
  checkTemplateSet,
  GateTemplateError,
  parseGateTemplate,
} from './parse';

const SOURCE = 'gate-templates/test-gate.yaml';
const HASH = 'a'.repeat(64);

const VALID = `apiVersion: release-readiness/v1
kind: GateTemplate
metadata:
  name: test-gate
  title: Test gate
spec:
  tier: 1
  version: 4
  appliesTo:
    - kind: Component
      types: [service]
  checklist:
    - id: unit-tests
      title: Unit tests pass
      category: build-and-test
      automated:
        evidenceType: test-report
        rule: passed == true
        maxAge: P3D
    - id: static-analysis
      title: Static analysis
      category: build-and-test
      required: false
      automated:
        evidenceType: static-analysis
        rule: score >= 90
        maxAge: P7D
    - id: uat
      title: User acceptance
      description: Stakeholders verified it.
      category: manual-validation
  signoffs:
    roles:
      - id: engineering
        title: Engineering
        eligible:
          gateOwners: true
      - id: qa
        title: QA
        eligible:
          groups: [qa, Group:Default/Security]
          users: [jane]
        min: 2
  risk:
    rollbackVerifiedWithin: P30D
`;

/** The 1-based line of the first line of `text` containing `needle`. */
function lineContaining(text: string, needle: string): number {
  const index = text.split('\n').findIndex(line => line.includes(needle));
  if (index < 0) throw new Error(`test setup: "${needle}" not in the text`);
  return index + 1;
}

function replace(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`test setup: "${from}" not found`);
  return text.replace(from, to);
}

function errorOf(content: string): GateTemplateError {
  try {
    parseGateTemplate(content, SOURCE, HASH);
  } catch (e) {
    if (e instanceof GateTemplateError) return e;
    throw e;
  }
  throw new Error('expected a GateTemplateError');
}

describe('parseGateTemplate', () => {
  it('maps the file to the flat spec, with defaults and normalised refs', () => {
    const template = parseGateTemplate(VALID, SOURCE, HASH);
    expect(template).toEqual({
      name: 'test-gate',
      title: 'Test gate',
      tier: 1,
      version: '4',
      rapid: false,
      appliesTo: [{ kind: 'Component', types: ['service'] }],
      checklist: [
        {
          id: 'unit-tests',
          title: 'Unit tests pass',
          category: 'build-and-test',
          required: true,
          automated: {
            evidenceType: 'test-report',
            rule: 'passed == true',
            maxAge: 'P3D',
          },
        },
        {
          id: 'static-analysis',
          title: 'Static analysis',
          category: 'build-and-test',
          required: false,
          automated: {
            evidenceType: 'static-analysis',
            rule: 'score >= 90',
            maxAge: 'P7D',
          },
        },
        {
          id: 'uat',
          title: 'User acceptance',
          description: 'Stakeholders verified it.',
          category: 'manual-validation',
          required: true,
        },
      ],
      signoffs: {
        selfApproval: false,
        roles: [
          {
            id: 'engineering',
            title: 'Engineering',
            eligible: { gateOwners: true },
            min: 1,
          },
          {
            id: 'qa',
            title: 'QA',
            eligible: {
              groups: ['group:default/qa', 'group:default/security'],
              users: ['user:default/jane'],
            },
            min: 2,
          },
        ],
      },
      risk: {
        impactMatrix: true,
        residualRiskAcceptance: true,
        rollbackPlan: true,
        rollbackVerifiedWithin: 'P30D',
        communicationPlan: true,
      },
      hash: HASH,
      source: SOURCE,
    });
  });

  it('keeps the spelling of a numeric version', () => {
    const content = replace(VALID, 'version: 4', 'version: 1.10');
    expect(parseGateTemplate(content, SOURCE, HASH).version).toBe('1.10');
    const quoted = replace(VALID, 'version: 4', "version: '2024.1'");
    expect(parseGateTemplate(quoted, SOURCE, HASH).version).toBe('2024.1');
  });

  it('reports a YAML syntax error with its line, and only the first', () => {
    const content = replace(
      VALID,
      '      title: Static analysis\n',
      '\ttitle: Static analysis\n',
    );
    const error = errorOf(content);
    const line = lineContaining(content, '\ttitle: Static analysis');
    expect(error.source).toBe(SOURCE);
    expect(error.path).toBe('');
    expect(error.line).toBe(line);
    expect(error.message).toMatch(
      new RegExp(
        `^${SOURCE} \\(line ${line}\\): YAML syntax error: Tabs are not allowed as indentation`,
      ),
    );
    expect(error.message.split('\n')).toHaveLength(1);
  });

  it('reports an unclosed flow sequence', () => {
    const content = replace(VALID, 'types: [service]', 'types: [service');
    const error = errorOf(content);
    expect(error.line).toBeGreaterThanOrEqual(
      lineContaining(content, 'types: [service'),
    );
    expect(error.message).toContain(
      `${SOURCE} (line ${error.line}): YAML syntax error: `,
    );
  });

  it('reports a duplicate YAML key with its line', () => {
    const content = replace(
      VALID,
      '      title: Unit tests pass\n',
      '      title: Unit tests pass\n      title: Again\n',
    );
    const error = errorOf(content);
    expect(error.line).toBe(lineContaining(content, 'title: Again'));
    expect(error.message).toContain('YAML syntax error');
  });

  it('reports an unknown key with a suggestion', () => {
    const content = replace(
      VALID,
      '      required: false\n',
      '      requird: false\n',
    );
    const error = errorOf(content);
    const line = lineContaining(content, 'requird: false');
    expect(error.path).toBe('spec.checklist[1].requird');
    expect(error.line).toBe(line);
    expect(error.message).toBe(
      `${SOURCE}: spec.checklist[1].requird (line ${line}): unknown key "requird"; did you mean "required"?`,
    );
  });

  it('reports a bad category', () => {
    const content = replace(
      VALID,
      '      category: manual-validation\n',
      '      category: manual-testing\n',
    );
    const line = lineContaining(content, 'category: manual-testing');
    expect(errorOf(content).message).toBe(
      `${SOURCE}: spec.checklist[2].category (line ${line}): "manual-testing" is not a category; use one of build-and-test, manual-validation, security, compliance, performance, documentation, risk, communication`,
    );
  });

  it("reports a rule that cannot be read, with parseRule's words", () => {
    const content = replace(VALID, 'rule: score >= 90', 'rule: score => 90');
    const line = lineContaining(content, 'rule: score => 90');
    expect(errorOf(content).message).toBe(
      `${SOURCE}: spec.checklist[1].automated.rule (line ${line}): cannot read "score => 90"; write a comparison such as "score >= 90" or "passed == true"`,
    );
  });

  it('reports bad durations', () => {
    const content = replace(
      replace(VALID, 'maxAge: P3D', 'maxAge: 3 days'),
      'rollbackVerifiedWithin: P30D',
      'rollbackVerifiedWithin: PT0S',
    );
    const error = errorOf(content);
    const maxAgeLine = lineContaining(content, 'maxAge: 3 days');
    const rollbackLine = lineContaining(content, 'rollbackVerifiedWithin');
    expect(error.issues).toEqual([
      {
        path: 'spec.checklist[0].automated.maxAge',
        line: maxAgeLine,
        message: expect.stringContaining(
          '"3 days" is not an ISO 8601 duration',
        ),
      },
      {
        path: 'spec.risk.rollbackVerifiedWithin',
        line: rollbackLine,
        message: '"PT0S" must be longer than zero',
      },
    ]);
    expect(error.message).toContain(
      `${SOURCE}: spec.checklist[0].automated.maxAge (line ${maxAgeLine}): "3 days" is not an ISO 8601 duration`,
    );
  });

  it('reports a duplicate item id at the second use', () => {
    const content = replace(VALID, '- id: uat', '- id: unit-tests');
    const second = content.split('\n').lastIndexOf('    - id: unit-tests') + 1;
    expect(errorOf(content).message).toBe(
      `${SOURCE}: spec.checklist[2].id (line ${second}): duplicate item id "unit-tests"; entry 0 uses it already`,
    );
  });

  it('reports a duplicate role id', () => {
    const content = replace(VALID, '- id: qa', '- id: engineering');
    const lines = content.split('\n');
    const second = lines.lastIndexOf('      - id: engineering') + 1;
    expect(errorOf(content).message).toBe(
      `${SOURCE}: spec.signoffs.roles[1].id (line ${second}): duplicate role id "engineering"; entry 0 uses it already`,
    );
  });

  it('reports a role whose eligible names nobody', () => {
    const content = replace(
      VALID,
      '        eligible:\n          gateOwners: true\n',
      '        eligible: {}\n',
    );
    const line = lineContaining(content, 'eligible: {}');
    expect(errorOf(content).message).toBe(
      `${SOURCE}: spec.signoffs.roles[0].eligible (line ${line}): names nobody; set "gateOwners: true" or list "groups" or "users"`,
    );
  });

  it('reports a group ref of the wrong kind and a bad min', () => {
    const content = replace(
      replace(
        VALID,
        'groups: [qa, Group:Default/Security]',
        'groups: [user:default/qa]',
      ),
      'min: 2',
      'min: 0',
    );
    const error = errorOf(content);
    expect(error.issues.map(i => [i.path, i.line, i.message])).toEqual([
      [
        'spec.signoffs.roles[1].eligible.groups[0]',
        lineContaining(content, 'groups: [user:default/qa]'),
        '"user:default/qa" is a user ref; only group refs belong here, such as "group:default/qa"',
      ],
      [
        'spec.signoffs.roles[1].min',
        lineContaining(content, 'min: 0'),
        'must be at least 1',
      ],
    ]);
  });

  it('reports tier 4', () => {
    const content = replace(VALID, 'tier: 1', 'tier: 4');
    const line = lineContaining(content, 'tier: 4');
    expect(errorOf(content).message).toBe(
      `${SOURCE}: spec.tier (line ${line}): must be 1 (component), 2 (system) or 3 (business), not 4`,
    );
  });

  it('reports a missing checklist at the line of spec', () => {
    const start = VALID.indexOf('  checklist:');
    const end = VALID.indexOf('  signoffs:');
    const content = VALID.slice(0, start) + VALID.slice(end);
    const error = errorOf(content);
    expect(error.path).toBe('spec.checklist');
    expect(error.line).toBe(lineContaining(content, 'spec:'));
    expect(error.message).toBe(
      `${SOURCE}: spec.checklist (line ${error.line}): is required (a list)`,
    );
  });

  it('reports an empty checklist', () => {
    const start = VALID.indexOf('  checklist:');
    const end = VALID.indexOf('  signoffs:');
    const content = `${VALID.slice(0, start)}  checklist: []\n${VALID.slice(
      end,
    )}`;
    const line = lineContaining(content, 'checklist: []');
    expect(errorOf(content).message).toBe(
      `${SOURCE}: spec.checklist (line ${line}): must have at least one item`,
    );
  });

  it('reports a bad name, wrong apiVersion and missing title', () => {
    const content = replace(
      replace(
        replace(VALID, 'name: test-gate', 'name: Test_Gate'),
        'apiVersion: release-readiness/v1',
        'apiVersion: release-readiness/v2',
      ),
      '  title: Test gate\n',
      '',
    );
    const error = errorOf(content);
    expect(error.issues.map(i => [i.path, i.line])).toEqual([
      ['apiVersion', 1],
      ['metadata.title', lineContaining(content, 'metadata:')],
      ['metadata.name', lineContaining(content, 'name: Test_Gate')],
    ]);
    expect(error.message.split('\n')).toEqual([
      `${SOURCE}: apiVersion (line 1): must be "release-readiness/v1", not "release-readiness/v2"`,
      `${SOURCE}: metadata.title (line 3): is required (a text)`,
      `${SOURCE}: metadata.name (line 4): the template name must be lower-case kebab-case, such as "unit-tests"`,
    ]);
  });

  it('reports every problem, one per line, in file order', () => {
    let content = replace(VALID, 'tier: 1', 'tier: 0');
    content = replace(content, 'rule: passed == true', 'rule: passed');
    content = replace(
      content,
      '      required: false\n',
      '      requird: false\n',
    );
    const error = errorOf(content);
    expect(error.issues.map(i => i.path)).toEqual([
      'spec.tier',
      'spec.checklist[0].automated.rule',
      'spec.checklist[1].requird',
    ]);
    expect(error.message.split('\n')).toHaveLength(3);
    expect(error.path).toBe('spec.tier');
  });

  it('reads the roll-up rules of a system template', () => {
    const content = replace(
      replace(VALID, 'tier: 1', 'tier: 2'),
      '  appliesTo:\n    - kind: Component\n      types: [service]\n',
      '  appliesTo:\n    - kind: System\n  rollup:\n    kinds: [component, resource]\n    excludeTypes: [library]\n    excludeTags: [not-shipped]\n',
    );
    expect(parseGateTemplate(content, SOURCE, HASH).rollup).toEqual({
      kinds: ['component', 'resource'],
      excludeTypes: ['library'],
      excludeTags: ['not-shipped'],
    });
  });

  it('rejects roll-up rules on a component template, and unknown or empty rules', () => {
    const onComponent = replace(
      VALID,
      '  checklist:\n',
      '  rollup:\n    excludeTypes: [library]\n  checklist:\n',
    );
    expect(errorOf(onComponent).path).toBe('spec.rollup');
    const system = replace(VALID, 'tier: 1', 'tier: 2');
    const unknown = replace(
      system,
      '  checklist:\n',
      '  rollup:\n    excludeOwners: [x]\n  checklist:\n',
    );
    expect(errorOf(unknown).message).toMatch(/excludeOwners/);
    const noKinds = replace(
      system,
      '  checklist:\n',
      '  rollup:\n    kinds: []\n  checklist:\n',
    );
    expect(errorOf(noKinds).message).toMatch(/at least one kind/);
  });

  it('rejects appliesTo on a rapid template', () => {
    const content = replace(VALID, 'tier: 1', 'tier: 1\n  rapid: true');
    const error = errorOf(content);
    expect(error.path).toBe('spec.appliesTo');
    expect(error.line).toBe(lineContaining(content, 'appliesTo:'));
  });

  it('rejects a verification window without a rollback plan', () => {
    const content = replace(
      VALID,
      '  risk:\n',
      '  risk:\n    rollbackPlan: false\n',
    );
    const error = errorOf(content);
    expect(error.path).toBe('spec.risk.rollbackVerifiedWithin');
    expect(error.message).toContain('needs "rollbackPlan: true"');
  });

  it('rejects an empty file and a file that is not a mapping', () => {
    expect(errorOf('').message).toBe(
      `${SOURCE} (line 1): is not a gate template; expected a mapping with apiVersion, kind, metadata and spec`,
    );
    expect(errorOf('- a\n- b\n').message).toBe(
      `${SOURCE} (line 1): must be a mapping of keys to values, not a list`,
    );
  });
});

describe('checkTemplateSet', () => {
  it('accepts distinct names and rejects a reused one', () => {
    const a = parseGateTemplate(VALID, 'gate-templates/a.yaml', HASH);
    const b = parseGateTemplate(
      replace(VALID, 'name: test-gate', 'name: other-gate'),
      'gate-templates/b.yaml',
      HASH,
    );
    const c = parseGateTemplate(VALID, 'gate-templates/c.yaml', HASH);
    expect(() => checkTemplateSet([a, b])).not.toThrow();
    expect(() => checkTemplateSet([a, b, c])).toThrow(GateTemplateError);
    expect(() => checkTemplateSet([a, b, c])).toThrow(
      'gate-templates/c.yaml: metadata.name: template name "test-gate" is already used by gate-templates/a.yaml; names must be unique',
    );
  });
});
