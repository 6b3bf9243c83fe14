import { useApi } from '@backstage/core-plugin-api';
import { Entity, getCompoundEntityRef } from '@backstage/catalog-model';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { releaseReadinessApiRef } from '../api';

/** Loads the readiness of an entity; `retry` loads it again. */
export function useEntityReadiness(entity: Entity) {
  const api = useApi(releaseReadinessApiRef);
  const ref = getCompoundEntityRef(entity);
  return useAsyncRetry(
    () => api.getEntityReadiness(ref),
    [api, ref.kind, ref.namespace, ref.name],
  );
}
