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

function RequestStatus({
  request,
  waitingFor,
}: {
  request: WindowExceptionRequestRecord;
  waitingFor: string[];
}) {
  const asked = (
    <>
      <PersonName entityRef={request.requestedBy} /> asked: “{request.reason}”
    </>
  );
  switch (request.state) {
    case 'open':
      return (
        <>
          Exception status: requested. {asked}.{' '}
          {waitingFor.length > 0 && (
            <>
              Waiting for <PeopleNames refs={waitingFor} />.
            </>
          )}
        </>
      );
    case 'approved':
      return (
        <>
          Exception status: approved. {asked}; approved by{' '}
          {request.decidedBy && <PersonName entityRef={request.decidedBy} />}
          {request.decisionReason && <>: “{request.decisionReason}”</>}.
        </>
      );
    case 'rejected':
      return (
        <>
          Exception status: rejected by{' '}
          {request.decidedBy && <PersonName entityRef={request.decidedBy} />}: “
          {request.decisionReason}”. {asked}. The window still blocks this gate.
        </>
      );
    default:
      return (
        <>
          Exception status: lapsed. {asked}, but the window was changed since;
          ask again if the release still needs it.
        </>
      );
  }
}

/**
 * The exception to one blocking window: its state and reasons, the request
 * form for gate owners, approve and reject for the window's approvers.
 */
export function WindowExceptions(props: WindowExceptionsProps) {
  const { gate, window, claims, exceptions } = props;
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
            Exception status: needed.{' '}
            {window.approvers.length ? (
              <>
                Approvers: <PeopleNames refs={window.approvers} /> (each must
                approve).
              </>
            ) : (
              'Nobody may approve an exception: move the release.'
            )}
          </>
        )}
      </Typography>
      {approvals.length > 0 && (
        <ul aria-label={`Approvals of the exception to ${window.name}`}>
          {approvals.map(a => (
            <li key={`${a.approvedBy}-${a.approvedAt}`}>
              <Typography variant="body2">
                Approved by <PersonName entityRef={a.approvedBy} />: “{a.reason}
                ”
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
              openLabel="Request exception"
              openAriaLabel={`Request exception to ${window.name}`}
              formName={`Request an exception to ${window.name}`}
              fieldLabel={`Why release during ${window.name}?`}
              submitLabel="Send request"
              missingText="Give a reason: the approvers decide on it, and it is kept in the audit trail."
              helperText="The approvers are notified; the request is kept in the audit trail with your name."
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
              openLabel="Approve exception"
              openAriaLabel={`Approve exception to ${window.name}`}
              formName={`Exception to ${window.name}`}
              fieldLabel={`Why release during ${window.name}?`}
              submitLabel="Approve exception"
              missingText="Give a reason: the exception is recorded in the audit trail."
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
              openLabel="Reject exception"
              openAriaLabel={`Reject exception to ${window.name}`}
              formName={`Rejection of the exception to ${window.name}`}
              fieldLabel="Why not?"
              submitLabel="Reject exception"
              color="secondary"
              missingText="Give a reason: the requester sees it, and it is kept in the audit trail."
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
              You asked for this exception: another approver must approve it.
            </Typography>
          )}
        </Box>
      )}
    </Box>
  );
}
