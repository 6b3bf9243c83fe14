import {
  DEFAULT_ROLLUP_EXCLUSION_RULES,
  rollupExcludedRefs,
  rollupExclusion,
  rollupPartKinds,
  rollupRulesFor,
} from './rollupExclusion';

const system = { kind: 'System', namespace: 'default' };

describe('rollupExcludedRefs', () => {
  it('reads names in the whole namespace, refs as written, in lower case', () => {
    expect([
      ...rollupExcludedRefs(
        ' Comp-A, ,comp-b ,component:other/comp-c, billing/comp-d',
        system,
      ),
    ]).toEqual([
      'component:default/comp-a',
      'component:default/comp-b',
      'component:other/comp-c',
      'component:billing/comp-d',
    ]);
  });

  it('takes the names of a domain as systems', () => {
    expect([
      ...rollupExcludedRefs('legacy', { kind: 'Domain', namespace: 'x' }),
    ]).toEqual(['system:x/legacy']);
  });

  it('is empty without the annotation', () => {
    expect(rollupExcludedRefs(undefined, system).size).toBe(0);
    expect(rollupExcludedRefs('', system).size).toBe(0);
  });
});

describe('rollupExclusion', () => {
  const none = new Set<string>();
  const part = (extra: { type?: string; lifecycle?: string } = {}) => ({
    entityRef: 'component:default/a',
    ...extra,
  });

  it('counts services in production', () => {
    expect(
      rollupExclusion(part({ type: 'service', lifecycle: 'production' }), none),
    ).toBeUndefined();
    expect(rollupExclusion(part(), none)).toBeUndefined();
  });

  it('leaves out libraries, deprecated and experimental parts by default', () => {
    expect(rollupExclusion(part({ type: 'library' }), none)).toBe(
      'its type is library (released on its own)',
    );
    expect(rollupExclusion(part({ lifecycle: 'Deprecated' }), none)).toBe(
      'its lifecycle is Deprecated',
    );
    expect(rollupExclusion(part({ lifecycle: 'experimental' }), none)).toBe(
      'its lifecycle is experimental',
    );
  });

  it('leaves out what the annotation names, first', () => {
    expect(
      rollupExclusion(
        part({ type: 'library' }),
        new Set(['component:default/a']),
      ),
    ).toBe('named in the release-readiness/rollup-exclude annotation');
  });

  it('follows configured types and lifecycles instead of the defaults', () => {
    const rules = { types: ['sdk'], lifecycles: [] };
    expect(rollupExclusion(part({ type: 'library' }), none, rules)).toBe(
      undefined,
    );
    expect(rollupExclusion(part({ type: 'SDK' }), none, rules)).toBe(
      'its type is SDK (released on its own)',
    );
    expect(
      rollupExclusion(part({ lifecycle: 'deprecated' }), none, rules),
    ).toBeUndefined();
    expect(DEFAULT_ROLLUP_EXCLUSION_RULES.types).toEqual(['library']);
  });
});

describe('rollup rules from a template', () => {
  it('leaves out parts with a tag the rules name, in any case', () => {
    const rules = rollupRulesFor(DEFAULT_ROLLUP_EXCLUSION_RULES, {
      excludeTags: ['Not-Shipped'],
    });
    expect(
      rollupExclusion(
        { entityRef: 'component:default/a', tags: ['pci', 'not-shipped'] },
        new Set(),
        rules,
      ),
    ).toBe('it is tagged not-shipped');
    expect(
      rollupExclusion(
        { entityRef: 'component:default/a', tags: ['pci'] },
        new Set(),
        rules,
      ),
    ).toBeUndefined();
  });

  it("replaces each list the template gives, keeping the app's others", () => {
    const app = {
      types: ['library', 'sdk'],
      lifecycles: ['deprecated'],
      tags: ['x'],
    };
    expect(rollupRulesFor(app, undefined)).toEqual(app);
    expect(
      rollupRulesFor(app, {
        excludeTypes: [],
        kinds: ['component', 'resource'],
      }),
    ).toEqual({
      types: [],
      lifecycles: ['deprecated'],
      tags: ['x'],
      kinds: ['component', 'resource'],
    });
    // With no type rule left, a library counts.
    expect(
      rollupExclusion(
        { entityRef: 'component:default/lib', type: 'library' },
        new Set(),
        rollupRulesFor(app, { excludeTypes: [] }),
      ),
    ).toBeUndefined();
  });

  it('counts components for a system and systems for a domain unless the template names kinds', () => {
    expect(rollupPartKinds('System')).toEqual(['component']);
    expect(rollupPartKinds('domain')).toEqual(['system']);
    expect(
      rollupPartKinds('system', {
        ...DEFAULT_ROLLUP_EXCLUSION_RULES,
        kinds: ['Component', 'Resource'],
      }),
    ).toEqual(['component', 'resource']);
  });
});
