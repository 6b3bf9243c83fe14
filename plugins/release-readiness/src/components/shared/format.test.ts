import {
  formatTime,
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

describe('state labels', () => {
  it('come from the lifecycle in -common', () => {
    expect(stateLabel('in-progress')).toBe('In progress');
    expect(stateLabel('no-go')).toBe('NO-GO');
    expect(stateInSentence('rolled-back')).toBe('rolled back');
  });

  it('name a missing gate, including the facet value none', () => {
    expect(stateLabel(undefined)).toBe('No gate');
    expect(stateLabel('none')).toBe('No gate');
  });
});
