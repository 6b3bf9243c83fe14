import { screen } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { EntityReadiness } from '@release-readiness/plugin-common';
import { ReleaseReadinessApi, releaseReadinessApiRef } from '../../api';
import { ReadinessContent } from './ReadinessContent';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payment-gateway', namespace: 'default' },
  spec: {
    type: 'service',
    owner: 'group:default/payments',
    lifecycle: 'production',
  },
};

const emptyReadiness: EntityReadiness = {
  entityRef: 'component:default/payment-gateway',
  title: 'payment-gateway',
  gateOwners: [{ ref: 'group:default/payments', source: 'catalog-owner' }],
  checklist: [],
  currentGate: null,
  earlierGates: [],
};

function renderWith(api: Partial<ReleaseReadinessApi>) {
  return renderInTestApp(
    <TestApiProvider apis={[[releaseReadinessApiRef, api]]}>
      <EntityProvider entity={entity}>
        <ReadinessContent />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

describe('ReadinessContent', () => {
  it('shows the empty state with the entity name and its gate owners', async () => {
    const getEntityReadiness = jest.fn().mockResolvedValue(emptyReadiness);
    await renderWith({ getEntityReadiness });

    expect(await screen.findByText('No release gate yet')).toBeInTheDocument();
    expect(
      screen.getByText(/payment-gateway has no release gate yet/),
    ).toBeInTheDocument();
    expect(screen.getByText('payments')).toBeInTheDocument();
    expect(getEntityReadiness).toHaveBeenCalledWith({
      kind: 'Component',
      namespace: 'default',
      name: 'payment-gateway',
    });
  });

  it('shows the current gate with its verdict, score and blockers', async () => {
    const getEntityReadiness = jest.fn().mockResolvedValue({
      ...emptyReadiness,
      currentGate: {
        id: 'g1',
        release: '1.4.0',
        templateName: 'component-gate',
        templateVersion: '1',
        state: 'in-progress',
        evaluation: {
          ready: false,
          verdict: 'IN PROGRESS',
          score: 42,
          blockers: [
            { condition: 'signoffs', message: 'QA: 0 of 1 Ready votes' },
          ],
        },
      },
    });
    await renderWith({ getEntityReadiness });

    expect(await screen.findByText('Release 1.4.0')).toBeInTheDocument();
    expect(screen.getByText('IN PROGRESS')).toBeInTheDocument();
    expect(screen.getByText(/Health score 42 \/ 100/)).toBeInTheDocument();
    expect(screen.getByText('QA: 0 of 1 Ready votes')).toBeInTheDocument();
    expect(screen.queryByText('No release gate yet')).not.toBeInTheDocument();
  });

  it('shows a progress indicator while loading', async () => {
    const getEntityReadiness = jest.fn(
      () => new Promise<EntityReadiness>(() => {}),
    );
    await renderWith({ getEntityReadiness });

    expect(await screen.findByTestId('progress')).toBeInTheDocument();
    expect(screen.queryByText('No release gate yet')).not.toBeInTheDocument();
  });

  it('shows an error panel when the backend fails', async () => {
    const response = new Response(
      JSON.stringify({
        error: {
          name: 'NotFoundError',
          message: 'No catalog entity named component:default/payment-gateway',
        },
        response: { statusCode: 404 },
      }),
      {
        status: 404,
        statusText: 'Not Found',
        headers: { 'Content-Type': 'application/json' },
      },
    );
    const error = await ResponseError.fromResponse(response);
    const getEntityReadiness = jest.fn().mockRejectedValue(error);
    await renderWith({ getEntityReadiness });

    const messages = await screen.findAllByText(
      /No catalog entity named component:default\/payment-gateway/,
    );
    expect(messages.length).toBeGreaterThan(0);
    expect(screen.queryByText('No release gate yet')).not.toBeInTheDocument();
  });
});
