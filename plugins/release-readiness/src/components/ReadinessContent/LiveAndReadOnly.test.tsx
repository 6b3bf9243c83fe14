/*
 * Issue 15 on the tab as a whole: a gate changed under an open tab is
 * noticed within the polling interval and named ("Updated by X — reload");
 * viewers get a read-only banner, and blockers that are not orders to them.
 */
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { Entity } from '@backstage/catalog-model';
import { EntityReadiness } from '@release-readiness/plugin-common';
import { identityApiRef } from '@backstage/core-plugin-api';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { signalApiRef } from '@backstage/plugin-signals-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { ReleaseReadinessApi, releaseReadinessApiRef } from '../../api';
import { mockIdentityApi } from '../../__fixtures__/apis';
import { makeMidwayGate } from '../../__fixtures__/gate';
import { GATE_POLL_INTERVAL_MS } from '../../hooks/useGateUpdates';
import { ReadinessContent } from './ReadinessContent';

const gate = makeMidwayGate();

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payment-gateway', namespace: 'default' },
  spec: { type: 'service', owner: 'group:default/payments' },
};

const readiness: EntityReadiness = {
  entityRef: 'component:default/payment-gateway',
  title: 'payment-gateway',
  gateOwners: [{ ref: 'group:default/payments', source: 'catalog-owner' }],
  checklist: [],
  currentGate: gate,
  earlierGates: [],
};

let renders = 0;

/** A signals API whose messages a test sends by hand. */
function fakeSignals() {
  const listeners: { channel: string; onMessage: (m: any) => void }[] = [];
  return {
    api: {
      subscribe(channel: string, onMessage: (m: any) => void) {
        const listener = { channel, onMessage };
        listeners.push(listener);
        return {
          unsubscribe: () => {
            listeners.splice(listeners.indexOf(listener), 1);
          },
        };
      },
    },
    send(channel: string, message: object) {
      for (const l of listeners.filter(x => x.channel === channel)) {
        l.onMessage(message);
      }
    },
  };
}

async function render(
  partialApi: Partial<ReleaseReadinessApi>,
  allowed: AuthorizeResult.ALLOW | AuthorizeResult.DENY,
  signals?: ReturnType<typeof fakeSignals>,
) {
  // Another entity ref each time: permission answers are cached per resource.
  renders += 1;
  const api = {
    getEntityReadiness: jest.fn().mockResolvedValue({
      ...readiness,
      entityRef: `component:default/live-${renders}`,
    }),
    listTemplates: jest.fn().mockResolvedValue([]),
    listWindows: jest.fn().mockResolvedValue([]),
    getGate: jest.fn().mockResolvedValue(gate),
    getAudit: jest.fn().mockResolvedValue([]),
    ...partialApi,
  };
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [releaseReadinessApiRef, api],
        [permissionApiRef, { authorize: async () => ({ result: allowed }) }],
        [identityApiRef, mockIdentityApi('user:default/hiroshi-tanaka')],
        ...(signals ? [[signalApiRef, signals.api] as const] : []),
      ]}
    >
      <EntityProvider entity={entity}>
        <ReadinessContent />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
  await screen.findAllByText('Release 2.4.0');
  return api;
}

async function tick(ms: number) {
  await act(async () => {
    jest.advanceTimersByTime(ms);
  });
  // Let the poll's requests resolve.
  await act(async () => {});
  await act(async () => {});
}

