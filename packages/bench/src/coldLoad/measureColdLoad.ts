/*
 * One cold load of an entity's Readiness tab, in a fresh browser context: no
 * HTTP cache, no cookies, only the demo person the sign-in page remembers
 * (as after a first visit), so the app signs them in through the backend's
 * demo provider while it loads. The clock is the page's own: from navigation
 * start (`performance.timeOrigin`) to the frame in which the tab's verdict
 * (GateHeader's `gate-verdict`) is first drawn with its text, as a
 * MutationObserver installed before any script of the page sees it.
 */
import type { Browser } from '@playwright/test';

/** Where the demo sign-in page remembers the person chosen. */
const DEMO_USER_KEY = 'release-readiness:demo-user';

/** What one request of the page cost, from the browser's resource timing. */
export interface LoadedResource {
  url: string;
  kind: string;
  startMs: number;
  endMs: number;
  /** Bytes over the wire (headers and compressed body). */
  transferBytes: number;
  /** The body as the browser decoded it. */
  bodyBytes: number;
}

/** One cold load, in milliseconds from navigation start. */
export interface ColdLoad {
  verdictMs: number;
  verdict: string;
  /** The HTML document's response ended. */
  documentMs: number;
  /** The scripts of index.html ran (DOMContentLoaded). */
  domContentLoadedMs: number;
  /**
   * The catalog's answer for the entity arrived: what came before it is the
   * app and the catalog's entity page, what comes after it is the tab.
   */
  entityMs?: number;
  /** Every request the page made before the verdict was drawn. */
  resources: LoadedResource[];
}

declare global {
  interface Window {
    __coldLoadVerdict?: { at: number; text: string };
  }
}

/** Installed before the page's scripts: notes when the verdict is drawn. */
function watchForVerdict() {
  const observer = new MutationObserver(() => {
    const element = document.querySelector('[data-testid="gate-verdict"]');
    const text = element?.textContent?.trim();
    if (text) {
      observer.disconnect();
      // The callback of the next frame runs just before that frame is drawn.
      requestAnimationFrame(() => {
        window.__coldLoadVerdict = { at: performance.now(), text };
      });
    }
  });
  observer.observe(document, { childList: true, subtree: true });
}

/** Loads `url` cold as `user` (a demo person's entity ref) and measures it. */
export async function measureColdLoad(
  browser: Browser,
  options: { appUrl: string; url: string; user: string; timeoutMs: number },
): Promise<ColdLoad> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: 'en-GB',
    timezoneId: 'UTC',
    storageState: {
      cookies: [],
      origins: [
        {
          origin: new URL(options.appUrl).origin,
          localStorage: [{ name: DEMO_USER_KEY, value: options.user }],
        },
      ],
    },
  });
  try {
    const page = await context.newPage();
    await page.addInitScript(watchForVerdict);
    await page.goto(options.url, { waitUntil: 'commit' });
    await page.waitForFunction(() => window.__coldLoadVerdict, undefined, {
      timeout: options.timeoutMs,
      polling: 50,
    });
    return await page.evaluate(() => {
      const { at, text } = window.__coldLoadVerdict!;
      const [navigation] = performance.getEntriesByType(
        'navigation',
      ) as PerformanceNavigationTiming[];
      const resources = (
        performance.getEntriesByType('resource') as PerformanceResourceTiming[]
      )
        .filter(r => r.startTime <= at)
        .map(r => ({
          url: r.name,
          kind: r.initiatorType,
          startMs: Math.round(r.startTime),
          endMs: Math.round(r.responseEnd),
          transferBytes: r.transferSize,
          bodyBytes: r.decodedBodySize,
        }));
      const entity = resources.find(r =>
        r.url.includes('/api/catalog/entities/by-name/'),
      );
      return {
        verdictMs: Math.round(at),
        entityMs: entity?.endMs,
        verdict: text,
        documentMs: Math.round(navigation.responseEnd),
        domContentLoadedMs: Math.round(navigation.domContentLoadedEventEnd),
        resources,
      };
    });
  } finally {
    await context.close();
  }
}
