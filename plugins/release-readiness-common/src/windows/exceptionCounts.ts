import {
  ReleaseWindow,
  WindowException,
  WindowExceptionRequestRecord,
} from '../types';

/**
 * Whether an approval of an exception still counts: its window is in force
 * (not retired, still known), it was given for the window's current version
 * (an edit of the window makes earlier approvals lapse; approvals recorded
 * before windows had versions were given for version 1), and the request it
 * answered was not rejected or let lapse. Windows from config have no
 * version: their approvals count while the window exists.
 *
 * @public
 */
export function exceptionCounts(
  exception: WindowException,
  window: ReleaseWindow | undefined,
  requests: WindowExceptionRequestRecord[] = [],
): boolean {
  if (!window || window.retiredAt || window.id !== exception.windowId) {
    return false;
  }
  if (
    window.version !== undefined &&
    (exception.windowVersion ?? 1) !== window.version
  ) {
    return false;
  }
  if (exception.requestId) {
    const request = requests.find(r => r.id === exception.requestId);
    if (
      request &&
      (request.state === 'rejected' || request.state === 'lapsed')
    ) {
      return false;
    }
  }
  return true;
}

/**
 * The approvals among `exceptions` that still count against `windows` (see
 * {@link exceptionCounts}).
 *
 * @public
 */
export function countingExceptions(
  exceptions: WindowException[],
  windows: ReleaseWindow[],
  requests: WindowExceptionRequestRecord[] = [],
): WindowException[] {
  const byId = new Map(windows.map(w => [w.id, w]));
  return exceptions.filter(e =>
    exceptionCounts(e, byId.get(e.windowId), requests),
  );
}
