import { EntityDisplayName } from '@backstage/plugin-catalog-react';
import { useReleaseReadinessTranslation } from '../../translation';

/**
 * A user or group as people know them: the catalog's display name (through
 * the entity presentation API), with the ref in a tooltip; the short name
 * when the catalog does not know them.
 */
export function PersonName({ entityRef }: { entityRef: string }) {
  return <EntityDisplayName entityRef={entityRef} hideIcon />;
}

/** Several people, joined with commas and "and". */
export function PeopleNames({ refs }: { refs: readonly string[] }) {
  const { t } = useReleaseReadinessTranslation();
  return (
    <>
      {refs.map((ref, i) => {
        let separator = '';
        if (i > 0) {
          separator =
            i === refs.length - 1
              ? t('shared.peopleLastSeparator')
              : t('shared.peopleSeparator');
        }
        return (
          <span key={ref}>
            {separator}
            <PersonName entityRef={ref} />
          </span>
        );
      })}
    </>
  );
}
