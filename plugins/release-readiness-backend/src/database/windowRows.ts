import {
  ReleaseWindowVersion,
  WindowExceptionRequestRecord,
} from '@release-readiness/plugin-common';
import { toIso } from './mappers';
import { ReleaseWindowVersionRow, WindowExceptionRequestRow } from './tables';

export function toWindowVersion(
  row: ReleaseWindowVersionRow,
): ReleaseWindowVersion {
  return {
    windowId: row.window_id,
    version: Number(row.version),
    action: row.action as ReleaseWindowVersion['action'],
    window: JSON.parse(row.definition),
    actor: row.actor,
    ...(row.reason ? { reason: row.reason } : {}),
    at: toIso(row.at),
  };
}

export function toExceptionRequest(
  row: WindowExceptionRequestRow,
): WindowExceptionRequestRecord {
  return {
    id: row.id,
    gateId: row.gate_id,
    windowId: row.window_id,
    ...(row.window_version !== null && row.window_version !== undefined
      ? { windowVersion: Number(row.window_version) }
      : {}),
    reason: row.reason,
    requestedBy: row.requested_by,
    requestedAt: toIso(row.requested_at),
    state: row.state as WindowExceptionRequestRecord['state'],
    ...(row.decided_by ? { decidedBy: row.decided_by } : {}),
    ...(row.decision_reason ? { decisionReason: row.decision_reason } : {}),
    ...(row.decided_at ? { decidedAt: toIso(row.decided_at) } : {}),
  };
}
