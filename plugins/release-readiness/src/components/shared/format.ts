/*
 * How the Readiness tab and the portfolio write times and gate states. Every
 * component takes its words from here; the state labels themselves come from
 * -common's lifecycle, so the backend's messages and the screens agree.
 */
import {
  GATE_STATE_LABELS,
  gateStateLabel,
  GateState,
} from '@release-readiness/plugin-common';

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

/**
 * A gate state as a label (`In progress`, `NO-GO`); `No gate` when there is
 * none, including the portfolio's facet value `none`.
 */
export function stateLabel(state: GateState | string | undefined): string {
  return gateStateLabel(state === 'none' ? undefined : state);
}

/** A gate state inside a sentence: "the gate is rolled back". */
export function stateInSentence(state: GateState): string {
  return GATE_STATE_LABELS[state].inSentence;
}
