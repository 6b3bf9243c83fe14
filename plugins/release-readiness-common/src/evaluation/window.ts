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
import { parseInstant } from './time';

/** An instant for people: `2026-12-24 10:00 UTC`. */
function formatUtc(instant: Date): string {
  return DateTime.fromJSDate(instant, { zone: 'utc' }).toFormat(
    "yyyy-MM-dd HH:mm 'UTC'",
  );
}

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

function freezeMessage(
  planned: Date,
  freeze: ReleaseWindow,
  end: Date,
  exceptions: WindowException[],
  gateId: string,
): string {
  const where = `The planned time ${formatUtc(
    planned,
  )} is inside the freeze ${quoted(freeze)} (until ${[
    formatUtc(end),
    localTime(end, freeze),
  ]
    .filter(Boolean)
    .join(', ')})`;
  if (!hasApprovers(freeze)) {
    return `${where}; move the release: this freeze names nobody who may approve an exception`;
  }
  return `${where}; move the release or ${exceptionRemedy(
    freeze,
    exceptions,
    gateId,
  )}`;
}

function trainMessage(
  planned: Date,
  trains: ReleaseWindow[],
  exceptions: WindowException[],
  gateId: string,
): string {
  let next: { train: ReleaseWindow; start: Date } | undefined;
  for (const train of trains) {
    const occurrence = nextOccurrence(train, planned);
    if (occurrence && (!next || occurrence.start < next.start)) {
      next = { train, start: occurrence.start };
    }
  }
  const where = `The planned time ${formatUtc(
    planned,
  )} is outside every release train`;
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
    remedy = 'move the release into a train';
  } else if (exceptable.length === 1 && trains.length === 1) {
    remedy = `move the release into the train or ${exceptionRemedy(
      exceptable[0],
      exceptions,
      gateId,
    )}`;
  } else {
    const options = exceptable.map(
      train =>
        `for ${quoted(train)}, ${exceptionRemedy(train, exceptions, gateId)}`,
    );
    remedy = `move the release into a train or get an exception to one of them: ${options.join(
      '; or ',
    )}`;
  }
  return `${where}; ${when}; ${remedy}`;
}

/**
 * Condition 7: the planned release time is inside no freeze and — when any
 * release train applies — inside an occurrence of at least one train, unless
 * an exception to that window was approved by every approver it names. The
 * windows given are those that apply to the gate's entity; without any, the
 * condition is met. A window that cannot be checked (invalid) blocks, as
 * does a gate without a planned time while windows apply.
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
    const planned = new Date(plannedMs);
    for (const freeze of valid.filter(w => w.kind === 'freeze')) {
      const occurrence = windowAt(freeze, planned);
      if (occurrence && !exceptionApproved(freeze, exceptions, gate.id)) {
        messages.push(
          freezeMessage(planned, freeze, occurrence.end, exceptions, gate.id),
        );
      }
    }
    const trains = valid.filter(w => w.kind === 'train');
    if (
      trains.length &&
      !trains.some(train => windowAt(train, planned)) &&
      !trains.some(train => exceptionApproved(train, exceptions, gate.id))
    ) {
      messages.push(trainMessage(planned, trains, exceptions, gate.id));
    }
  }

  const blockers: Blocker[] = messages.map(message => ({
    condition: 'window',
    message,
  }));
  return conditionResult('window', 0, blockers);
}
