import { WindowException, WindowExceptionRequestRecord } from '../types';
import { countingExceptions, exceptionCounts } from './exceptionCounts';
import { marketHours } from './__fixtures__/windows';

const approval = (extra: Partial<WindowException> = {}): WindowException => ({
  windowId: marketHours().id,
  gateId: 'g1',
  reason: 'customer deadline',
  approvedBy: 'user:default/margaret',
  covers: ['group:default/release-management'],
  approvedAt: '2026-12-01T10:00:00Z',
  ...extra,
});

const request = (
  state: WindowExceptionRequestRecord['state'],
): WindowExceptionRequestRecord => ({
  id: 'r1',
  gateId: 'g1',
  windowId: marketHours().id,
  reason: 'customer deadline',
  requestedBy: 'user:default/priya',
  requestedAt: '2026-12-01T09:00:00Z',
  state,
});

describe('exceptionCounts', () => {
  it('counts an approval of a config window, which has no version', () => {
    expect(exceptionCounts(approval(), marketHours())).toBe(true);
  });

  it('counts an approval only for the version of an API window it was given for', () => {
    const v2 = marketHours({ source: 'api', version: 2 });
    expect(exceptionCounts(approval({ windowVersion: 2 }), v2)).toBe(true);
    expect(exceptionCounts(approval({ windowVersion: 1 }), v2)).toBe(false);
    // Approvals from before windows had versions were given for version 1.
    expect(exceptionCounts(approval(), v2)).toBe(false);
    expect(
      exceptionCounts(approval(), marketHours({ source: 'api', version: 1 })),
    ).toBe(true);
  });

  it('does not count an approval of a retired or unknown window', () => {
    expect(
      exceptionCounts(
        approval(),
        marketHours({ retiredAt: '2026-12-02T00:00:00Z' }),
      ),
    ).toBe(false);
    expect(exceptionCounts(approval(), undefined)).toBe(false);
  });

  it('does not count an approval whose request was rejected or lapsed', () => {
    const linked = approval({ requestId: 'r1' });
    expect(exceptionCounts(linked, marketHours(), [request('open')])).toBe(
      true,
    );
    expect(exceptionCounts(linked, marketHours(), [request('approved')])).toBe(
      true,
    );
    expect(exceptionCounts(linked, marketHours(), [request('rejected')])).toBe(
      false,
    );
    expect(exceptionCounts(linked, marketHours(), [request('lapsed')])).toBe(
      false,
    );
  });

  it('filters a list against the windows by id', () => {
    const other = approval({ windowId: 'gone' });
    expect(countingExceptions([approval(), other], [marketHours()])).toEqual([
      approval(),
    ]);
  });
});
