/**
 * What the backend tells open Readiness tabs through Backstage signals when a
 * gate changed (a save, a vote, a decision, evidence from a pipeline): only
 * which gate and its version, never its content, so a tab re-reads the gate
 * through the API, where the permission framework decides what it may see.
 */

/** A gate changed; sent on {@link gateSignalChannel}. @public */
export type GateChangedSignal = {
  gateId: string;
  version: number;
};

/** The signal channel of one gate. @public */
export function gateSignalChannel(gateId: string): string {
  return `release-readiness:gate:${gateId}`;
}
