import {
  GATE_STATE_LABELS,
  GateState,
  gateOutcome,
} from '@release-readiness/plugin-common';
import { entityMessages } from '../../translation/messages/entity';
import { gateMessages } from '../../translation/messages/gate';
import type { ReleaseReadinessT } from '../../translation';
import {
  formatTime,
  outcomeLabel,
  outcomeSentence,
  formatTimeUtc,
  stateInSentence,
  stateLabel,
  toIso,
  toLocalInput,
} from './format';

describe('formatTime', () => {
  it('writes a time in the reader locale and time zone', () => {
    const iso = '2030-06-20T14:05:00.000Z';
    expect(formatTime(iso)).toBe(
      new Date(iso).toLocaleString(undefined, {
        dateStyle: 'medium',
        timeStyle: 'short',
      }),
    );
    expect(formatTime(iso)).toMatch(/2030/);
  });

  it('is empty without a time and keeps text that is not one', () => {
    expect(formatTime(undefined)).toBe('');
    expect(formatTime('')).toBe('');
    expect(formatTime('next Tuesday')).toBe('next Tuesday');
  });
});

describe('formatTimeUtc', () => {
  it('writes a time in UTC to the minute', () => {
    expect(formatTimeUtc('2030-06-12T08:10:59.000Z')).toBe(
      '2030-06-12 08:10 UTC',
    );
    expect(formatTimeUtc('2030-06-12T10:10:00+02:00')).toBe(
      '2030-06-12 08:10 UTC',
    );
  });

  it('is empty without a time and keeps text that is not one', () => {
    expect(formatTimeUtc(undefined)).toBe('');
    expect(formatTimeUtc('soon')).toBe('soon');
  });
});

describe('toLocalInput and toIso', () => {
  it('write an instant as a datetime-local value in the browser time zone', () => {
    const local = new Date(2030, 5, 19, 9, 5);
    expect(toLocalInput(local.toISOString())).toBe('2030-06-19T09:05');
    expect(toIso('2030-06-19T09:05')).toBe(local.toISOString());
  });

  it('round-trip an instant to the minute', () => {
    const iso = '2030-01-02T03:04:00.000Z';
    expect(toIso(toLocalInput(iso))).toBe(iso);
  });

  it('give nothing for an empty or invalid value', () => {
    expect(toLocalInput(undefined)).toBe('');
    expect(toLocalInput('not a time')).toBe('');
    expect(toIso('')).toBeUndefined();
    expect(toIso('2030-13-45T99:99')).toBeUndefined();
  });
});

/** The English messages, as the translation API gives them with no app override. */
const t = ((key: string, params: Record<string, string> = {}) => {
  const text = key.split('.').reduce<any>((node, part) => node?.[part], {
    ...entityMessages,
    ...gateMessages,
  });
  if (typeof text !== 'string') throw new Error(`no message ${key}`);
  return text.replace(/\{\{(\w+)\}\}/g, (_, name) => params[name] ?? '');
}) as unknown as ReleaseReadinessT;

const STATES = Object.keys(GATE_STATE_LABELS) as GateState[];

describe('state labels', () => {
  it('are in English the lifecycle labels of -common, which the backend writes too', () => {
    for (const state of STATES) {
      expect(stateLabel(state, t)).toBe(GATE_STATE_LABELS[state].label);
      expect(stateInSentence(state, t)).toBe(
        GATE_STATE_LABELS[state].inSentence,
      );
    }
  });

  it('name a missing gate, including the facet value none', () => {
    expect(stateLabel(undefined, t)).toBe('No gate');
    expect(stateLabel('none', t)).toBe('No gate');
  });

  it('show a state this version does not know as it is', () => {
    expect(stateLabel('paused', t)).toBe('paused');
  });
});

describe('outcome labels and sentences', () => {
  it('are in English those of -common’s gateOutcome', () => {
    for (const state of STATES) {
      for (const verdict of ['GO', 'NO-GO', 'IN PROGRESS'] as const) {
        const outcome = gateOutcome({ state, verdict, release: '2.0.0' });
        expect(outcomeLabel(outcome, t)).toBe(outcome.label);
        // A closed gate has its own sentence; an open one states the verdict.
        const sentence = outcome.final
          ? outcome.sentence
          : `Release 2.0.0: ${verdict}`;
        expect(outcomeSentence(outcome, '2.0.0', t)).toBe(sentence);
      }
    }
  });
});
