import useAsync from 'react-use/esm/useAsync';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { useApiHolder } from '@backstage/core-plugin-api';
import {
  catalogApiRef,
  EntityDisplayName,
} from '@backstage/plugin-catalog-react';
import Typography from '@material-ui/core/Typography';
import { eligibleRefs, SignoffRole } from '@release-readiness/plugin-common';
import { PeopleNames } from '../shared/PersonName';
import { useReleaseReadinessTranslation } from '../../translation';

/**
 * Who may sign off for a role, by name: the members of its groups (from the
 * catalog, as their display names) and the users it names. Without the
 * catalog, the groups themselves are named.
 */
export function EligiblePeople(props: {
  role: SignoffRole;
  gateOwners: readonly string[];
}) {
  const { t } = useReleaseReadinessTranslation();
  const catalogApi = useApiHolder().get(catalogApiRef);
  const { groups, users } = eligibleRefs(props.role, props.gateOwners);
  const members = useAsync(async (): Promise<Entity[]> => {
    if (!catalogApi || !groups.length) return [];
    const { items } = await catalogApi.getEntities({
      filter: { kind: 'User', 'relations.memberOf': groups },
      fields: [
        'kind',
        'metadata.name',
        'metadata.namespace',
        'metadata.title',
        'spec.profile.displayName',
      ],
    });
    return items;
  }, [catalogApi, groups.join(',')]);

  const labelId = `signoff-eligible-${props.role.id}`;
  if (members.loading) {
    return (
      <Typography variant="body2" color="textSecondary">
        {t('eligiblePeople.loading', { role: props.role.title })}
      </Typography>
    );
  }
  const people = [...(members.value ?? [])].filter(
    (e, i, all) =>
      all.findIndex(o => stringifyEntityRef(o) === stringifyEntityRef(e)) === i,
  );
  const namedUsers = users.filter(
    u =>
      !people.some(
        p =>
          stringifyEntityRef(p).toLocaleLowerCase('en-US') ===
          u.toLocaleLowerCase('en-US'),
      ),
  );
  const unresolvedGroups = members.error || !catalogApi ? groups : [];
  if (!people.length && !namedUsers.length && !unresolvedGroups.length) {
    return (
      <Typography variant="body2" color="textSecondary" id={labelId}>
        {groups.length
          ? t('eligiblePeople.nobodyGroups', {
              role: props.role.title,
              groups: <PeopleNames refs={groups} />,
              count: groups.length,
            })
          : t('eligiblePeople.nobody', { role: props.role.title })}
      </Typography>
    );
  }
  return (
    <Typography variant="body2" id={labelId}>
      {t('eligiblePeople.eligibleFor', { role: props.role.title })}{' '}
      {people.map((person, i) => (
        <span key={stringifyEntityRef(person)}>
          {i > 0 ? t('shared.peopleSeparator') : ''}
          <EntityDisplayName entityRef={person} hideIcon />
        </span>
      ))}
      {namedUsers.length > 0 && (
        <>
          {people.length ? t('shared.peopleSeparator') : ''}
          <PeopleNames refs={namedUsers} />
        </>
      )}
      {unresolvedGroups.length > 0 && (
        <>
          {people.length || namedUsers.length
            ? t('eligiblePeople.andSeparator')
            : ''}
          {t('eligiblePeople.membersOf', {
            groups: <PeopleNames refs={unresolvedGroups} />,
          })}
        </>
      )}
      {t('eligiblePeople.end')}
    </Typography>
  );
}
