import { SignalsService } from '@backstage/plugin-signals-node';
import {
  GateChangedSignal,
  gateSignalChannel,
} from '@release-readiness/plugin-common';
import { EvaluatedGate } from '../gates';

/**
 * After a change committed: tells the tabs open on the gate that it changed
 * (its channel, gateSignalChannel), so they offer a reload at once instead of
 * at their next poll. The message names the gate and its version only; each
 * tab reads the gate itself, under its own permissions. A signal that cannot
 * be sent is dropped: the tabs' polling still finds the change.
 */
export async function signalGateChanged(
  signals: Pick<SignalsService, 'publish'>,
  current: EvaluatedGate,
): Promise<void> {
  const message: GateChangedSignal = {
    gateId: current.gate.id,
    version: current.gate.version,
  };
  await signals.publish<GateChangedSignal>({
    recipients: { type: 'broadcast' },
    channel: gateSignalChannel(current.gate.id),
    message,
  });
}
