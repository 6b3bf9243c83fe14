/*
 * The gate's lifecycle and the vote-eligibility rule are written once, in
 * -common (lifecycle/, evaluation/eligibility.ts), and the frontend uses
 * them: no component may spell out the states again, as a label table or as
 * a list of states that allow something, nor decide by itself who may vote.
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
  ['who may vote, decided by hand', /eligible\??\.(gateOwners|groups|users)/],
  ['who may vote, in its own words', /can sign off as/],
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
const open = gate.state === 'in-progress' || gate.state === 'no-go';
if (role.eligible.gateOwners && mine(gateOwners)) return true;
<p>Only the gate owners can sign off as {role.title}.</p>`;
    expect(
      REDEFINITIONS.filter(([, pattern]) => pattern.test(redefined)),
    ).toHaveLength(REDEFINITIONS.length);
  });
});
