import { DateTime } from 'luxon';
import {
  Blocker,
  ConditionResult,
  EvaluationInput,
  Gate,
  ReleaseWindow,
  WindowException,
} from '../types';
import {
  exceptionApproved,
  missingApprovers,
  nextOccurrence,
  validateWindow,
  windowAt,
} from '../windows';
import { conditionResult } from './conditions';
import { formatUtc, parseInstant } from './time';

/**
 * An instant of a window in its own time zone, when that is not UTC:
 * `16:00 in America/New_York`, with the date when it differs from the UTC one.
 * Undefined for one-off windows and windows kept in UTC.
 */
function localTime(instant: Date, window: ReleaseWindow): string | undefined {
  const zone = window.timezone?.trim();
  if (!zone || window.from || window.to) {
    return undefined;
  }
  const local = DateTime.fromJSDate(instant, { zone });
  if (!local.isValid || local.offset === 0) {
    return undefined;
  }
  const sameDay =
    local.toISODate() ===
    DateTime.fromJSDate(instant, { zone: 'utc' }).toISODate();
  return `${local.toFormat(sameDay ? 'HH:mm' : 'yyyy-MM-dd HH:mm')} in ${zone}`;
}

function joinWords(parts: string[]): string {
  if (parts.length <= 1) {
    return parts[0] ?? '';
  }
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

function quoted(window: ReleaseWindow): string {
  return `'${window.name}'`;
}

/**
 * Who still has to approve an exception to `window` for the gate, in words:
 * "get an exception approved by A and B" or, once some approved, "complete
 * the exception: still missing approval by B (A approved)".
 */
function exceptionRemedy(
  window: ReleaseWindow,
  exceptions: WindowException[],
  gateId: string,
): string {
  const missing = missingApprovers(window, exceptions, gateId);
  const covered = window.approvers.filter(
    approver => approver.trim() && !missing.includes(approver),
  );
  if (!covered.length) {
    return `get an exception approved by ${joinWords(missing)}`;
  }
  return `complete the exception: still missing approval by ${joinWords(
    missing,
  )} (${joinWords(covered)} approved)`;
}

function hasApprovers(window: ReleaseWindow): boolean {
  return window.approvers.some(approver => approver.trim());
}

/**
 * The instant a window check is about and how its messages speak of it: the
 * gate's planned time ("move the release") or the moment the release would
 * go out ("now": wait, or get an exception).
 */
interface Moment {
  instant: Date;
  /** The subject of the sentence: "The planned time 2026-12-24 10:00 UTC". */
  subject: string;
  /** What to do about a freeze, before "or get an exception …". */
  leaveFreeze: string;
  /** What to do about being outside the trains, before "or …". */
  enterTrain: (oneTrain: boolean) => string;
}

function plannedMoment(planned: Date): Moment {
  return {
    instant: planned,
    subject: `The planned time ${formatUtc(planned)}`,
    leaveFreeze: 'move the release',
    enterTrain: one =>
      one ? 'move the release into the train' : 'move the release into a train',
  };
}

function nowMoment(now: Date): Moment {
  return {
    instant: now,
    subject: `Now (${formatUtc(now)})`,
    leaveFreeze: 'wait until the freeze ends',
    enterTrain: one =>
      one ? 'wait for the train to open' : 'wait for a train to open',
  };
}

function freezeMessage(
  moment: Moment,
  freeze: ReleaseWindow,
  end: Date,
  exceptions: WindowException[],
  gateId: string,
): string {
  const where = `${moment.subject} is inside the freeze ${quoted(
    freeze,
  )} (until ${[formatUtc(end), localTime(end, freeze)]
    .filter(Boolean)
    .join(', ')})`;
  if (!hasApprovers(freeze)) {
    return `${where}; ${moment.leaveFreeze}: this freeze names nobody who may approve an exception`;
  }
  return `${where}; ${moment.leaveFreeze} or ${exceptionRemedy(
    freeze,
    exceptions,
    gateId,
  )}`;
}

function trainMessage(
  moment: Moment,
  trains: ReleaseWindow[],
  exceptions: WindowException[],
  gateId: string,
): string {
  const at = moment.instant;
  let next: { train: ReleaseWindow; start: Date } | undefined;
  for (const train of trains) {
    const occurrence = nextOccurrence(train, at);
    if (occurrence && (!next || occurrence.start < next.start)) {
      next = { train, start: occurrence.start };
    }
  }
  const where = `${moment.subject} is outside every release train`;
  const when = next
    ? `the next train ${quoted(next.train)} opens ${formatUtc(next.start)}${
        localTime(next.start, next.train)
          ? ` (${localTime(next.start, next.train)})`
          : ''
      }`
    : 'no release train opens after it';

  const exceptable = trains.filter(hasApprovers);
  let remedy: string;
  if (!exceptable.length) {
    remedy = moment.enterTrain(false);
  } else if (exceptable.length === 1 && trains.length === 1) {
    remedy = `${moment.enterTrain(true)} or ${exceptionRemedy(
      exceptable[0],
      exceptions,
      gateId,
    )}`;
  } else {
    const options = exceptable.map(
      train =>
        `for ${quoted(train)}, ${exceptionRemedy(train, exceptions, gateId)}`,
    );
    remedy = `${moment.enterTrain(
      false,
    )} or get an exception to one of them: ${options.join('; or ')}`;
  }
  return `${where}; ${when}; ${remedy}`;
}

/**
 * What the windows (already checked valid) say of one moment: inside no
 * freeze without an approved exception, and inside a train (or with an
 * exception to one) when any train applies.
 */
function momentMessages(
  moment: Moment,
  valid: ReleaseWindow[],
  exceptions: WindowException[],
  gateId: string,
): string[] {
  const messages: string[] = [];
  for (const freeze of valid.filter(w => w.kind === 'freeze')) {
    const occurrence = windowAt(freeze, moment.instant);
    if (occurrence && !exceptionApproved(freeze, exceptions, gateId)) {
      messages.push(
        freezeMessage(moment, freeze, occurrence.end, exceptions, gateId),
      );
    }
  }
  const trains = valid.filter(w => w.kind === 'train');
  if (
    trains.length &&
    !trains.some(train => windowAt(train, moment.instant)) &&
    !trains.some(train => exceptionApproved(train, exceptions, gateId))
  ) {
    messages.push(trainMessage(moment, trains, exceptions, gateId));
  }
  return messages;
}

/**
 * Condition 7: the planned release time is inside no freeze and — when any
 * release train applies — inside an occurrence of at least one train, unless
 * an exception to that window was approved by every approver it names. The
 * windows given are those that apply to the gate's entity; without any, the
 * condition is met. A window that cannot be checked (invalid) blocks, as
 * does a gate without a planned time while windows apply.
 *
 * @public
 */
export function evaluateWindow(
  gate: Pick<Gate, 'id' | 'release' | 'plannedAt'>,
  input: EvaluationInput['windows'],
): ConditionResult {
  const windows = input?.windows ?? [];
  if (!windows.length) {
    return conditionResult('window', 1, []);
  }
  const exceptions = input?.exceptions ?? [];
  const messages: string[] = [];

  const valid: ReleaseWindow[] = [];
  for (const window of windows) {
    const problems = validateWindow(window);
    if (problems.length) {
      messages.push(
        `The release window ${quoted(
          window,
        )} cannot be checked (${problems.join(
          '; ',
        )}); ask a release manager to fix it`,
      );
    } else {
      valid.push(window);
    }
  }

  const plannedMs = parseInstant(gate.plannedAt);
  if (plannedMs === undefined) {
    const names = joinWords(windows.map(quoted));
    messages.unshift(
      gate.plannedAt
        ? `The planned release time "${gate.plannedAt}" is not a valid time; set when release ${gate.release} will go out (ISO 8601) so that the release windows ${names} can be checked`
        : `No planned release time is set; set when release ${gate.release} will go out so that the release windows ${names} can be checked`,
    );
  } else {
    messages.push(
      ...momentMessages(
        plannedMoment(new Date(plannedMs)),
        valid,
        exceptions,
        gate.id,
      ),
    );
  }

  const blockers: Blocker[] = messages.map(message => ({
    condition: 'window',
    message,
  }));
  return conditionResult('window', 0, blockers);
}

/**
 * The release windows at the moment a release would go out, `now`, rather
 * than at its planned time: a freeze that is active now (with no approved
 * exception) blocks, and so does being outside every release train that
 * applies. Asked when a pipeline or a person asks whether a recorded GO may
 * go out (see `goHold`); a window that cannot be checked is reported by the
 * window condition already and is left out here.
 *
 * @public
 */
export function evaluateWindowNow(
  gate: Pick<Gate, 'id'>,
  input: EvaluationInput['windows'],
  now: Date,
): { met: boolean; blockers: Blocker[] } {
  const valid = (input?.windows ?? []).filter(
    window => validateWindow(window).length === 0,
  );
  const blockers: Blocker[] = momentMessages(
    nowMoment(now),
    valid,
    input?.exceptions ?? [],
    gate.id,
  ).map(message => ({ condition: 'window', message }));
  return { met: blockers.length === 0, blockers };
}
