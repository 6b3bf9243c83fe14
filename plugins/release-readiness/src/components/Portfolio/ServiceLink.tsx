import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import {
  entityRouteParams,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';

/** The path of an entity's Readiness tab, e.g. `/catalog/default/component/x/readiness`. */
export function useReadinessPath(): (entityRef: string) => string {
  const entityRoute = useRouteRef(entityRouteRef);
  return (entityRef: string) =>
    `${entityRoute(entityRouteParams(entityRef))}/readiness`;
}

/** A link to an entity's Readiness tab, showing its title. */
export function ServiceLink(props: { entityRef: string; title: string }) {
  const readinessPath = useReadinessPath();
  return <Link to={readinessPath(props.entityRef)}>{props.title}</Link>;
}
