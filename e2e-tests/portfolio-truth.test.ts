import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, goInApp, test } from './support';

/**
 * axe-core's own script, injected into the page: @axe-core/playwright is not
 * installed, axe-core is (eslint-plugin-jsx-a11y brings it).
 */
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; html: string }[];
}

/**
 * The serious and critical violations axe-core finds in the part of the page
 * the selector names (the plugin's own content, not the app's sidebar).
 */
async function seriousViolations(page: Page, selector: string) {
  await page.addScriptTag({ content: AXE_SOURCE });
  const violations: AxeViolation[] = await page.evaluate(async include => {
    const axe = (window as any).axe;
    const results = await axe.run(
      { include: [include] },
      {
        runOnly: {
          type: 'tag',
          values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'],
        },
        rules: { 'label-content-name-mismatch': { enabled: true } },
      },
    );
    return results.violations;
  }, selector);
  return violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => ({
      id: v.id,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map(n => n.html.slice(0, 160)),
    }));
}

test.describe('the portfolio tells the truth', () => {
  test.beforeAll(async ({ people }) => {
    await people.open(['margaret-osei']);
  });

  test('every link of the portfolio leads to a page that exists', async ({
    people,
  }) => {
    const page = await people.page('margaret-osei');
    await goInApp(page, '/release-readiness');
    await expect(
      page.getByRole('heading', { name: 'Release readiness portfolio' }),
    ).toBeVisible();
    await expect(
      page.getByRole('link', { name: 'payment-gateway' }).first(),
    ).toBeVisible();
    await expect(
      page.getByRole('table', { name: 'Systems and their components' }),
    ).toBeVisible();

    const hrefs: string[] = await page
      .locator('main a[href^="/"]')
      .evaluateAll(links =>
        links.map(link => (link as HTMLAnchorElement).getAttribute('href')!),
      );
    // One link of each shape (a component's tab, a system's page, …) and a
    // handful of each, so that the walk stays short on a small machine.
    const shape = (href: string) =>
      href.replace(/\/catalog\/([^/]+)\/([^/]+)\/[^/?#]+/, '/catalog/$1/$2/*');
    const seen = new Map<string, number>();
    const toVisit = [...new Set(hrefs)].filter(href => {
      const n = seen.get(shape(href)) ?? 0;
      seen.set(shape(href), n + 1);
      return n < 3;
    });
    expect(toVisit.some(h => /\/component\/.+\/readiness$/.test(h))).toBe(true);
    // The tier view links each system to its Readiness tab, where its
    // roll-up is (System and Domain pages have the tab): visited below.
    expect(
      toVisit.some(h =>
        /\/catalog\/default\/system\/[^/]+\/readiness$/.test(h),
      ),
    ).toBe(true);

    for (const href of toVisit) {
      await goInApp(page, href);
      await expect(
        page.getByText(/page not found|ERROR 404/i),
        `${href} should be a page that exists`,
      ).toHaveCount(0);
      await expect(page.locator('main').first()).toBeVisible();
    }
  });

  test('released and rolled-back releases show their final state, never a NO-GO with a score', async ({
    people,
  }) => {
    const page = await people.page('margaret-osei');
    await goInApp(page, '/release-readiness?state=released');
    const table = page.getByRole('table', { name: 'Services by team' });
    await expect(table).toBeVisible();
    const rows = table.locator('tbody tr:has(a)');
    const count = await rows.count();
    for (let i = 0; i < count; i++) {
      const cells = rows.nth(i).locator('td');
      // State, outcome, score and blockers.
      await expect(cells.nth(4)).toHaveText('Released');
      await expect(cells.nth(5)).toHaveText('Released');
      await expect(cells.nth(6)).toHaveText('');
      await expect(cells.nth(7)).toHaveText('');
    }
    await goInApp(page, '/release-readiness?state=rolled-back');
    await expect(table).toBeVisible();
    await expect(table.getByText('NO-GO', { exact: true })).toHaveCount(0);
  });

  test('the tiles name their range and the caught list is counted by its own total', async ({
    people,
  }) => {
    const page = await people.page('margaret-osei');
    await goInApp(page, '/release-readiness');
    const leadTime = page.getByRole('region', { name: 'Median lead time' });
    await expect(leadTime).toContainText(/\d{4}-\d{2} to \d{4}-\d{2}/);
    await expect(leadTime).not.toContainText(/^0 h/);
    const status = page
      .getByRole('list', { name: 'Releases stopped by a NO-GO' })
      .locator('xpath=following::*[@role="status"][1]');
    const total = Number(
      /of (\d+)/.exec((await status.textContent()) ?? '')?.[1],
    );
    await expect(
      page.getByText(new RegExp(`^${total} releases? stopped by a NO-GO`)),
    ).toBeVisible();
  });

  test('axe-core finds no serious or critical violation on the portfolio', async ({
    people,
  }) => {
    const page = await people.page('margaret-osei');
    await goInApp(page, '/release-readiness');
    await expect(
      page.getByRole('link', { name: 'payment-gateway' }).first(),
    ).toBeVisible();
    await expect(page.getByText('Gate lead time')).toBeVisible();
    expect(await seriousViolations(page, 'main')).toEqual([]);
  });

  test('axe-core finds no serious or critical violation on the overview card', async ({
    people,
  }) => {
    const page = await people.page('margaret-osei');
    await goInApp(page, '/catalog/default/component/payment-gateway');
    const card = page
      .locator('.MuiCard-root')
      .filter({ hasText: 'Release readiness' })
      .first();
    await expect(card).toBeVisible();
    await card.evaluate(element =>
      element.setAttribute('data-axe-scope', 'readiness-card'),
    );
    expect(
      await seriousViolations(page, '[data-axe-scope="readiness-card"]'),
    ).toEqual([]);
  });
});
