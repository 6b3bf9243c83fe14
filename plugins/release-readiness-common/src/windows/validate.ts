import { ReleaseWindow } from '../types';
import {
  cronProblem,
  durationProblem,
  given,
  isKnownZone,
  parseTimestamp,
} from './schedule';

/**
 * What is wrong with a release window, one problem per entry, each starting
 * with the field concerned (`cron: …`, `duration: …`, `timezone: …`, `from: …`,
 * `to: …`, `scope: …`, `approvers: …`, `name: …`). Empty when the window is
 * valid. A window is either recurring — `cron` and `duration`, optionally
 * `timezone` (default UTC) — or one-off — `from` before `to` — never both.
 * The `kind` is left to the caller's schema.
 *
 * @public
 */
export function validateWindow(window: ReleaseWindow): string[] {
  const problems: string[] = [];
  if (!given(window.name)) {
    problems.push(
      'name: a window needs a name people recognise, e.g. "Year-end freeze"',
    );
  }

  const recurring = given(window.cron) || given(window.duration);
  const oneOff = given(window.from) || given(window.to);
  if (recurring && oneOff) {
    problems.push(
      'from: a window is either recurring (cron and duration) or one-off (from and to), not both; remove one pair',
    );
  } else if (!recurring && !oneOff) {
    problems.push(
      'cron: a window needs either cron and duration (recurring, e.g. "0 10 * * 2,4" for PT2H) or from and to (one-off)',
    );
  }

  if (given(window.cron)) {
    const problem = cronProblem(window.cron);
    if (problem) {
      problems.push(`cron: ${problem}`);
    }
  } else if (recurring && !oneOff) {
    problems.push(
      'cron: a recurring window needs a cron expression for when each occurrence starts, e.g. "0 10 * * 2,4"',
    );
  }
  if (given(window.duration)) {
    const problem = durationProblem(window.duration);
    if (problem) {
      problems.push(`duration: ${problem}`);
    }
  } else if (recurring && !oneOff) {
    problems.push(
      'duration: a recurring window needs how long each occurrence lasts, as an ISO 8601 duration such as PT2H',
    );
  }
  if (given(window.timezone) && !isKnownZone(window.timezone)) {
    problems.push(
      `timezone: unknown time zone "${window.timezone}"; use an IANA name such as Europe/London or UTC`,
    );
  }

  const from = parseTimestamp(window.from);
  const to = parseTimestamp(window.to);
  for (const [field, value, parsed] of [
    ['from', window.from, from],
    ['to', window.to, to],
  ] as const) {
    if (given(value) && parsed === undefined) {
      problems.push(
        `${field}: "${value}" is not an ISO 8601 timestamp such as 2026-12-24T00:00:00Z`,
      );
    } else if (!given(value) && oneOff && !recurring) {
      problems.push(
        `${field}: a one-off window needs both from and to; ${field} is missing`,
      );
    }
  }
  if (from !== undefined && to !== undefined && !(from < to)) {
    problems.push(
      `to: must be after from (from ${window.from}, to ${window.to})`,
    );
  }

  const scope = window.scope ?? {};
  if (
    !scope.all &&
    !scope.systems?.length &&
    !scope.entities?.length &&
    !scope.tags?.length
  ) {
    problems.push(
      'scope: the window applies to nothing; set all: true or list systems, entities or tags',
    );
  }
  for (const approver of window.approvers ?? []) {
    if (!/^(group|user):[^/\s]+\/\S+$/i.test(approver.trim())) {
      problems.push(
        `approvers: "${approver}" is not a full user or group ref such as group:default/release-management`,
      );
    }
  }
  return problems;
}
