import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { Entity } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { EntityReadiness } from '@release-readiness/plugin-common';
import { identityApiRef } from '@backstage/core-plugin-api';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { ReleaseReadinessApi, releaseReadinessApiRef } from '../../api';
import { ReadinessContent } from './ReadinessContent';
import { makeMidwayGate } from '../../__fixtures__/gate';

const midwayGate = makeMidwayGate();

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

const identityApi = {
  getBackstageIdentity: async () => ({
    type: 'user' as const,
    userEntityRef: 'user:default/hiroshi-tanaka',
    ownershipEntityRefs: [
      'user:default/hiroshi-tanaka',
      'group:default/checkout',
    ],
  }),
  getProfileInfo: async () => ({}),
  getCredentials: async () => ({}),
  signOut: async () => {},
};

function renderWith(
  partialApi: Partial<ReleaseReadinessApi>,
  allowed: AuthorizeResult.ALLOW | AuthorizeResult.DENY = AuthorizeResult.DENY,
) {
  const api = {
    listTemplates: jest.fn().mockResolvedValue([]),
    listWindows: jest.fn().mockResolvedValue([]),
    ...partialApi,
  };
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [releaseReadinessApiRef, api],
        [permissionApiRef, { authorize: async () => ({ result: allowed }) }],
        [identityApiRef, identityApi],
      ]}
    >
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

  it('shows the current gate read-only to someone who may not edit it', async () => {
    const getEntityReadiness = jest
      .fn()
      .mockResolvedValue({ ...emptyReadiness, currentGate: midwayGate });
    await renderWith({ getEntityReadiness });

    expect(
      (await screen.findAllByText('Release 2.4.0')).length,
    ).toBeGreaterThan(0);
    expect(screen.getAllByText('IN PROGRESS').length).toBeGreaterThan(0);
    expect(screen.getByText(/Score 72 \/ 100/)).toBeInTheDocument();
    expect(
      await screen.findByText('Only the gate owners can mark this checklist.'),
    ).toBeInTheDocument();
    expect(screen.queryByText('No release gate yet')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: /Record GO/ })).toBeDisabled();
  });

  it('offers the gate owner the checklist controls', async () => {
    // Another entity ref: permission answers are cached per resource.
    const getEntityReadiness = jest.fn().mockResolvedValue({
      ...emptyReadiness,
      entityRef: 'component:default/owned-service',
      currentGate: midwayGate,
    });
    await renderWith({ getEntityReadiness }, AuthorizeResult.ALLOW);

    expect(
      (await screen.findAllByText('Release 2.4.0')).length,
    ).toBeGreaterThan(0);
    await waitFor(() =>
      expect(
        screen.queryByText('Only the gate owners can mark this checklist.'),
      ).not.toBeInTheDocument(),
    );
    expect(
      screen.getAllByRole('button', { name: /Waive/ }).length,
    ).toBeGreaterThan(0);
  });

  it('shows what a decision answered at once, while the reload after it is still under way', async () => {
    const loaded: EntityReadiness = {
      ...emptyReadiness,
      entityRef: 'component:default/decided-service',
      currentGate: midwayGate,
    };
    // The first load answers; the reload after the decision never does, as
    // on a backend too busy to answer the catalog lookups it needs.
    const getEntityReadiness = jest
      .fn()
      .mockResolvedValueOnce(loaded)
      .mockImplementation(() => new Promise<EntityReadiness>(() => {}));
    const decide = jest.fn().mockResolvedValue({
      ...midwayGate,
      state: 'no-go',
      version: midwayGate.version + 1,
    });
    await renderWith({ getEntityReadiness, decide }, AuthorizeResult.ALLOW);

    const record = await screen.findByRole('button', { name: 'Record NO-GO' });
    await waitFor(() => expect(record).toBeEnabled());
    fireEvent.click(record);
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByRole('textbox'), {
      target: { value: 'QA found a regression' },
    });
    fireEvent.click(
      within(dialog).getByRole('button', { name: 'Record NO-GO' }),
    );

    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(
      await screen.findByRole('button', { name: 'Reopen gate' }),
    ).toBeEnabled();
    expect(screen.getAllByText('NO-GO').length).toBeGreaterThan(0);
    expect(decide).toHaveBeenCalledWith(midwayGate.id, {
      verdict: 'no-go',
      reason: 'QA found a regression',
    });
    expect(getEntityReadiness).toHaveBeenCalledTimes(2);
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
