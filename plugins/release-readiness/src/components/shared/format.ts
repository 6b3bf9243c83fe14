/*
 * How the Readiness tab and the portfolio write times and gate states. Every
 * component takes its words from here; the state labels are the translation
 * ref's (gateState.*), in English the same words as -common's lifecycle
 * labels, so the backend's messages and the screens agree.
 */
import {
  GATE_STATE_LABELS,
  GateOutcome,
  GateState,
} from '@release-readiness/plugin-common';
import type { ReleaseReadinessT } from '../../translation';

function parse(iso: string): Date | undefined {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/**
 * A timestamp in the reader's locale and time zone (`Jun 20, 2030, 4:00 PM`);
 * empty when there is none, the text itself when it is not a time.
 */
export function formatTime(iso: string | undefined): string {
  if (!iso) {
    return '';
  }
  return (
    parse(iso)?.toLocaleString(undefined, {
      dateStyle: 'medium',
      timeStyle: 'short',
    }) ?? iso
  );
}

/**
 * A timestamp in UTC, the same for every reader:
 * `2030-06-12T08:10:00.000Z` → `2030-06-12 08:10 UTC`. Used where times are
 * compared with CI logs and evidence, which are written in UTC.
 */
export function formatTimeUtc(iso: string | undefined): string {
  if (!iso) {
    return '';
  }
  const date = parse(iso);
  if (!date) {
    return iso;
  }
  const text = date.toISOString();
  return `${text.slice(0, 10)} ${text.slice(11, 16)} UTC`;
}

/**
 * An ISO instant as the value of a `datetime-local` input, in the browser's
 * time zone (`2030-06-19T11:00`); empty when there is none or it is invalid.
 */
export function toLocalInput(iso: string | undefined): string {
  if (!iso) {
    return '';
  }
  const date = parse(iso);
  if (!date) {
    return '';
  }
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(
    date.getDate(),
  )}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/**
 * The value of a `datetime-local` input (browser time zone) as an ISO
 * instant; undefined when the input is empty or invalid.
 */
export function toIso(local: string): string | undefined {
  if (!local) {
    return undefined;
  }
  return parse(local)?.toISOString();
}

type StateKey =
  | 'inProgress'
  | 'go'
  | 'noGo'
  | 'released'
  | 'rolledBack'
  | 'cancelled';

/**
 * The message key of a state -common's lifecycle knows (`rolled-back` →
 * `rolledBack`), or undefined for one it does not: the states themselves
 * are never listed here.
 */
function stateKey(state: string): StateKey | undefined {
  if (!(state in GATE_STATE_LABELS)) return undefined;
  return state.replace(/-(\w)/g, (_, c: string) => c.toUpperCase()) as StateKey;
}

/**
 * A gate state as a label (`In progress`, `NO-GO`); `No gate` when there is
 * none, including the portfolio's facet value `none`. A state this version
 * does not know is shown as it is.
 */
export function stateLabel(
  state: GateState | string | undefined,
  t: ReleaseReadinessT,
): string {
  if (!state || state === 'none') return t('gateState.label.none');
  const key = stateKey(state);
  return key ? t(`gateState.label.${key}`) : state;
}

/** A gate state inside a sentence: "the gate is rolled back". */
export function stateInSentence(
  state: GateState,
  t: ReleaseReadinessT,
): string {
  const key = stateKey(state);
  return key ? t(`gateState.inSentence.${key}`) : state;
}

/** The label of a gate's outcome: its final state, or its verdict. */
export function outcomeLabel(
  outcome: GateOutcome,
  t: ReleaseReadinessT,
): string {
  switch (outcome.kind) {
    case 'released':
    case 'rolled-back':
    case 'cancelled':
      return stateLabel(outcome.kind, t);
    case 'GO':
      return t('verdictLabel.go');
    case 'NO-GO':
      return t('verdictLabel.noGo');
    default:
      return t('verdictLabel.inProgress');
  }
}

/**
 * The sentence under a gate's outcome: for a gate that is over, what
 * happened to the release; for an open one, the release and its verdict.
 */
export function outcomeSentence(
  outcome: GateOutcome,
  release: string,
  t: ReleaseReadinessT,
): string {
  switch (outcome.kind) {
    case 'released':
      return t('gateState.finalSentence.released', { release });
    case 'rolled-back':
      return t('gateState.finalSentence.rolledBack', { release });
    case 'cancelled':
      return t('gateState.finalSentence.cancelled', { release });
    default:
      return t('decisionPanel.releaseState', {
        release,
        state: outcomeLabel(outcome, t),
      });
  }
}
