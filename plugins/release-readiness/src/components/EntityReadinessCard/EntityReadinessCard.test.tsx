import { screen } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { Entity } from '@backstage/catalog-model';
import { releaseReadinessApiRef } from '../../api';
import { EntityReadinessCard } from './EntityReadinessCard';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payment-gateway', namespace: 'default' },
  spec: { type: 'service', owner: 'payments', lifecycle: 'production' },
};

function render(readiness: unknown) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [
          releaseReadinessApiRef,
          { getEntityReadiness: jest.fn().mockResolvedValue(readiness) },
        ],
      ]}
    >
      <EntityProvider entity={entity}>
        <EntityReadinessCard />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('EntityReadinessCard', () => {
  it('shows the verdict, score and blockers of the current gate', async () => {
    await render({
      entityRef: 'component:default/payment-gateway',
      title: 'payment-gateway',
      gateOwners: [],
      checklist: [],
      earlierGates: [],
      currentGate: {
        release: '1.4.0',
        evaluation: {
          verdict: 'NO-GO',
          score: 61,
          blockers: [{ message: 'a' }, { message: 'b' }],
        },
      },
    });
    expect(await screen.findByText('Release 1.4.0')).toBeInTheDocument();
    expect(screen.getByText('NO-GO')).toBeInTheDocument();
    expect(
      screen.getByText(/Score 61 \/ 100 · 2 blockers/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /Open the Readiness tab/ }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/payment-gateway/readiness',
    );
  });

  it('says when there is no gate yet', async () => {
    await render({
      entityRef: 'component:default/payment-gateway',
      title: 'payment-gateway',
      gateOwners: [],
      checklist: [],
      earlierGates: [],
      currentGate: null,
    });
    expect(await screen.findByText(/No release gate yet/)).toBeInTheDocument();
  });
});
