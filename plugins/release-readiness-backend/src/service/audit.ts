import { AuditorService } from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import { Request } from 'express';

/**
 * Runs a change as an auditor event of Backstage's auditor service: recorded
 * as succeeded with its result's meta, or failed with the error.
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
  try {
    const result = await action();
    await event.success(resultMeta ? { meta: resultMeta(result) } : undefined);
    return result;
  } catch (error) {
    await event.fail({ error: error as Error });
    throw error;
  }
}
