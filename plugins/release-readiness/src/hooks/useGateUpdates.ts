import { useEffect, useRef, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { useSignal } from '@backstage/plugin-signals-react';
import {
  GateChangedSignal,
  gateSignalChannel,
  GateWithEvaluation,
} from '@release-readiness/plugin-common';
import { releaseReadinessApiRef } from '../api';

/** How often an open tab asks whether its gate changed. */
export const GATE_POLL_INTERVAL_MS = 10_000;

/**
 * What a change by someone else looks like: a new gate version (an item, a
 * vote, the risk, a decision) or new evidence (which changes the
 * evaluation, not the gate row).
 */
export function gateFingerprint(gate: GateWithEvaluation): string {
  return JSON.stringify([
    gate.id,
    gate.version,
    gate.evaluation.automated.map(a => [a.itemId, a.evidenceId, a.outcome]),
  ]);
}

/** A change made under the open tab, and by whom. */
export interface GateUpdate {
  gate: GateWithEvaluation;
  /** Who made the last change (a user or service ref), when known. */
  by?: string;
  /** Whether only the evidence changed (posted by a pipeline). */
  evidence: boolean;
}

/**
 * Reports a change of the shown gate made by someone else; `dismiss`
 * forgets it (after a reload). The gate is read again when the backend
 * signals a change on the gate's channel (Backstage signals, where the app
 * has them) and every {@link GATE_POLL_INTERVAL_MS} in any case. A change
 * this tab made itself arrives as the shown gate, so it is not reported.
 */
export function useGateUpdates(gate: GateWithEvaluation | null) {
  const api = useApi(releaseReadinessApiRef);
  const [update, setUpdate] = useState<GateUpdate>();
  const shown = useRef<string>();
  shown.current = gate ? gateFingerprint(gate) : undefined;
  const gateId = gate?.id;
  const version = gate?.version;
  const pollNow = useRef<() => void>();
  const { lastSignal } = useSignal<GateChangedSignal>(
    gateSignalChannel(gateId ?? 'none'),
  );

  useEffect(() => {
    setUpdate(undefined);
  }, [gateId, version]);

  useEffect(() => {
    if (!gateId) return undefined;
    let stopped = false;
    let asking = false;
    const poll = async () => {
      if (asking) return;
      asking = true;
      try {
        const latest = await api.getGate(gateId);
        const fingerprint = gateFingerprint(latest);
        if (stopped || fingerprint === shown.current) return;
        const evidence = latest.version === version;
        let by: string | undefined;
        if (!evidence) {
          const trail = await api.getAudit(gateId).catch(() => []);
          by = trail[trail.length - 1]?.actor;
        }
        if (!stopped) {
          setUpdate({ gate: latest, evidence, ...(by ? { by } : {}) });
        }
      } catch {
        // A failed poll is tried again at the next tick.
      } finally {
        asking = false;
      }
    };
    pollNow.current = () => {
      poll();
    };
    const timer = setInterval(poll, GATE_POLL_INTERVAL_MS);
    return () => {
      stopped = true;
      pollNow.current = undefined;
      clearInterval(timer);
    };
  }, [api, gateId, version]);

  useEffect(() => {
    if (lastSignal && lastSignal.gateId === gateId) {
      pollNow.current?.();
    }
  }, [lastSignal, gateId]);

  return { update, dismiss: () => setUpdate(undefined) };
}
