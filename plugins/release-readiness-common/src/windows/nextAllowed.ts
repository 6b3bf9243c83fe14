import { ReleaseWindow } from '../types';
import { nextOccurrence, windowAt } from './occurrences';
import { validateWindow } from './validate';

/**
 * The first time a release may go out: outside every freeze and, when
 * release trains apply, inside one of them.
 *
 * @public
 */
export interface AllowedSlot {
  /** The first allowed instant at or after the time asked about. */
  start: Date;
  /** Where the slot ends (a train closing, a freeze starting), if it does. */
  end?: Date;
}

/** How many hops between freezes and trains before giving up. */
const MAX_HOPS = 500;

/**
 * The next allowed release slot at or after `after`, given the windows that
 * apply to the gate's entity (invalid windows are left out: the evaluation
 * reports them). Undefined when none is found within `MAX_HOPS` (500) hops,
 * or when trains apply and none occurs again. Exceptions are not taken into
 * account: this is the slot that needs none.
 *
 * @public
 */
export function nextAllowedSlot(
  windows: readonly ReleaseWindow[],
  after: Date,
): AllowedSlot | undefined {
  const valid = windows.filter(w => validateWindow(w).length === 0);
  const freezes = valid.filter(w => w.kind === 'freeze');
  const trains = valid.filter(w => w.kind === 'train');
  let next = after;
  for (let hop = 0; hop < MAX_HOPS; hop += 1) {
    const at = next;
    const frozen = freezes
      .map(f => windowAt(f, at))
      .filter((o): o is NonNullable<typeof o> => Boolean(o));
    if (frozen.length) {
      next = new Date(Math.max(...frozen.map(o => o.end.getTime())));
      continue;
    }
    if (trains.length) {
      const open = trains
        .map(t => windowAt(t, at))
        .filter((o): o is NonNullable<typeof o> => Boolean(o));
      if (!open.length) {
        const starts = trains
          .map(t => nextOccurrence(t, at)?.start.getTime())
          .filter((t): t is number => t !== undefined);
        if (!starts.length) return undefined;
        next = new Date(Math.min(...starts));
        continue;
      }
      const trainEnd = Math.max(...open.map(o => o.end.getTime()));
      return { start: at, end: new Date(slotEnd(freezes, at, trainEnd)) };
    }
    const freezeStart = slotEnd(freezes, at, Infinity);
    return Number.isFinite(freezeStart)
      ? { start: at, end: new Date(freezeStart) }
      : { start: at };
  }
  return undefined;
}

/** The earlier of `limit` and the start of the next freeze after `at`. */
function slotEnd(freezes: ReleaseWindow[], at: Date, limit: number): number {
  const starts = freezes
    .map(f => nextOccurrence(f, at)?.start.getTime())
    .filter((t): t is number => t !== undefined && t < limit);
  return starts.length ? Math.min(...starts) : limit;
}
