import { ConfigReader } from '@backstage/config';
import { proposeRelease, readRollupRules } from './rollup';

describe('readRollupRules', () => {
  it('leaves out libraries, deprecated and experimental parts by default', () => {
    expect(readRollupRules(new ConfigReader({}))).toEqual({
      types: ['library'],
      lifecycles: ['deprecated', 'experimental'],
      tags: [],
    });
  });

  it('takes each list from the config, an empty one leaving nothing out', () => {
    expect(
      readRollupRules(
        new ConfigReader({
          releaseReadiness: {
            rollup: {
              excludeTypes: ['library', 'sdk'],
              excludeLifecycles: [],
              excludeTags: ['not-shipped'],
            },
          },
        }),
      ),
    ).toEqual({
      types: ['library', 'sdk'],
      lifecycles: [],
      tags: ['not-shipped'],
    });
  });
});

describe('proposeRelease', () => {
  it('proposes the release most parts are on, the newest on a tie', () => {
    expect(proposeRelease(['1.2', '1.10', '1.2', undefined])).toBe('1.2');
    expect(proposeRelease(['1.9', '1.10'])).toBe('1.10');
    expect(proposeRelease([undefined])).toBeUndefined();
  });
});
