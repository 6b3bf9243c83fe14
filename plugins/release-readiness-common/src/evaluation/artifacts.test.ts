import { daysAgo, patchItem, readyInput, waiver } from './__fixtures__/gate';
import { conditionOf, messagesOf } from './__fixtures__/results';

describe('artifacts', () => {
  it('is met when every required manual item is passed', () => {
    const condition = conditionOf(readyInput(), 'artifacts');
    expect(condition).toMatchObject({
      title: 'Artifacts',
      met: true,
      progress: 1,
      blockers: [],
    });
  });

  it('accepts not-applicable and an unexpired waiver', () => {
    const input = readyInput();
    patchItem(input.gate, 'release-notes', { status: 'not-applicable' });
    patchItem(input.gate, 'security-review', {
      status: 'waived',
      waiver: waiver(3),
    });
    expect(conditionOf(input, 'artifacts').met).toBe(true);
  });

  it('blocks on a pending item, naming it and what to do', () => {
    const input = readyInput();
    patchItem(input.gate, 'release-notes', { status: 'pending' });
    const condition = conditionOf(input, 'artifacts');
    expect(condition.met).toBe(false);
    expect(condition.progress).toBe(0.5);
    expect(condition.blockers).toEqual([
      {
        condition: 'artifacts',
        itemId: 'release-notes',
        message: expect.stringMatching(
          /^Release notes is still pending; mark it passed/,
        ),
      },
    ]);
  });

  it('blocks on a failed item and quotes its note', () => {
    const input = readyInput();
    patchItem(input.gate, 'security-review', {
      status: 'failed',
      note: 'open finding SEC-12',
    });
    expect(messagesOf(input, 'artifacts')).toEqual([
      expect.stringContaining(
        "Security review is marked failed: 'open finding SEC-12'",
      ),
    ]);
  });

  it('blocks on an expired waiver and says when it expired', () => {
    const input = readyInput();
    patchItem(input.gate, 'security-review', {
      status: 'waived',
      waiver: { ...waiver(0), expiresAt: '2026-06-10T09:00:00.000Z' },
    });
    expect(messagesOf(input, 'artifacts')).toEqual([
      'Security review is waived but the waiver expired on 2026-06-10; renew the waiver or mark the item',
    ]);
  });

  it('treats a waiver expiring exactly now as expired', () => {
    const input = readyInput();
    patchItem(input.gate, 'security-review', {
      status: 'waived',
      waiver: { ...waiver(0), expiresAt: daysAgo(0) },
    });
    expect(conditionOf(input, 'artifacts').met).toBe(false);
  });

  it('blocks on a waived status without a waiver', () => {
    const input = readyInput();
    patchItem(input.gate, 'release-notes', { status: 'waived' });
    expect(messagesOf(input, 'artifacts')).toEqual([
      expect.stringContaining(
        'Release notes is waived but no waiver is recorded',
      ),
    ]);
  });

  it('never blocks on an optional item, and counts progress over required items only', () => {
    const input = readyInput();
    patchItem(input.gate, 'load-test', { status: 'failed' });
    expect(conditionOf(input, 'artifacts').met).toBe(true);

    patchItem(input.gate, 'release-notes', { status: 'pending' });
    patchItem(input.gate, 'security-review', { status: 'pending' });
    expect(conditionOf(input, 'artifacts')).toMatchObject({
      met: false,
      progress: 0,
    });
  });

  it('is met with progress 1 when there are no required manual items', () => {
    const input = readyInput();
    input.gate.items = input.gate.items.filter(item => item.automated);
    expect(conditionOf(input, 'artifacts')).toMatchObject({
      met: true,
      progress: 1,
    });
  });

  it('includes required service-specific items', () => {
    const input = readyInput();
    input.gate.items.push({
      id: 'feature-flags',
      title: 'Feature flags reviewed',
      category: 'manual-validation',
      required: true,
      source: 'service',
      status: 'pending',
      version: 1,
    });
    expect(messagesOf(input, 'artifacts')).toEqual([
      expect.stringContaining('Feature flags reviewed is still pending'),
    ]);
  });
});
