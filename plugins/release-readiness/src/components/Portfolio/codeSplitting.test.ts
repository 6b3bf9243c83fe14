/*
 * The portfolio's charts (and recharts, the charting library) must not load
 * with an entity's Readiness tab or overview card: the bundler puts what a
 * module imports statically in the same chunk, so no static import path may
 * lead from the tab or the card to recharts, and the portfolio page imports
 * its charts only dynamically (React.lazy).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const SRC = join(__dirname, '..', '..');

/** The static imports of a source file: relative ones resolved, others by name. */
function staticImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found = [
    ...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/gms),
  ].map(m => m[1]);
  return found.map(spec => {
    if (!spec.startsWith('.')) return spec;
    const base = resolve(dirname(file), spec);
    for (const candidate of [
      `${base}.ts`,
      `${base}.tsx`,
      join(base, 'index.ts'),
      join(base, 'index.tsx'),
    ]) {
      if (existsSync(candidate)) return candidate;
    }
    throw new Error(`${file}: cannot resolve ${spec}`);
  });
}

/** Everything reachable from an entry through static imports. */
function reachable(entry: string): Set<string> {
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length) {
    const next = queue.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    if (next.startsWith('/')) queue.push(...staticImports(next));
  }
  return seen;
}

describe('code splitting', () => {
  const tab = join(SRC, 'components', 'ReadinessContent', 'index.ts');
  const card = join(SRC, 'components', 'EntityReadinessCard', 'index.ts');
  const page = join(SRC, 'components', 'Portfolio', 'PortfolioPage.tsx');
  const charts = join(SRC, 'components', 'Portfolio', 'PortfolioCharts.tsx');

  it('keeps recharts and the charts out of the tab and the card', () => {
    for (const entry of [tab, card]) {
      const modules = reachable(entry);
      expect(modules.has('recharts')).toBe(false);
      expect(modules.has(charts)).toBe(false);
    }
  });

  it('loads the charts with the portfolio only, lazily', () => {
    expect(reachable(page).has(charts)).toBe(false);
    expect(reachable(page).has('recharts')).toBe(false);
    expect(readFileSync(page, 'utf8')).toMatch(
      /lazy\(\(\) =>\s*import\('\.\/PortfolioCharts'\)/,
    );
    // The walk does see recharts where it is imported.
    expect(reachable(charts).has('recharts')).toBe(true);
  });
});
