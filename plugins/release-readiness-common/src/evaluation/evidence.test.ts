import { evaluateGate } from './evaluateGate';
import { evidenceOfType } from './evidence';
import { NOW, evidence, gate, hoursAgo, readyInput } from './__fixtures__/gate';

const at = (hours: number) => hoursAgo(hours);

describe('which evidence is the newest', () => {
  it('is the latest observed, whatever the order it was received in', () => {
    const older = evidence('test-report', { passed: false }, at(3), {
      receivedAt: at(1),
    });
    const newer = evidence('test-report', { passed: true }, at(2), {
      receivedAt: at(2),
    });
    for (const list of [
      [older, newer],
      [newer, older],
    ]) {
      expect(
        evidenceOfType(gate(), list, 'test-report').map(e => e.evidence.id),
      ).toEqual([newer.id, older.id]);
    }
  });

  it('breaks a tie of observed times by the later receive time, then the id', () => {
    const first = evidence('test-report', { passed: true }, at(2), {
      receivedAt: at(1.5),
    });
    const second = evidence('test-report', { passed: false }, at(2), {
      receivedAt: at(1),
    });
    const twin = evidence('test-report', { passed: false }, at(2), {
      id: 'zzz',
      receivedAt: at(1),
    });
    expect(
      evidenceOfType(gate(), [first, twin, second], 'test-report').map(
        e => e.evidence.id,
      ),
    ).toEqual(['zzz', second.id, first.id]);
    expect(
      evidenceOfType(gate(), [second, first, twin], 'test-report').map(
        e => e.evidence.id,
      ),
    ).toEqual(['zzz', second.id, first.id]);
  });

  it('never counts an observation as later than its arrival', () => {
    // Stored before the API refused observations from the future (or
    // written into the database by hand): it claims to be from next year.
    const fromTheFuture = evidence('test-report', { passed: true }, at(-8760), {
      receivedAt: at(5),
    });
    const failingRun = evidence('test-report', { passed: false }, at(1), {
      receivedAt: at(1),
    });
    const newest = evidenceOfType(
      gate(),
      [fromTheFuture, failingRun],
      'test-report',
    )[0];
    expect(newest.evidence.id).toBe(failingRun.id);

    const input = readyInput();
    input.evidence = [
      ...input.evidence.filter(e => e.type !== 'test-report'),
      fromTheFuture,
      failingRun,
    ];
    const result = evaluateGate(input);
    expect(result.ready).toBe(false);
    expect(result.automated.find(r => r.itemId === 'unit-tests')).toMatchObject(
      {
        outcome: 'failed',
        evidenceId: failingRun.id,
        observedAt: failingRun.observedAt,
        receivedAt: failingRun.receivedAt,
      },
    );
  });

  it('reports both times of the evidence it used', () => {
    const input = readyInput();
    const used = evaluateGate(input).automated.find(
      r => r.itemId === 'unit-tests',
    );
    const posted = input.evidence.find(e => e.type === 'test-report')!;
    expect(used).toMatchObject({
      observedAt: posted.observedAt,
      receivedAt: posted.receivedAt,
    });
    expect(NOW.getTime()).toBeGreaterThan(Date.parse(posted.receivedAt));
  });
});
