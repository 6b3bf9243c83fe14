import { EvaluatedGate } from '../gates';
import { signalGateChanged } from './gateSignals';

describe('signalGateChanged', () => {
  it("tells the gate's own channel which gate changed and its version, nothing of its content", async () => {
    const publish = jest.fn().mockResolvedValue(undefined);
    const current = {
      gate: {
        id: 'g-1',
        version: 7,
        release: '2.0.0',
        entityRef: 'component:default/checkout',
      },
      template: undefined,
      evaluation: {},
    } as unknown as EvaluatedGate;

    await signalGateChanged({ publish }, current);

    expect(publish).toHaveBeenCalledTimes(1);
    expect(publish).toHaveBeenCalledWith({
      recipients: { type: 'broadcast' },
      channel: 'release-readiness:gate:g-1',
      message: { gateId: 'g-1', version: 7 },
    });
  });

  it('lets a failed publish reach the caller, which drops it', async () => {
    const publish = jest.fn().mockRejectedValue(new Error('no event bus'));
    await expect(
      signalGateChanged({ publish }, {
        gate: { id: 'g-2', version: 1 },
      } as unknown as EvaluatedGate),
    ).rejects.toThrow('no event bus');
  });
});
