import { useApi } from '@backstage/core-plugin-api';
import { Entity, getCompoundEntityRef } from '@backstage/catalog-model';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { releaseReadinessApiRef } from '../api';
import { hasRollup } from '../components/shared/readinessTab';

/**
 * Loads the roll-up of a system or domain for a release (its current gate's
 * when none is given); nothing for other kinds, nor before `ready` (the
 * entity's readiness, which names the release, is loaded).
 */
export function useEntityRollup(
  entity: Entity,
  release: string | undefined,
  ready: boolean,
) {
  const api = useApi(releaseReadinessApiRef);
  const ref = getCompoundEntityRef(entity);
  const wanted = ready && hasRollup(ref.kind);
  return useAsyncRetry(
    async () => (wanted ? api.getEntityRollup(ref, release) : undefined),
    [api, wanted, ref.kind, ref.namespace, ref.name, release],
  );
}