describe('the Readiness tab stays current (issue 15)', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('says who changed the gate under the open tab, and reloads on request', async () => {
    const newer = { ...gate, version: gate.version + 1 };
    const api = await render(
      {
        getGate: jest.fn().mockResolvedValue(newer),
        getAudit: jest.fn().mockResolvedValue([
          {
            id: 'a1',
            entityRef: gate.entityRef,
            gateId: gate.id,
            actor: 'user:default/tomasz-kowalski',
            action: 'item.update',
            at: '2026-06-15T12:05:00.000Z',
          },
        ]),
      },
      AuthorizeResult.ALLOW,
    );

    await tick(GATE_POLL_INTERVAL_MS - 1_000);
    expect(api.getGate).not.toHaveBeenCalled();
    await tick(1_000);
    expect(api.getGate).toHaveBeenCalledWith(gate.id);
    expect(screen.getByTestId('gate-updated')).toHaveTextContent(
      'Updated by tomasz-kowalski — reload to see the gate as it is now.',
    );

    const loads = api.getEntityReadiness as jest.Mock;
    const calls = loads.mock.calls.length;
    fireEvent.click(screen.getByRole('button', { name: 'Reload' }));
    await act(async () => {});
    expect(loads.mock.calls.length).toBe(calls + 1);
    await waitFor(() =>
      expect(screen.queryByTestId('gate-updated')).toBeNull(),
    );
  });

  it('names new evidence from a pipeline, which changes the evaluation, not the gate', async () => {
    const withEvidence = {
      ...gate,
      evaluation: {
        ...gate.evaluation,
        automated: gate.evaluation.automated.map(a =>
          a.itemId === 'security-scan'
            ? { ...a, evidenceId: 'ev-9', outcome: 'passed' as const }
            : a,
        ),
      },
    };
    const api = await render(
      { getGate: jest.fn().mockResolvedValue(withEvidence) },
      AuthorizeResult.ALLOW,
    );
    await tick(GATE_POLL_INTERVAL_MS);
    expect(screen.getByTestId('gate-updated')).toHaveTextContent(
      'New evidence arrived from a pipeline — reload',
    );
    expect(api.getAudit).not.toHaveBeenCalled();
  });

  it("reads the gate at once when the backend signals a change on the gate's channel, not for another gate", async () => {
    const signals = fakeSignals();
    const newer = { ...gate, version: gate.version + 1 };
    const api = await render(
      { getGate: jest.fn().mockResolvedValue(newer) },
      AuthorizeResult.ALLOW,
      signals,
    );
    await act(async () => {
      signals.send('release-readiness:gate:another', {
        gateId: 'another',
        version: 9,
      });
    });
    await tick(0);
    expect(api.getGate).not.toHaveBeenCalled();

    await act(async () => {
      signals.send(`release-readiness:gate:${gate.id}`, {
        gateId: gate.id,
        version: newer.version,
      });
    });
    await tick(0);
    expect(api.getGate).toHaveBeenCalledWith(gate.id);
    expect(screen.getByTestId('gate-updated')).toHaveTextContent(
      /— reload to see the gate as it is now/,
    );
  });

  it('says nothing while the gate is as shown', async () => {
    const api = await render({}, AuthorizeResult.ALLOW);
    for (let i = 0; i < 3; i += 1) await tick(GATE_POLL_INTERVAL_MS);
    expect(api.getGate).toHaveBeenCalledTimes(3);
    expect(screen.queryByTestId('gate-updated')).toBeNull();
  });
});

describe('the Readiness tab for viewers (issue 15)', () => {
  it('shows a read-only banner naming who can change the gate', async () => {
    await render({}, AuthorizeResult.DENY);
    expect(await screen.findByTestId('read-only')).toHaveTextContent(
      'You can follow this gate but not change it: only its gate owners (payments) and release managers can.',
    );
  });

  it('tells viewers the blockers as the gate owners to-do, with links to see, not to do', async () => {
    await render({}, AuthorizeResult.DENY);
    await screen.findByTestId('read-only');
    fireEvent.click(
      screen.getByRole('button', { name: /^Checklist artifacts.*: not met/ }),
    );
    expect(
      screen.getByText(/What the gate owners still have to do before a GO/),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', {
        name: 'See "Manual smoke test in staging"',
      }),
    ).toHaveAttribute('href', '#item-staging-smoke-test');
  });

  it('shows no banner to gate owners, and their links say Go to', async () => {
    await render({}, AuthorizeResult.ALLOW);
    await screen.findByRole('button', { name: 'Record NO-GO' });
    expect(screen.queryByTestId('read-only')).toBeNull();
    fireEvent.click(
      screen.getByRole('button', { name: /^Checklist artifacts.*: not met/ }),
    );
    const link = screen.getByRole('link', {
      name: 'Go to "Manual smoke test in staging"',
    });
    // The link focuses the item it names, not the top of the checklist.
    fireEvent.click(link);
    expect(document.activeElement).toBe(
      document.getElementById('item-staging-smoke-test'),
    );
  });
});
