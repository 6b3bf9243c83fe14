import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  GateWindowExceptions,
  GateWithEvaluation,
  missingApprovers,
  ReleaseWindow,
  WindowExceptionRequestRecord,
} from '@release-readiness/plugin-common';
import { releaseReadinessApiRef } from '../../api';
import { PeopleNames, PersonName } from '../shared/PersonName';
import { useReleaseReadinessTranslation } from '../../translation';
import { ReasonForm } from './ReasonForm';

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

/** Props of {@link WindowExceptions}. */
export interface WindowExceptionsProps {
  gate: GateWithEvaluation;
  /** A window that blocks the gate. */
  window: ReleaseWindow;
  /** The signed-in user and their groups, lower case. */
  claims: string[];
  /** Whether the viewer is a gate owner, who may ask for an exception. */
  canRequest: boolean;
  /** The gate's requests and approvals; undefined while loading. */
  exceptions?: GateWindowExceptions;
  onChange(gate: GateWithEvaluation): void;
  /** Called after a change to the requests, to load them again. */
  onExceptionsChange(): void;
  /** Called after an approval, with the window approved. */
  onApproved?(window: ReleaseWindow): void;
}

/** The state of one exception request, with who asked, who decided and why. */
export function RequestStatus({
  request,
  waitingFor,
}: {
  request: WindowExceptionRequestRecord;
  waitingFor: string[];
}) {
  const { t } = useReleaseReadinessTranslation();
  const asked = t('windowExceptions.asked', {
    who: <PersonName entityRef={request.requestedBy} />,
    reason: request.reason,
  });
  const by = request.decidedBy ? (
    <PersonName entityRef={request.decidedBy} />
  ) : (
    ''
  );
  switch (request.state) {
    case 'open':
      return (
        <>
          {t('windowExceptions.requested', { asked })}
          {waitingFor.length > 0 &&
            t('windowExceptions.waitingFor', {
              people: <PeopleNames refs={waitingFor} />,
            })}
        </>
      );
    case 'approved':
      return (
        <>
          {request.decisionReason
            ? t('windowExceptions.approvedWithReason', {
                asked,
                by,
                reason: request.decisionReason,
              })
            : t('windowExceptions.approved', { asked, by })}
        </>
      );
    case 'rejected':
      return (
        <>
          {t('windowExceptions.rejected', {
            by,
            reason: request.decisionReason ?? '',
            asked,
          })}
        </>
      );
    default:
      return <>{t('windowExceptions.lapsed', { asked })}</>;
  }
}

/**
 * The exception to one blocking window: its state and reasons, the request
 * form for gate owners, approve and reject for the window's approvers.
 */
export function WindowExceptions(props: WindowExceptionsProps) {
  const { gate, window, claims, exceptions } = props;
  const { t } = useReleaseReadinessTranslation();
  const name = window.name;
  const api = useApi(releaseReadinessApiRef);
  const open = gate.state === 'in-progress';
  const me = claims[0];
  const isApprover = window.approvers.some(a => claims.includes(lower(a)));
  const requests = (exceptions?.requests ?? []).filter(
    r => r.windowId === window.id,
  );
  const latest = requests[requests.length - 1];
  const openRequest = requests.find(r => r.state === 'open');
  const approvals = (exceptions?.approvals ?? []).filter(
    a => a.windowId === window.id && a.counts,
  );
  const waitingFor = missingApprovers(window, approvals, gate.id);
  const askedByMe = Boolean(
    openRequest && me && lower(openRequest.requestedBy) === me,
  );

  return (
    <Box data-testid={`window-exception-${window.id}`}>
      <Typography variant="body2" color="textSecondary">
        {latest ? (
          <RequestStatus request={latest} waitingFor={waitingFor} />
        ) : (
          <>
            {t('windowExceptions.needed')}
            {window.approvers.length
              ? t('windowExceptions.approvers', {
                  people: <PeopleNames refs={window.approvers} />,
                })
              : t('windowExceptions.nobody')}
          </>
        )}
      </Typography>
      {approvals.length > 0 && (
        <ul aria-label={t('windowExceptions.approvals', { name })}>
          {approvals.map(a => (
            <li key={`${a.approvedBy}-${a.approvedAt}`}>
              <Typography variant="body2">
                {t('windowExceptions.approvedBy', {
                  by: <PersonName entityRef={a.approvedBy} />,
                  reason: a.reason,
                })}
              </Typography>
            </li>
          ))}
        </ul>
      )}
      {open && (
        <Box mt={1} display="flex" flexWrap="wrap" style={{ gap: 8 }}>
          {props.canRequest && !openRequest && window.approvers.length > 0 && (
            <ReasonForm
              id={`window-exception-request-${window.id}`}
              openLabel={t('windowExceptions.request.open')}
              openAriaLabel={t('windowExceptions.request.openAria', { name })}
              formName={t('windowExceptions.request.form', { name })}
              fieldLabel={t('windowExceptions.request.field', { name })}
              submitLabel={t('windowExceptions.request.submit')}
              missingText={t('windowExceptions.request.missing')}
              helperText={t('windowExceptions.request.helper')}
              onSubmit={async reason => {
                const answer = await api.requestWindowException(gate.id, {
                  windowId: window.id,
                  reason,
                });
                props.onChange(answer.gate);
                props.onExceptionsChange();
              }}
            />
          )}
          {isApprover && !askedByMe && (
            <ReasonForm
              id={`window-exception-reason-${window.id}`}
              openLabel={t('windowExceptions.approve.open')}
              openAriaLabel={t('windowExceptions.approve.openAria', { name })}
              formName={t('windowExceptions.approve.form', { name })}
              fieldLabel={t('windowExceptions.approve.field', { name })}
              submitLabel={t('windowExceptions.approve.submit')}
              missingText={t('windowExceptions.approve.missing')}
              onSubmit={async reason => {
                const updated = await api.approveWindowException(gate.id, {
                  windowId: window.id,
                  reason,
                });
                props.onApproved?.(window);
                props.onChange(updated);
                props.onExceptionsChange();
              }}
            />
          )}
          {isApprover && openRequest && (
            <ReasonForm
              id={`window-exception-reject-${window.id}`}
              openLabel={t('windowExceptions.reject.open')}
              openAriaLabel={t('windowExceptions.reject.openAria', { name })}
              formName={t('windowExceptions.reject.form', { name })}
              fieldLabel={t('windowExceptions.reject.field')}
              submitLabel={t('windowExceptions.reject.submit')}
              color="secondary"
              missingText={t('windowExceptions.reject.missing')}
              onSubmit={async reason => {
                const answer = await api.rejectWindowException(
                  gate.id,
                  openRequest.id,
                  { reason },
                );
                props.onChange(answer.gate);
                props.onExceptionsChange();
              }}
            />
          )}
          {isApprover && askedByMe && (
            <Typography variant="body2" color="textSecondary">
              {t('windowExceptions.askedByMe')}
            </Typography>
          )}
        </Box>
      )}
    </Box>
  );
}
