import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { ReleaseWindow } from '@release-readiness/plugin-common';
import { NextWindows } from './NextWindows';

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

/** A freeze in force now (Monday to Friday), one later, one in the past. */
const ACTIVE = window('payments-week-freeze', 'freeze', {
  from: '2026-12-07T00:00:00.000Z',
  to: '2026-12-12T00:00:00.000Z',
});
const LATER = window('year-end-freeze', 'freeze', {
  from: '2026-12-20T00:00:00.000Z',
  to: '2027-01-03T00:00:00.000Z',
});
const PAST = window('summer-freeze', 'freeze', {
  from: '2026-06-18T00:00:00.000Z',
  to: '2026-06-25T00:00:00.000Z',
});
/** Thursdays 09:00 UTC for four hours. */
const TRAIN = window('thursday-train', 'train', {
  cron: '0 9 * * 4',
  duration: 'PT4H',
});

const region = (name: string) => screen.getByRole('region', { name });

describe('NextWindows', () => {
  it('shows the freeze in force now before any freeze to come', async () => {
    await renderInTestApp(
      <NextWindows windows={[LATER, PAST, ACTIVE]} now={NOW} />,
    );
    const freeze = region('Next freeze');
    expect(freeze).toHaveTextContent('payments-week-freeze (in force now)');
    expect(
      [...freeze.querySelectorAll('time')].map(t => t.getAttribute('dateTime')),
    ).toEqual(['2026-12-07T00:00:00.000Z', '2026-12-12T00:00:00.000Z']);
  });

  it('shows the earliest freeze to come when none is in force, and the next train', async () => {
    await renderInTestApp(
      <NextWindows windows={[LATER, PAST, TRAIN]} now={NOW} />,
    );
    expect(region('Next freeze')).toHaveTextContent('year-end-freeze: from');
    const train = region('Next train');
    expect(train).toHaveTextContent('thursday-train: from');
    expect(train.querySelector('time')?.getAttribute('dateTime')).toBe(
      '2026-12-10T09:00:00.000Z',
    );
  });

  it('says when no freeze lies ahead, and shows no train line without trains', async () => {
    await renderInTestApp(<NextWindows windows={[PAST]} now={NOW} />);
    expect(region('Next freeze')).toHaveTextContent('No freeze ahead.');
    expect(screen.queryByRole('region', { name: 'Next train' })).toBeNull();
  });

  it('shows only the windows it is given: the scope is the backend’s', async () => {
    // The tab passes GET /windows?entityRef=…: a pci-only freeze the
    // backend left out is never shown, whatever its dates.
    await renderInTestApp(<NextWindows windows={[ACTIVE]} now={NOW} />);
    expect(region('Next freeze')).not.toHaveTextContent('year-end-freeze');
  });
});
