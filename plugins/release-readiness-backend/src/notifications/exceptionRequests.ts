import { Gate, ReleaseWindow } from '@release-readiness/plugin-common';
import { NotificationClaimStore } from '../database';
import { PeopleDirectory } from './people';

/** An exception to a window that a gate owner asked for, as told to its approvers. */
export interface ExceptionRequestNotice {
  /** The request's id: it is told once (claim `exception-request:<id>`). */
  id: string;
  requestedBy: string;
  reason: string;
}

/**
 * Tells exactly the approvers of the window (its `approvers`, groups
 * resolved to their members) that an exception was requested for the gate,
 * once per request across replicas and restarts, never the requester. The
 * place where the exception-request flow hands over: call it after the
 * request committed, through `notifier.later`.
 */
export async function notifyExceptionRequested(options: {
  window: Pick<ReleaseWindow, 'id' | 'name' | 'approvers'>;
  gate: Gate;
  request: ExceptionRequestNotice;
  claims: NotificationClaimStore;
  people: PeopleDirectory;
  notifier: {
    exceptionRequested(
      window: Pick<ReleaseWindow, 'id' | 'name' | 'approvers'>,
      gate: Gate,
      request: ExceptionRequestNotice,
      approverUsers: string[],
    ): Promise<void>;
  };
}): Promise<string[]> {
  const { window, gate, request } = options;
  const requester = request.requestedBy.toLocaleLowerCase('en-US');
  const approvers = (await options.people.usersOf(window.approvers)).filter(
    user => user !== requester,
  );
  if (!approvers.length) return [];
  const key = `exception-request:${request.id}`;
  if (!(await options.claims.claimNotification({ key }))) return [];
  await options.notifier.exceptionRequested(window, gate, request, approvers);
  return approvers;
}
