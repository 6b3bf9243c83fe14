/*
 * The gate's lifecycle is written once, in -common (lifecycle/), and the
 * frontend uses it: no component may spell out the states again, as a label
 * table or as a list of states that allow something.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap(name => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      return name === '__fixtures__' ? [] : sources(path);
    }
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

/** What a component redefining the lifecycle writes. */
const REDEFINITIONS: [string, RegExp][] = [
  ['a label for each state', /'rolled-back'\s*:\s*['"`]/],
  [
    'a list of states',
    /\[\s*'(in-progress|no-go|go|released|rolled-back|cancelled)'\s*,\s*'/,
  ],
  [
    'a state compared by hand',
    /state\s*===\s*'(in-progress|no-go)'\s*\|\|\s*[\w.?]*state\s*===\s*'/,
  ],
];

describe('the gate lifecycle in the frontend', () => {
  const root = join(__dirname, '..');

  it('is never redefined by a component', () => {
    const found = sources(root).flatMap(path => {
      const text = readFileSync(path, 'utf8');
      return REDEFINITIONS.filter(([, pattern]) => pattern.test(text)).map(
        ([what]) => `${relative(root, path)}: ${what}`,
      );
    });
    expect(found).toEqual([]);
  });

  it('would notice one', () => {
    const redefined = `const WORDS = { 'in-progress': 'In progress', 'rolled-back': 'Rolled back' };
const OPEN = ['in-progress', 'no-go'];
const open = gate.state === 'in-progress' || gate.state === 'no-go';`;
    expect(
      REDEFINITIONS.filter(([, pattern]) => pattern.test(redefined)),
    ).toHaveLength(3);
  });
});
