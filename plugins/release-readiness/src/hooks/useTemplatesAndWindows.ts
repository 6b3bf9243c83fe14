import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { releaseReadinessApiRef } from '../api';

/**
 * The gate templates and release windows, for choosing and explaining. With
 * an entity, only the windows that apply to it, as the backend's evaluation
 * matches their scopes (never matched again here).
 */
export function useTemplatesAndWindows(entityRef?: string) {
  const api = useApi(releaseReadinessApiRef);
  return useAsyncRetry(async () => {
    const [templates, windows] = await Promise.all([
      api.listTemplates(),
      api.listWindows(entityRef ? { entityRef } : undefined),
    ]);
    return { templates, windows };
  }, [api, entityRef]);
}
