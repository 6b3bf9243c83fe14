import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { releaseReadinessApiRef } from '../api';

/** The gate templates and release windows, for choosing and explaining. */
export function useTemplatesAndWindows() {
  const api = useApi(releaseReadinessApiRef);
  return useAsync(async () => {
    const [templates, windows] = await Promise.all([
      api.listTemplates(),
      api.listWindows(),
    ]);
    return { templates, windows };
  }, [api]);
}
