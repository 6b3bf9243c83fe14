import { useEffect, useState } from 'react';
import {
  BackstageUserIdentity,
  identityApiRef,
  useApi,
} from '@backstage/core-plugin-api';
import { InfoCard } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import {
  canApprove,
  GateWithEvaluation,
  isGateEditable,
  PendingApproval,
  pendingApprovals,
} from '@release-readiness/plugin-common';
import { releaseReadinessApiRef } from '../../api';
import { errorMessage } from '../shared/errors';
import { useReleaseReadinessTranslation } from '../../translation';

/** Props of {@link PendingApprovals}. @public */
export interface PendingApprovalsProps {
  gate: GateWithEvaluation;
  onChange(gate: GateWithEvaluation): void;
}

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

/** Who the approval guards against: nobody approves their own weakening. */
function guardedAgainst(
  gate: GateWithEvaluation,
  approval: PendingApproval,
): string | undefined {
  if (approval.kind === 'template') return gate.requestedBy;
  return gate.items.find(i => i.id === approval.itemId)?.waiver?.by;
}

/**
 * The approvals the gate waits for (governance): a template choice that
 * weakens it, waivers of guarded items. An approver sees an Approve
 * button; the person the approval guards against, and everyone else, see
 * who may approve. The backend decides again.
 *
 * @public
 */
export function PendingApprovals({ gate, onChange }: PendingApprovalsProps) {
  const { t } = useReleaseReadinessTranslation();
  const api = useApi(releaseReadinessApiRef);
  const identityApi = useApi(identityApiRef);
  const [identity, setIdentity] = useState<BackstageUserIdentity>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  useEffect(() => {
    let current = true;
    identityApi.getBackstageIdentity().then(
      value => current && setIdentity(value),
      () => current && setIdentity(undefined),
    );
    return () => {
      current = false;
    };
  }, [identityApi]);

  const pending = pendingApprovals(gate);
  if (!pending.length) return null;
  const claims = identity
    ? [identity.userEntityRef, ...identity.ownershipEntityRefs]
    : [];
  const open = isGateEditable(gate.state);

  const approve = async (approval: PendingApproval) => {
    setBusy(true);
    setError(undefined);
    try {
      const updated =
        approval.kind === 'template'
          ? await api.approveTemplate(gate.id, {})
          : await api.approveWaiver(gate.id, approval.itemId!, {});
      onChange(updated);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <InfoCard title={t('pendingApprovals.title')}>
      {pending.map(approval => {
        const guarded = guardedAgainst(gate, approval);
        const mayApprove =
          open &&
          identity !== undefined &&
          canApprove(approval, claims) &&
          (!guarded || lower(guarded) !== lower(identity.userEntityRef));
        return (
          <Box
            key={`${approval.kind}-${approval.itemId ?? ''}`}
            mb={1}
            data-testid="pending-approval"
          >
            <Typography variant="body2">{approval.message}</Typography>
            {mayApprove ? (
              <Button
                size="small"
                variant="outlined"
                color="primary"
                disabled={busy}
                onClick={() => approve(approval)}
              >
                {t('pendingApprovals.approve')}
              </Button>
            ) : (
              <Typography variant="caption" color="textSecondary">
                {guarded
                  ? t('pendingApprovals.onlyMayApproveNot', {
                      approvers: approval.approvers.join(
                        t('pendingApprovals.approversSeparator'),
                      ),
                      guarded,
                    })
                  : t('pendingApprovals.onlyMayApprove', {
                      approvers: approval.approvers.join(
                        t('pendingApprovals.approversSeparator'),
                      ),
                    })}
              </Typography>
            )}
          </Box>
        );
      })}
      {error && <Alert severity="error">{error}</Alert>}
    </InfoCard>
  );
}
