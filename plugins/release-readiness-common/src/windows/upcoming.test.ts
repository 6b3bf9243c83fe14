import { ReleaseWindow } from '../types';
import { upcomingWindow } from './upcoming';

const NOW = new Date('2026-12-09T12:00:00.000Z'); // a Wednesday

const window = (
  id: string,
  kind: ReleaseWindow['kind'],
  extra: Partial<ReleaseWindow>,
): ReleaseWindow => ({
  id,
  name: id,
  kind,
  scope: { all: true },
  approvers: [],
  source: 'config',
  ...extra,
});

describe('upcomingWindow', () => {
  const active = window('active', 'freeze', {
    from: '2026-12-07T00:00:00.000Z',
    to: '2026-12-12T00:00:00.000Z',
  });
  const longer = window('longer', 'freeze', {
    from: '2026-12-01T00:00:00.000Z',
    to: '2026-12-20T00:00:00.000Z',
  });
  const soon = window('soon', 'freeze', {
    from: '2026-12-10T00:00:00.000Z',
    to: '2026-12-11T00:00:00.000Z',
  });
  const later = window('later', 'freeze', {
    from: '2026-12-24T00:00:00.000Z',
    to: '2026-12-27T00:00:00.000Z',
  });

  it('prefers the freeze in force now, the one lasting longest', () => {
    expect(upcomingWindow([soon, active, longer], 'freeze', NOW)).toMatchObject(
      { window: { id: 'longer' }, open: true },
    );
  });

  it('otherwise the earliest to start', () => {
    const found = upcomingWindow([later, soon], 'freeze', NOW);
    expect(found).toMatchObject({ window: { id: 'soon' }, open: false });
    expect(found?.occurrence.start.toISOString()).toBe(
      '2026-12-10T00:00:00.000Z',
    );
  });

  it('finds the next occurrence of a recurring train, and only of that kind', () => {
    const train = window('thursdays', 'train', {
      cron: '0 9 * * 4',
      duration: 'PT4H',
    });
    expect(
      upcomingWindow([train, active], 'train', NOW)?.occurrence.start,
    ).toEqual(new Date('2026-12-10T09:00:00.000Z'));
    expect(upcomingWindow([train], 'freeze', NOW)).toBeUndefined();
  });
});
