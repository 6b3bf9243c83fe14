import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  entityRouteParams,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { hasReadinessTab } from '../shared/readinessTab';

/**
 * The page a portfolio row leads to: the entity's Readiness tab where its
 * page has one (`/catalog/default/component/x/readiness`), otherwise the
 * entity's catalog page (`/catalog/default/system/y`): never a tab that does
 * not exist.
 */
export function useEntityPath(): (entityRef: string) => string {
  const entityRoute = useRouteRef(entityRouteRef);
  return (entityRef: string) => {
    const page = entityRoute(entityRouteParams(entityRef));
    return hasReadinessTab(parseEntityRef(entityRef).kind)
      ? `${page}/readiness`
      : page;
  };
}

/**
 * A link to an entity's Readiness tab (or its catalog page, for kinds without
 * the tab), showing its title. Underlined, so that it stands out from the
 * text around it by more than its colour.
 */
export function ServiceLink(props: { entityRef: string; title: string }) {
  const entityPath = useEntityPath();
  return (
    <Link to={entityPath(props.entityRef)} underline="always">
      {props.title}
    </Link>
  );
}
