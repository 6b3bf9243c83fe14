import { AuditorService } from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import { Request } from 'express';

/**
 * Runs a change as an auditor event of Backstage's auditor service: recorded
 * as succeeded with its result's meta, or failed with the error. A change
 * that succeeded is returned even if recording its success fails.
 */
export async function audited<T>(
  auditor: AuditorService,
  options: {
    eventId: string;
    request: Request<any, any, any, any>;
    meta: JsonObject;
  },
  action: () => Promise<T>,
  resultMeta?: (result: T) => JsonObject,
): Promise<T> {
  const event = await auditor.createEvent({
    eventId: options.eventId,
    severityLevel: 'medium',
    request: options.request,
    meta: options.meta,
  });
  let result: T;
  try {
    result = await action();
  } catch (error) {
    await event.fail({ error: error as Error });
    throw error;
  }
  // The change has committed: recording that it succeeded may not turn it
  // into an error for the caller, who would then retry a write that is done.
  try {
    await event.success(resultMeta ? { meta: resultMeta(result) } : undefined);
  } catch {
    // The auditor logs through the root logger; nothing else to tell here.
  }
  return result;
}
