/*
 * The Readiness tab of a System and of a Domain: the same tab as a
 * component's, plus the roll-up of its parts, and an open-gate form that
 * proposes the release from the parts' current gates.
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { Entity } from '@backstage/catalog-model';
import { identityApiRef } from '@backstage/core-plugin-api';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  EntityReadiness,
  EntityRollup,
  RollupPart,
} from '@release-readiness/plugin-common';
import { ReleaseReadinessApi, releaseReadinessApiRef } from '../../api';
import { makeGate } from '../../__fixtures__/gate';
import { ReadinessContent } from '../ReadinessContent';

const system: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'System',
  metadata: { name: 'payments-platform', namespace: 'default' },
  spec: { owner: 'group:default/payments' },
};

const domain: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Domain',
  metadata: { name: 'commerce', namespace: 'default' },
  spec: { owner: 'group:default/payments' },
};

const systemGate = makeGate({
  id: 'system-gate',
  entityRef: 'system:default/payments-platform',
  release: '2031.1',
  tier: 2,
  templateName: 'system-gate',
});

function readiness(
  entityRef: string,
  currentGate: EntityReadiness['currentGate'],
): EntityReadiness {
  return {
    entityRef,
    title: entityRef.split('/')[1],
    template: {
      name: 'system-gate',
      title: 'System gate (tier 2)',
      tier: 2,
      version: '1',
    },
    gateOwners: [{ ref: 'group:default/payments', source: 'catalog-owner' }],
    checklist: [],
    currentGate,
    earlierGates: [],
  };
}

const part = (name: string, extra: Partial<RollupPart>): RollupPart => ({
  entityRef: `component:default/${name}`,
  title: name,
  visible: true,
  ready: false,
  ...extra,
});

const rollup: EntityRollup = {
  entityRef: 'system:default/payments-platform',
  partKind: 'component',
  release: '2031.1',
  blocksGate: true,
  proposedRelease: '2031.1',
  counted: 4,
  ready: 1,
  parts: [
    part('payment-gateway', {
      title: 'Payment Gateway',
      ready: true,
      gate: { release: '2031.1', state: 'go', verdict: 'GO', blockers: 0 },
      currentGate: { release: '2031.1', state: 'go' },
    }),
    part('card-vault', {
      gate: {
        release: '2031.1',
        state: 'in-progress',
        verdict: 'IN PROGRESS',
        blockers: 3,
      },
      currentGate: { release: '2031.1', state: 'in-progress' },
    }),
    part('promotions-engine', {
      currentGate: { release: '2030.9', state: 'in-progress' },
    }),
    part('ledger', {}),
    part('payments-sdk', {
      type: 'library',
      excluded: 'its type is library (released on its own)',
      gate: { release: '2031.1', state: 'no-go', verdict: 'NO-GO' },
      currentGate: { release: '2031.1', state: 'no-go' },
    }),
    {
      entityRef: 'component:default/secret-service',
      visible: false,
      ready: false,
    },
  ],
};

const identityApi = {
  getBackstageIdentity: async () => ({
    type: 'user' as const,
    userEntityRef: 'user:default/priya-raman',
    ownershipEntityRefs: ['user:default/priya-raman', 'group:default/payments'],
  }),
  getProfileInfo: async () => ({}),
  getCredentials: async () => ({}),
  signOut: async () => {},
};

function renderTab(
  entity: Entity,
  partialApi: Partial<ReleaseReadinessApi>,
  allowed: AuthorizeResult.ALLOW | AuthorizeResult.DENY = AuthorizeResult.DENY,
) {
  const api = {
    listTemplates: jest.fn().mockResolvedValue([]),
    listWindows: jest.fn().mockResolvedValue([]),
    getGateApprovals: jest.fn().mockResolvedValue([]),
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

const row = (ref: string) =>
  screen.getByTestId(`rollup-part-component:default/${ref}`);

describe('the Readiness tab of a system', () => {
  it('rolls up the components with their gate for the release, linking each to its own tab', async () => {
    const getEntityRollup = jest.fn().mockResolvedValue(rollup);
    await renderTab(system, {
      getEntityReadiness: jest
        .fn()
        .mockResolvedValue(
          readiness('system:default/payments-platform', systemGate),
        ),
      getEntityRollup,
    });
    const table = await screen.findByRole('table', {
      name: 'Components of the system',
    });
    expect(getEntityRollup).toHaveBeenCalledWith(
      { kind: 'System', namespace: 'default', name: 'payments-platform' },
      '2031.1',
    );
    expect(screen.getByTestId('rollup-summary')).toHaveTextContent(
      '1 of 4 components GO for release 2031.1. 1 more is not counted.',
    );
    expect(
      within(table).getByRole('link', { name: 'Payment Gateway' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/payment-gateway/readiness',
    );
    expect(within(row('payment-gateway')).getAllByText('GO')).toHaveLength(2);
    expect(row('payment-gateway')).toHaveTextContent('Nothing.');
    expect(row('card-vault')).toHaveTextContent('In progress');
    expect(row('card-vault')).toHaveTextContent('3 blockers before GO.');
    // Every link of the roll-up leads to a Readiness tab that exists.
    for (const link of within(table).getAllByRole('link')) {
      expect(link.getAttribute('href')).toMatch(
        /^\/catalog\/default\/component\/[a-z-]+\/readiness$/,
      );
    }
  });

  it('shows a component with no gate, or a gate for another release, as missing', async () => {
    await renderTab(system, {
      getEntityReadiness: jest
        .fn()
        .mockResolvedValue(
          readiness('system:default/payments-platform', systemGate),
        ),
      getEntityRollup: jest.fn().mockResolvedValue(rollup),
    });
    await screen.findByRole('table', { name: 'Components of the system' });
    expect(row('ledger')).toHaveTextContent(
      'No gate for release 2031.1: it never had a gate.',
    );
    expect(row('ledger')).toHaveTextContent('No gate');
    expect(row('promotions-engine')).toHaveTextContent(
      '2030.9 (another release)',
    );
    expect(row('promotions-engine')).toHaveTextContent(
      'No gate for release 2031.1: its current gate is for release 2030.9.',
    );
    // A component the viewer may not read: its ref only, and that it holds
    // the roll-up back.
    expect(row('secret-service')).toHaveTextContent('secret-service');
    expect(row('secret-service')).toHaveTextContent(
      'Its gate is not GO for release 2031.1. You may not see its details.',
    );
  });

  it('shows an excluded component with its reason, and its failing gate, as not counted', async () => {
    await renderTab(system, {
      getEntityReadiness: jest
        .fn()
        .mockResolvedValue(
          readiness('system:default/payments-platform', systemGate),
        ),
      getEntityRollup: jest.fn().mockResolvedValue(rollup),
    });
    await screen.findByRole('table', { name: 'Components of the system' });
    expect(row('payments-sdk')).toHaveTextContent(
      'Not counted: its type is library (released on its own).',
    );
    expect(row('payments-sdk')).toHaveTextContent('NO-GO');
    expect(
      within(row('payments-sdk')).getByRole('link', { name: 'payments-sdk' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/payments-sdk/readiness',
    );
  });

  it('proposes the component releases when opening the system gate', async () => {
    const noGate: EntityRollup = {
      ...rollup,
      release: undefined,
      ready: 0,
      parts: rollup.parts.map(({ gate: _gate, ...p }) => ({
        ...p,
        ready: false,
      })),
    };
    const openGate = jest.fn().mockResolvedValue(systemGate);
    // Another system than the other tests': the permission answers are
    // cached per entity for the whole file.
    const storefront: Entity = {
      ...system,
      metadata: { name: 'storefront', namespace: 'default' },
    };
    await renderTab(
      storefront,
      {
        getEntityReadiness: jest
          .fn()
          .mockResolvedValue(readiness('system:default/storefront', null)),
        getEntityRollup: jest.fn().mockResolvedValue(noGate),
        openGate,
      },
      AuthorizeResult.ALLOW,
    );
    const field = await screen.findByRole(
      'textbox',
      { name: /^Release/ },
      { timeout: 5000 },
    );
    await waitFor(() => expect(field).toHaveValue('2031.1'));
    expect(
      screen.getByText("Proposed from the components' current gates"),
    ).toBeInTheDocument();
    const proposal = screen.getByTestId('release-proposal');
    expect(proposal).toHaveTextContent('Payment Gateway: release 2031.1 (GO)');
    expect(proposal).toHaveTextContent(
      'promotions-engine: release 2030.9 (In progress), proposed in the release manifest; the gate owners can change it on the tab',
    );
    expect(proposal).toHaveTextContent(
      'ledger: no gate yet: open one for 2031.1 on its tab',
    );
    // The library is not proposed: it does not count.
    expect(proposal).not.toHaveTextContent('payments-sdk');
    expect(proposal).toHaveTextContent('1 more does not count');
    // Typing another release re-checks every component against it.
    await userEvent.clear(field);
    await userEvent.type(field, '2030.9');
    expect(proposal).toHaveTextContent('promotions-engine: release 2030.9');
    expect(proposal).toHaveTextContent(
      'Payment Gateway: release 2031.1 (GO), proposed in the release manifest',
    );
    await userEvent.clear(field);
    await userEvent.type(field, '2031.1');
    await userEvent.click(screen.getByRole('button', { name: 'Open gate' }));
    await waitFor(() =>
      expect(openGate).toHaveBeenCalledWith(
        { kind: 'System', namespace: 'default', name: 'storefront' },
        expect.objectContaining({ release: '2031.1' }),
      ),
    );
  });
});

describe("a system gate's release manifest on the tab", () => {
  const billing: Entity = {
    ...system,
    metadata: { name: 'billing', namespace: 'default' },
  };
  const gate = makeGate({
    ...systemGate,
    entityRef: 'system:default/billing',
    version: 7,
    manifest: { 'component:default/promotions-engine': '2030.9' },
  });
  const withManifest: EntityRollup = {
    ...rollup,
    entityRef: 'system:default/billing',
    manifest: { 'component:default/promotions-engine': '2030.9' },
    parts: rollup.parts.map(p =>
      p.entityRef === 'component:default/promotions-engine'
        ? {
            ...p,
            gate: {
              release: '2030.9',
              state: 'in-progress',
              verdict: 'IN PROGRESS',
              blockers: 2,
            },
          }
        : p,
    ),
  };

  it('matches each component on its manifest release, and lets a gate owner change it', async () => {
    const setReleaseManifest = jest.fn().mockResolvedValue(gate);
    await renderTab(
      billing,
      {
        getEntityReadiness: jest
          .fn()
          .mockResolvedValue(readiness('system:default/billing', gate)),
        getEntityRollup: jest.fn().mockResolvedValue(withManifest),
        setReleaseManifest,
      },
      AuthorizeResult.ALLOW,
    );
    await screen.findByRole('table', { name: 'Components of the system' });
    expect(screen.getByTestId('rollup-summary')).toHaveTextContent(
      'GO for the releases the manifest of release 2031.1 names',
    );
    expect(row('promotions-engine')).toHaveTextContent('2030.9');
    expect(row('promotions-engine')).toHaveTextContent('2 blockers before GO.');
    expect(row('ledger')).toHaveTextContent(
      'No gate for release 2031.1: it never had a gate.',
    );

    await userEvent.click(
      await screen.findByRole('button', { name: 'Edit release manifest' }),
    );
    // One field per counted part; the library does not count.
    expect(
      screen.getByRole('textbox', { name: /Release of promotions-engine/ }),
    ).toHaveValue('2030.9');
    const ledger = screen.getByRole('textbox', { name: /Release of ledger/ });
    expect(ledger).toHaveValue('2031.1');
    expect(
      screen.queryByRole('textbox', { name: /payments-sdk/ }),
    ).not.toBeInTheDocument();
    expect(
      screen.getByText(/sign-offs already given must be given again/),
    ).toBeInTheDocument();

    // An emptied field is named, and nothing is sent.
    await userEvent.clear(ledger);
    await userEvent.click(
      screen.getByRole('button', { name: 'Save release manifest' }),
    );
    expect(
      screen.getByText('Name the release of ledger this system release ships.'),
    ).toBeInTheDocument();
    expect(setReleaseManifest).not.toHaveBeenCalled();

    await userEvent.type(ledger, '4.2.0');
    await userEvent.click(
      screen.getByRole('button', { name: 'Save release manifest' }),
    );
    await waitFor(() =>
      expect(setReleaseManifest).toHaveBeenCalledWith(gate.id, {
        manifest: {
          'component:default/payment-gateway': '2031.1',
          'component:default/card-vault': '2031.1',
          'component:default/promotions-engine': '2030.9',
          'component:default/ledger': '4.2.0',
          // A part the owner may not read still ships with a release.
          'component:default/secret-service': '2031.1',
        },
        version: 7,
      }),
    );
    // The form closes and focus returns to its button.
    await waitFor(() =>
      expect(
        screen.getByRole('button', { name: 'Edit release manifest' }),
      ).toHaveFocus(),
    );
  });

  it('is not offered to someone who may not edit the gate', async () => {
    const other: Entity = {
      ...system,
      metadata: { name: 'billing-viewer', namespace: 'default' },
    };
    await renderTab(other, {
      getEntityReadiness: jest
        .fn()
        .mockResolvedValue(readiness('system:default/billing-viewer', gate)),
      getEntityRollup: jest.fn().mockResolvedValue(withManifest),
    });
    await screen.findByRole('table', { name: 'Components of the system' });
    expect(
      screen.queryByRole('button', { name: 'Edit release manifest' }),
    ).not.toBeInTheDocument();
  });
});

describe('the Readiness tab of a domain', () => {
  it("rolls up the domain's systems, for information", async () => {
    const domainRollup: EntityRollup = {
      entityRef: 'domain:default/commerce',
      partKind: 'system',
      release: '2031.1',
      blocksGate: false,
      counted: 1,
      ready: 0,
      parts: [
        {
          entityRef: 'system:default/payments-platform',
          title: 'Payments Platform',
          visible: true,
          ready: false,
          gate: { release: '2031.1', state: 'no-go' },
          currentGate: { release: '2031.1', state: 'no-go' },
        },
      ],
    };
    await renderTab(domain, {
      getEntityReadiness: jest.fn().mockResolvedValue(
        readiness(
          'domain:default/commerce',
          makeGate({
            entityRef: 'domain:default/commerce',
            release: '2031.1',
            tier: 3,
          }),
        ),
      ),
      getEntityRollup: jest.fn().mockResolvedValue(domainRollup),
    });
    const table = await screen.findByRole('table', {
      name: 'Systems of the domain',
    });
    expect(
      within(table).getByRole('link', { name: 'Payments Platform' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/system/payments-platform/readiness',
    );
    expect(table).toHaveTextContent(
      'Its gate is NO-GO: the corrective loop must reopen it.',
    );
    expect(screen.getByTestId('rollup-summary')).toHaveTextContent(
      "A domain's business gate does not wait for its systems' gates",
    );
  });
});
