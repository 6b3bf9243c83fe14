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
        state: 'no-go',
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

  it('shows a rolled-back release as rolled back, never as NO-GO with a score', async () => {
    await render({
      entityRef: 'component:default/payment-gateway',
      title: 'payment-gateway',
      gateOwners: [],
      checklist: [],
      earlierGates: [],
      currentGate: {
        release: '2.0.0',
        state: 'rolled-back',
        // What an evaluation against today's evidence would say.
        evaluation: { verdict: 'NO-GO', score: 100, blockers: [] },
      },
    });
    expect(await screen.findByText('Rolled back')).toBeInTheDocument();
    expect(
      screen.getByText(
        'Release 2.0.0 went out and was rolled back; its gate is closed.',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText('NO-GO')).not.toBeInTheDocument();
    expect(screen.queryByText(/Score/)).not.toBeInTheDocument();
  });

  it('shows a released gate as released, with no blockers to act on', async () => {
    await render({
      entityRef: 'component:default/payment-gateway',
      title: 'payment-gateway',
      gateOwners: [],
      checklist: [],
      earlierGates: [],
      currentGate: {
        release: '1.9.0',
        state: 'released',
        evaluation: {
          verdict: 'GO',
          score: 62,
          blockers: [{ message: 're-run the pipeline to post fresh evidence' }],
        },
      },
    });
    expect(await screen.findByText('Released')).toBeInTheDocument();
    expect(screen.queryByText(/blocker/)).not.toBeInTheDocument();
    expect(screen.queryByText(/re-run the pipeline/)).not.toBeInTheDocument();
    expect(screen.queryByText('GO')).not.toBeInTheDocument();
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
