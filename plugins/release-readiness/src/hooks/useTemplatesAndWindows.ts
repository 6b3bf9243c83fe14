import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { releaseReadinessApiRef } from '../api';

/** The gate templates and release windows, for choosing and explaining. */
export function useTemplatesAndWindows() {
  const api = useApi(releaseReadinessApiRef);
  return useAsyncRetry(async () => {
    const [templates, windows] = await Promise.all([
      api.listTemplates(),
      api.listWindows(),
    ]);
    return { templates, windows };
  }, [api]);
}
