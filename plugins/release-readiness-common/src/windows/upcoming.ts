import { ReleaseWindow } from '../types';
import { nextOccurrence, windowAt, WindowOccurrence } from './occurrences';

/**
 * The freeze or train of a kind that matters now: the occurrence open at
 * `now` (a freeze in force, a train departing), else the earliest one to
 * start after `now`; undefined when none of `windows` of that kind has one.
 * Callers pass the windows that apply to the entity (the backend's
 * `GET /windows?entityRef=`, the evaluation's own scope matching).
 *
 * @public
 */
export function upcomingWindow(
  windows: ReleaseWindow[],
  kind: ReleaseWindow['kind'],
  now: Date,
):
  | { window: ReleaseWindow; occurrence: WindowOccurrence; open: boolean }
  | undefined {
  let best:
    | { window: ReleaseWindow; occurrence: WindowOccurrence; open: boolean }
    | undefined;
  for (const window of windows) {
    if (window.kind !== kind) continue;
    const current = windowAt(window, now);
    const candidate = current
      ? { window, occurrence: current, open: true }
      : (() => {
          const next = nextOccurrence(window, now);
          return next ? { window, occurrence: next, open: false } : undefined;
        })();
    if (!candidate) continue;
    // An open one comes before any to come; among open ones, the one that
    // lasts longest; among those to come, the one that starts first.
    if (
      !best ||
      (candidate.open && !best.open) ||
      (candidate.open &&
        best.open &&
        candidate.occurrence.end > best.occurrence.end) ||
      (!candidate.open &&
        !best.open &&
        candidate.occurrence.start < best.occurrence.start)
    ) {
      best = candidate;
    }
  }
  return best;
}
