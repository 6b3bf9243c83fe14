import { proposeFacilitator } from './facilitator';

const A = 'user:default/a';
const B = 'user:default/b';
const C = 'user:default/c';

describe('proposeFacilitator: the rotation among gate owners', () => {
  it('proposes someone who never facilitated before anyone who did, by ref among equals', () => {
    expect(
      proposeFacilitator(
        [A, B, C],
        [{ facilitator: A, count: 1, lastOpenedAt: '2026-01-01T00:00:00Z' }],
      ),
    ).toBe(B);
    expect(proposeFacilitator([C, B], [])).toBe(B);
  });

  it('proposes whoever facilitated least recently, then least often', () => {
    const history = [
      { facilitator: A, count: 1, lastOpenedAt: '2026-03-01T00:00:00Z' },
      { facilitator: B, count: 5, lastOpenedAt: '2026-01-01T00:00:00Z' },
      { facilitator: C, count: 2, lastOpenedAt: '2026-02-01T00:00:00Z' },
    ];
    expect(proposeFacilitator([A, B, C], history)).toBe(B);
    const sameDay = history.map(h => ({
      ...h,
      lastOpenedAt: '2026-01-01T00:00:00Z',
    }));
    expect(proposeFacilitator([A, B, C], sameDay)).toBe(A);
  });

  it('passes over the people away, and has nobody to propose when all are', () => {
    expect(proposeFacilitator([A, B], [], [A])).toBe(B);
    expect(proposeFacilitator([A], [], ['USER:default/A'])).toBeUndefined();
    expect(proposeFacilitator([], [])).toBeUndefined();
  });

  it('over many gates, gives each gate owner a turn in order and never twice before the others', () => {
    const owners = [A, B, C];
    const turns: string[] = [];
    const history = new Map<
      string,
      { facilitator: string; count: number; lastOpenedAt: string }
    >();
    for (let gate = 0; gate < 9; gate++) {
      const next = proposeFacilitator(owners, [...history.values()])!;
      turns.push(next);
      const before = history.get(next);
      history.set(next, {
        facilitator: next,
        count: (before?.count ?? 0) + 1,
        lastOpenedAt: new Date(Date.UTC(2026, 0, gate + 1)).toISOString(),
      });
    }
    expect(turns).toEqual([A, B, C, A, B, C, A, B, C]);
  });
});
