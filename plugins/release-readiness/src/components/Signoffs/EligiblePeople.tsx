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

/**
 * Who may sign off for a role, by name: the members of its groups (from the
 * catalog, as their display names) and the users it names. Without the
 * catalog, the groups themselves are named.
 */
export function EligiblePeople(props: {
  role: SignoffRole;
  gateOwners: readonly string[];
}) {
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
        Looking up who is eligible for {props.role.title}…
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
        Nobody in the catalog is eligible for {props.role.title} yet
        {groups.length ? (
          <>
            {': '}
            <PeopleNames refs={groups} /> {groups.length === 1 ? 'has' : 'have'}{' '}
            no members
          </>
        ) : null}
        .
      </Typography>
    );
  }
  return (
    <Typography variant="body2" id={labelId}>
      Eligible for {props.role.title}:{' '}
      {people.map((person, i) => (
        <span key={stringifyEntityRef(person)}>
          {i > 0 ? ', ' : ''}
          <EntityDisplayName entityRef={person} hideIcon />
        </span>
      ))}
      {namedUsers.length > 0 && (
        <>
          {people.length ? ', ' : ''}
          <PeopleNames refs={namedUsers} />
        </>
      )}
      {unresolvedGroups.length > 0 && (
        <>
          {people.length || namedUsers.length ? ', and ' : ''}
          members of <PeopleNames refs={unresolvedGroups} />
        </>
      )}
      .
    </Typography>
  );
}
