import { usePermission } from '@backstage/plugin-permission-react';
import {
  gateCreatePermission,
  gateDecidePermission,
  gateOverridePermission,
  gateUpdatePermission,
  windowManagePermission,
} from '@release-readiness/plugin-common';

/**
 * What the signed-in user may do with an entity's gates, asked of the
 * permission framework. It only hides or disables controls: the backend
 * decides again on every request.
 */
export function useGatePermissions(entityRef: string | undefined) {
  const update = usePermission({
    permission: gateUpdatePermission,
    resourceRef: entityRef,
  });
  const decide = usePermission({
    permission: gateDecidePermission,
    resourceRef: entityRef,
  });
  const create = usePermission({
    permission: gateCreatePermission,
    resourceRef: entityRef,
  });
  const override = usePermission({
    permission: gateOverridePermission,
    resourceRef: entityRef,
  });
  const windows = usePermission({ permission: windowManagePermission });
  return {
    canEdit: update.allowed,
    canDecide: decide.allowed,
    canOpen: create.allowed,
    /** May release a GO that no longer holds (release managers). */
    canOverride: override.allowed,
    /** May edit and retire release windows (admins). */
    canManageWindows: windows.allowed,
  };
}
