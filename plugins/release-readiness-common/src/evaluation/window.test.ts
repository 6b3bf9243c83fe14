import { EvaluationInput, ReleaseWindow, WindowException } from '../types';
import {
  exception,
  londonTrain,
  marketHours,
  yearEnd,
} from '../windows/__fixtures__/windows';
import { readyInput } from './__fixtures__/gate';
import { conditionOf, messagesOf } from './__fixtures__/results';

const RM = 'group:default/release-management';
const SRE = 'group:default/sre';

function withWindows(
  plannedAt: string | undefined,
  windows: ReleaseWindow[],
  exceptions: WindowException[] = [],
): EvaluationInput {
  const input = readyInput();
  input.gate.plannedAt = plannedAt;
  input.windows = { windows, exceptions };
  return input;
}

describe('release window', () => {
  it('is met when no window applies', () => {
    const input = readyInput();
    delete input.gate.plannedAt;
    expect(conditionOf(input, 'window')).toMatchObject({
      title: 'Release window',
      met: true,
      progress: 1,
      blockers: [],
    });
    expect(conditionOf(withWindows(undefined, []), 'window').met).toBe(true);
  });

  it('asks for a planned time when windows apply and none is set', () => {
    const condition = conditionOf(
      withWindows(undefined, [yearEnd(), londonTrain()]),
      'window',
    );
    expect(condition).toMatchObject({ met: false, progress: 0 });
    expect(condition.blockers).toEqual([
      {
        condition: 'window',
        message:
          "No planned release time is set; set when release 1.4.0 will go out so that the release windows 'Year-end freeze' and 'Tue/Thu train' can be checked",
      },
    ]);
    expect(messagesOf(withWindows('next week', [yearEnd()]), 'window')).toEqual(
      [
        expect.stringMatching(
          /^The planned release time "next week" is not a valid time; set when release 1\.4\.0 will go out/,
        ),
      ],
    );
  });

  describe('freezes', () => {
    it('blocks a planned time inside a freeze, naming it, its end and its approvers', () => {
      const condition = conditionOf(
        withWindows('2026-12-24T10:00:00Z', [yearEnd()]),
        'window',
      );
      expect(condition).toMatchObject({ met: false, progress: 0 });
      expect(condition.blockers.map(b => b.message)).toEqual([
        "The planned time 2026-12-24 10:00 UTC is inside the freeze 'Year-end freeze' (until 2027-01-04 00:00 UTC); move the release or get an exception approved by group:default/release-management",
      ]);
    });

    it('does not block a planned time just outside the freeze', () => {
      for (const plannedAt of [
        '2026-12-18T23:59:00Z',
        '2027-01-04T00:00:00Z',
      ]) {
        expect(
          conditionOf(withWindows(plannedAt, [yearEnd()]), 'window').met,
        ).toBe(true);
      }
    });

    it('is unblocked by an approved exception for this gate', () => {
      const input = withWindows(
        '2026-12-24T10:00:00Z',
        [yearEnd()],
        [exception('year-end', [RM])],
      );
      expect(conditionOf(input, 'window')).toMatchObject({
        met: true,
        progress: 1,
      });
    });

    it('still blocks with an exception approved for another gate', () => {
      const input = withWindows(
        '2026-12-24T10:00:00Z',
        [yearEnd()],
        [exception('year-end', [RM], { gateId: 'gate-2' })],
      );
      expect(messagesOf(input, 'window')).toEqual([
        expect.stringContaining(
          'get an exception approved by group:default/release-management',
        ),
      ]);
    });

    it('still blocks while an approval is missing, saying whose', () => {
      const freeze = yearEnd({ approvers: [RM, SRE] });
      expect(
        messagesOf(withWindows('2026-12-24T10:00:00Z', [freeze]), 'window'),
      ).toEqual([
        expect.stringMatching(
          /; move the release or get an exception approved by group:default\/release-management and group:default\/sre$/,
        ),
      ]);
      const partial = withWindows(
        '2026-12-24T10:00:00Z',
        [freeze],
        [exception('year-end', [RM])],
      );
      expect(messagesOf(partial, 'window')).toEqual([
        "The planned time 2026-12-24 10:00 UTC is inside the freeze 'Year-end freeze' (until 2027-01-04 00:00 UTC); move the release or complete the exception: still missing approval by group:default/sre (group:default/release-management approved)",
      ]);
      partial.windows!.exceptions.push(
        exception('year-end', [SRE], { approvedBy: 'user:default/sasha' }),
      );
      expect(conditionOf(partial, 'window').met).toBe(true);
    });

    it('says when a freeze allows no exception', () => {
      const input = withWindows(
        '2026-12-24T10:00:00Z',
        [yearEnd({ approvers: [] })],
        [exception('year-end', [RM])],
      );
      expect(messagesOf(input, 'window')).toEqual([
        expect.stringMatching(
          /; move the release: this freeze names nobody who may approve an exception$/,
        ),
      ]);
    });

    it('gives the end of a recurring freeze in UTC and in its time zone', () => {
      expect(
        messagesOf(
          withWindows('2026-03-09T14:00:00Z', [marketHours()]),
          'window',
        ),
      ).toEqual([
        "The planned time 2026-03-09 14:00 UTC is inside the freeze 'Market hours' (until 2026-03-09 20:00 UTC, 16:00 in America/New_York); move the release or get an exception approved by group:default/trading-desk",
      ]);
      // 14:00Z is 09:00 New York in winter: before the open.
      expect(
        conditionOf(
          withWindows('2026-03-06T14:00:00Z', [marketHours()]),
          'window',
        ).met,
      ).toBe(true);
    });

    it('gives one blocker per freeze the planned time is in', () => {
      const input = withWindows('2026-12-24T15:00:00Z', [
        yearEnd(),
        marketHours(),
      ]);
      expect(messagesOf(input, 'window')).toEqual([
        expect.stringContaining("the freeze 'Year-end freeze'"),
        expect.stringContaining("the freeze 'Market hours'"),
      ]);
    });
  });

  describe('trains', () => {
    it('is met inside a train, start inclusive', () => {
      for (const plannedAt of [
        '2026-12-01T10:00:00Z',
        '2026-12-01T11:59:00Z',
      ]) {
        expect(
          conditionOf(withWindows(plannedAt, [londonTrain()]), 'window').met,
        ).toBe(true);
      }
    });

    it('blocks outside every train, naming the next one', () => {
      const condition = conditionOf(
        withWindows('2026-11-30T10:00:00Z', [londonTrain()]),
        'window',
      );
      expect(condition).toMatchObject({ met: false, progress: 0 });
      expect(condition.blockers.map(b => b.message)).toEqual([
        "The planned time 2026-11-30 10:00 UTC is outside every release train; the next train 'Tue/Thu train' opens 2026-12-01 10:00 UTC; move the release into the train or get an exception approved by group:default/release-management",
      ]);
      // The end is exclusive: 12:00 is already outside.
      expect(
        messagesOf(
          withWindows('2026-12-01T12:00:00Z', [londonTrain()]),
          'window',
        ),
      ).toEqual([
        expect.stringContaining(
          "the next train 'Tue/Thu train' opens 2026-12-03 10:00 UTC",
        ),
      ]);
    });

    it('gives the next train in its own time zone too', () => {
      expect(
        messagesOf(
          withWindows('2026-06-01T10:00:00Z', [londonTrain()]),
          'window',
        ),
      ).toEqual([
        expect.stringContaining(
          "the next train 'Tue/Thu train' opens 2026-06-02 09:00 UTC (10:00 in Europe/London)",
        ),
      ]);
    });

    it('is met inside any one of several trains, and names the earliest next one', () => {
      const hotfix = londonTrain({
        id: 'hotfix',
        name: 'Hotfix train',
        cron: '0 16 * * 1-5',
        duration: 'PT1H',
        timezone: 'UTC',
        approvers: [SRE],
      });
      const trains = [londonTrain(), hotfix];
      expect(
        conditionOf(withWindows('2026-11-30T16:30:00Z', trains), 'window').met,
      ).toBe(true);
      expect(
        messagesOf(withWindows('2026-11-30T14:00:00Z', trains), 'window'),
      ).toEqual([
        "The planned time 2026-11-30 14:00 UTC is outside every release train; the next train 'Hotfix train' opens 2026-11-30 16:00 UTC; move the release into a train or get an exception to one of them: for 'Tue/Thu train', get an exception approved by group:default/release-management; or for 'Hotfix train', get an exception approved by group:default/sre",
      ]);
    });

    it('is met outside the trains with an exception approved for one of them', () => {
      const input = withWindows(
        '2026-11-30T10:00:00Z',
        [londonTrain()],
        [exception('tue-thu', [RM])],
      );
      expect(conditionOf(input, 'window').met).toBe(true);
    });

    it('says when no train opens after the planned time', () => {
      const once = yearEnd({
        id: 'launch',
        name: 'Launch train',
        kind: 'train',
      });
      expect(
        messagesOf(withWindows('2027-02-01T10:00:00Z', [once]), 'window'),
      ).toEqual([
        expect.stringContaining(
          'outside every release train; no release train opens after it',
        ),
      ]);
    });

    it('blocks for a freeze inside a train', () => {
      const input = withWindows('2026-12-22T10:30:00Z', [
        londonTrain(),
        yearEnd(),
      ]);
      expect(messagesOf(input, 'window')).toEqual([
        expect.stringContaining("inside the freeze 'Year-end freeze'"),
      ]);
    });
  });

  it('blocks on a window it cannot check', () => {
    const broken = marketHours({ timezone: 'Mars/Base' });
    expect(
      messagesOf(withWindows('2026-03-09T14:00:00Z', [broken]), 'window'),
    ).toEqual([
      'The release window \'Market hours\' cannot be checked (timezone: unknown time zone "Mars/Base"; use an IANA name such as Europe/London or UTC); ask a release manager to fix it',
    ]);
  });
});
