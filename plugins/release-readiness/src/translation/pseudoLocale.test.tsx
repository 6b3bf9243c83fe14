/*
 * Every word the gate panels write comes from the translation ref: with
 * every message "translated" into a pseudo-language (the same text in
 * full-width letters), no Latin letter is left on screen except in the data
 * the gate carries (titles, names, notes, times). A string written straight
 * into a component shows up here in plain letters and fails the test.
 */
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  createFrontendModule,
  createTranslationMessages,
} from '@backstage/frontend-plugin-api';
import { TranslationBlueprint } from '@backstage/plugin-app-react';
import { identityApiRef } from '@backstage/core-plugin-api';
import {
  EntityRollup,
  gateOutcome,
  GATE_STATE_LABELS,
  ineligibleVoterMessage,
  pendingApprovals,
  templateLabel,
} from '@release-readiness/plugin-common';
import { releaseReadinessApiRef } from '../api';
import { ENTITY_REF, GATE_OWNERS, makeMidwayGate } from '../__fixtures__/gate';
import { mockIdentityApi } from '../__fixtures__/apis';
import { Checklist } from '../components/Checklist';
import { DecisionPanel } from '../components/DecisionPanel';
import { GateHeader } from '../components/GateHeader';
import { History } from '../components/History';
import { RiskForm } from '../components/RiskForm';
import { Signoffs } from '../components/Signoffs';
import { MetricTiles } from '../components/Portfolio/MetricTiles';
import { PortfolioCharts } from '../components/Portfolio/PortfolioCharts';
import { PortfolioFilters } from '../components/Portfolio/PortfolioFilters';
import { PortfolioTable } from '../components/Portfolio/PortfolioTable';
import { readPortfolioQuery } from '../components/Portfolio/query';
import {
  portfolioFixture,
  teamMetricsFixture,
} from '../components/Portfolio/__fixtures__/portfolio';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { EntityReadinessCard } from '../components/EntityReadinessCard';
import { OpenGateForm } from '../components/OpenGateForm';
import { PendingApprovals } from '../components/PendingApprovals';
import { RollupCard } from '../components/Rollup';
import { makeGate } from '../__fixtures__/gate';
import { entityMessages } from './messages/entity';
import { gateMessages } from './messages/gate';
import { portfolioMessages } from './messages/portfolio';
import { windowMessages } from './messages/window';
import { WindowPanel } from '../components/WindowPanel';
import { CaughtBeforeProduction } from '../components/Portfolio/CaughtBeforeProduction';
import { ReleaseCalendar } from '../components/Portfolio/ReleaseCalendar';
import { TierView } from '../components/Portfolio/TierView';
import { condition, makeEvaluation } from '../__fixtures__/gate';
import { releaseReadinessTranslationRef } from './index';

/** The messages as the ref flattens them: `checklist.title` → text. */
function flatten(
  messages: object,
  prefix = '',
  into: Record<string, string> = {},
): Record<string, string> {
  for (const [key, value] of Object.entries(messages)) {
    if (typeof value === 'string') into[`${prefix}${key}`] = value;
    else flatten(value, `${prefix}${key}.`, into);
  }
  return into;
}

/** Latin letters as full-width ones; `{{placeholders}}` stay as they are. */
function pseudo(text: string): string {
  return text.replace(/\{\{[^}]+\}\}|[A-Za-z]/g, match =>
    match.length > 1
      ? match
      : String.fromCharCode(match.charCodeAt(0) + 0xfee0),
  );
}

const english = flatten({
  ...entityMessages,
  ...gateMessages,
  ...portfolioMessages,
  ...windowMessages,
});

const pseudoLanguage = createFrontendModule({
  pluginId: 'app',
  extensions: [
    TranslationBlueprint.make({
      name: 'release-readiness-pseudo',
      params: {
        resource: createTranslationMessages({
          ref: releaseReadinessTranslationRef,
          messages: Object.fromEntries(
            Object.entries(english).map(([key, text]) => [key, pseudo(text)]),
          ) as any,
        }),
      },
    }),
  ],
});

/** Every string in the gate's data, and what is made of it on screen. */
function dataStrings(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'string') {
    into.push(value);
    // Entities (people, teams, systems) show by their short names without
    // a catalog.
    const ref = /^[a-z]+:(?:[\w-]+\/)?([\w.-]+)$/i.exec(value);
    if (ref) into.push(ref[1]);
  } else if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) dataStrings(inner, into);
  }
  return into;
}

/** Words of dates and times as the reader's locale writes them. */
const TIME_WORDS =
  /\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|AM|PM|UTC)\b/g;

/** What is left of a text once the data in it is taken out. */
function withoutData(text: string, data: string[]): string {
  let rest = text;
  for (const value of data) rest = rest.split(value).join(' ');
  return rest.replace(TIME_WORDS, ' ');
}

/** The texts on screen with a Latin letter outside the data. */
function untranslatedTexts(data: string[]): string[] {
  const untranslated: string[] = [];
  const check = (text: string | null | undefined) => {
    if (text && /[A-Za-z]/.test(withoutData(text, data))) {
      untranslated.push(text);
    }
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    // Commands and code are written as they are typed, in any language.
    if (!node.parentElement?.closest('code')) check(node.textContent);
  }
  for (const element of document.body.querySelectorAll('*')) {
    for (const attribute of ['aria-label', 'placeholder', 'title', 'alt']) {
      check(element.getAttribute(attribute));
    }
  }
  return untranslated;
}

describe('a pseudo-language for every message', () => {
  it('leaves no untranslated word in the gate panels', async () => {
    const gate = makeMidwayGate();
    const api = {
      listTemplates: jest.fn().mockResolvedValue([]),
      getAudit: jest.fn().mockResolvedValue([]),
    };
    await renderInTestApp(
      <>
        <GateHeader gate={gate} canAct />
        <Checklist
          gate={gate}
          canEdit
          entityRef={ENTITY_REF}
          onChange={jest.fn()}
          onConflict={jest.fn()}
        />
        <Signoffs gate={gate} gateOwners={GATE_OWNERS} onChange={jest.fn()} />
        <RiskForm
          gate={gate}
          canEdit
          onChange={jest.fn()}
          onConflict={jest.fn()}
        />
        <DecisionPanel
          gate={gate}
          entityRef={ENTITY_REF}
          templates={[]}
          canDecide
          canOpen
          onChange={jest.fn()}
        />
        <History gate={gate} earlierGates={[]} />
      </>,
      {
        features: [pseudoLanguage],
        apis: [
          [releaseReadinessApiRef, api as any],
          [identityApiRef, mockIdentityApi('user:default/jane.doe') as any],
        ],
      },
    );
    // The panels are there, in the pseudo-language.
    expect(
      await screen.findByText(pseudo(english['checklist.title'])),
    ).toBeInTheDocument();
    expect(
      screen.getByText(pseudo(english['signoffs.title'])),
    ).toBeInTheDocument();

    // Besides the gate's own data: the sentences -common writes (the README
    // says they are not messages of the ref), split where names go in.
    const fromCommon = [
      ...gate.signoffRoles.flatMap(role =>
        ineligibleVoterMessage(role, GATE_OWNERS).split(
          /\b(?:user|group):[\w-]+\/[\w.-]*\w/,
        ),
      ),
      // The test app's own (empty) toast region.
      '0 notifications.',
    ];
    const data = [
      ...dataStrings(gate),
      ...dataStrings(GATE_OWNERS),
      ...fromCommon,
    ]
      .filter(Boolean)
      .sort((a, b) => b.length - a.length);
    const untranslated = untranslatedTexts(data);
    expect(untranslated).toEqual([]);
  });

  it('leaves no untranslated word in the portfolio (tiles, filters, table, charts)', async () => {
    const query = readPortfolioQuery(new URLSearchParams());
    await renderInTestApp(
      <>
        <MetricTiles
          portfolio={portfolioFixture}
          metrics={teamMetricsFixture}
        />
        <PortfolioFilters
          query={query}
          facets={portfolioFixture.facets}
          onChange={jest.fn()}
        />
        <PortfolioTable
          portfolio={portfolioFixture}
          query={query}
          onSort={jest.fn()}
          onPage={jest.fn()}
          onPageSize={jest.fn()}
        />
        <PortfolioCharts
          teamMetrics={teamMetricsFixture}
          groupMetrics={teamMetricsFixture}
        />
      </>,
      {
        features: [pseudoLanguage],
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    expect(
      await screen.findByText(pseudo(english['metricTiles.title'])),
    ).toBeInTheDocument();
    const data = [
      ...dataStrings(portfolioFixture),
      ...dataStrings(teamMetricsFixture),
      '0 notifications.',
    ]
      .filter(Boolean)
      .sort((a, b) => b.length - a.length);
    expect(untranslatedTexts(data)).toEqual([]);
  });

  it('leaves no untranslated word in the card, the roll-up, the approvals and the open-gate form', async () => {
    const requester = 'user:default/priya.raman';
    const gate = makeGate({
      requestedBy: requester,
      templateReason: 'hotfix for the outage',
      templateApproval: {
        approvers: ['group:default/release-management'],
        because: 'hotfix is the expedited (rapid) template',
      },
    });
    const rollup: EntityRollup = {
      entityRef: 'system:default/payments-platform',
      partKind: 'component',
      release: '2031.1',
      blocksGate: true,
      proposedRelease: '2031.1',
      counted: 3,
      ready: 1,
      parts: [
        {
          entityRef: 'component:default/payment-gateway',
          title: 'Payment Gateway',
          visible: true,
          ready: true,
          gate: { release: '2031.1', state: 'go', verdict: 'GO', blockers: 0 },
          currentGate: { release: '2031.1', state: 'go' },
        },
        {
          entityRef: 'component:default/card-vault',
          title: 'card-vault',
          visible: true,
          ready: false,
          gate: {
            release: '2031.1',
            state: 'in-progress',
            verdict: 'IN PROGRESS',
            blockers: 3,
          },
          currentGate: { release: '2031.1', state: 'in-progress' },
        },
        {
          entityRef: 'component:default/promotions-engine',
          title: 'promotions-engine',
          visible: true,
          ready: false,
          currentGate: { release: '2030.9', state: 'in-progress' },
        },
        {
          entityRef: 'component:default/payments-sdk',
          title: 'payments-sdk',
          visible: true,
          ready: false,
          excluded: 'its type is library (released on its own)',
        },
        {
          entityRef: 'component:default/secret-service',
          visible: false,
          ready: false,
        },
      ],
    };
    const templates = [{ name: 'hotfix', title: 'Hotfix', rapid: true }];
    const readiness = {
      entityRef: 'component:default/payment-gateway',
      title: 'payment-gateway',
      gateOwners: [],
      checklist: [],
      earlierGates: [],
      currentGate: {
        release: '1.4.0',
        state: 'in-progress',
        evaluation: { verdict: 'IN PROGRESS', score: 61, blockers: [{}] },
      },
    };
    await renderInTestApp(
      <>
        <EntityProvider
          entity={{
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: { name: 'payment-gateway', namespace: 'default' },
          }}
        >
          <EntityReadinessCard />
        </EntityProvider>
        <RollupCard rollup={rollup} />
        <PendingApprovals gate={gate} onChange={jest.fn()} />
        <OpenGateForm
          entityRef={ENTITY_REF}
          templates={templates}
          defaultTemplate="hotfix"
          canOpen
          rollup={rollup}
          onChange={jest.fn()}
        />
      </>,
      {
        features: [pseudoLanguage],
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
        apis: [
          [
            releaseReadinessApiRef,
            {
              getEntityReadiness: jest.fn().mockResolvedValue(readiness),
            } as any,
          ],
          [identityApiRef, mockIdentityApi(requester) as any],
        ],
      },
    );
    expect(
      await screen.findByText(
        pseudo(english['entityReadinessCard.release']).replace(
          '{{release}}',
          '1.4.0',
        ),
      ),
    ).toBeInTheDocument();
    const outcome = gateOutcome({
      state: 'in-progress',
      verdict: 'IN PROGRESS',
      release: '1.4.0',
    });
    const fromCommon = [
      outcome.label,
      ...Object.values(GATE_STATE_LABELS).flatMap(l => [l.label, l.inSentence]),
      ...pendingApprovals(gate).map(a => a.message),
      ...templates.map(tpl => templateLabel(tpl)),
      '0 notifications.',
    ];
    const data = [
      ...dataStrings(gate),
      ...dataStrings(rollup),
      ...dataStrings(templates),
      ...dataStrings(readiness),
      ...fromCommon,
    ]
      .filter(Boolean)
      .sort((a, b) => b.length - a.length);
    expect(untranslatedTexts(data)).toEqual([]);
  });
  it('leaves no untranslated word in the release window card', async () => {
    const owner = 'user:default/jane.doe';
    const freeze = {
      id: 'year-end',
      name: 'Year-end freeze',
      kind: 'freeze' as const,
      from: '2026-06-18T00:00:00.000Z',
      to: '2026-06-25T00:00:00.000Z',
      scope: { all: true },
      approvers: ['group:default/release-management'],
      source: 'config' as const,
    };
    const train = {
      id: 'weekday-train',
      name: 'Weekday train',
      kind: 'train' as const,
      cron: '0 9 * * 1-5',
      duration: 'PT8H',
      scope: { all: true },
      approvers: [],
      source: 'config' as const,
    };
    const blocker = "The planned time is inside the freeze 'Year-end freeze'";
    const gate = makeGate({
      plannedAt: '2026-06-20T10:00:00.000Z',
      evaluation: makeEvaluation({
        ready: false,
        conditions: [condition('window', [blocker])],
      }),
    });
    const exceptions = {
      requests: [
        {
          id: 'r1',
          gateId: gate.id,
          windowId: 'year-end',
          state: 'open',
          requestedBy: owner,
          requestedAt: '2026-06-19T10:00:00.000Z',
          reason: 'customer launch',
        },
      ],
      approvals: [],
    };
    await renderInTestApp(
      <WindowPanel
        gate={gate}
        windows={[freeze, train]}
        canEdit
        onChange={jest.fn()}
      />,
      {
        features: [pseudoLanguage],
        apis: [
          [
            releaseReadinessApiRef,
            {
              getWindowExceptions: jest.fn().mockResolvedValue(exceptions),
            } as any,
          ],
          [identityApiRef, mockIdentityApi(owner) as any],
        ],
      },
    );
    expect(
      await screen.findByText(pseudo(english['windowPanel.title'])),
    ).toBeInTheDocument();
    await screen.findByText(/customer launch/);
    // The planned-time form, open.
    await userEvent.click(
      screen.getByRole('button', {
        name: pseudo(english['plannedTime.change']),
      }),
    );
    const data = [
      ...dataStrings(gate),
      ...dataStrings([freeze, train]),
      ...dataStrings(exceptions),
      '0 notifications.',
    ]
      .filter(Boolean)
      .sort((a, b) => b.length - a.length);
    expect(untranslatedTexts(data)).toEqual([]);
  });

  it('leaves no untranslated word in the caught list and the release calendar', async () => {
    const caught = {
      items: [1, 2].map(n => ({
        gateId: `g${n}`,
        entityRef: `component:default/svc-${n}`,
        title: `svc-${n}`,
        release: `1.${n}.0`,
        decidedAt: '2026-11-20T10:00:00.000Z',
        decidedBy: 'user:default/priya-raman',
        reason: 'Critical CVE',
        fixed: n === 1,
        caughtBy: [],
      })),
      totalItems: 12,
      offset: 0,
      limit: 2,
    };
    const now = new Date(2026, 2, 2, 8, 0);
    const on = (day: number, hour: number) =>
      new Date(2026, 2, day, hour, 0).toISOString();
    const calendar = {
      from: now.toISOString(),
      to: new Date(2026, 2, 30, 8, 0).toISOString(),
      windows: [
        {
          id: 'launch-freeze',
          name: 'Launch freeze',
          kind: 'freeze' as const,
          scope: { all: true },
          approvers: [],
          source: 'config' as const,
          occurrences: [{ start: on(4, 0), end: on(5, 0) }],
        },
        {
          id: 'morning-train',
          name: 'Morning train',
          kind: 'train' as const,
          scope: { all: true },
          approvers: [],
          source: 'config' as const,
          occurrences: [{ start: on(6, 9), end: on(6, 11) }],
        },
      ],
      releases: [
        {
          gateId: 'r1',
          entityRef: 'component:default/payment-gateway',
          title: 'payment-gateway',
          systemRef: 'system:default/payments-platform',
          release: '2.0.0',
          state: 'in-progress' as const,
          plannedAt: on(4, 10),
          windowIds: ['launch-freeze'],
          allowed: false,
          blockers: ["The planned time is inside the freeze 'Launch freeze'"],
          exceptions: [],
        },
        {
          gateId: 'r2',
          entityRef: 'component:default/ledger',
          title: 'ledger',
          systemRef: 'system:default/payments-platform',
          release: '4.2.0',
          state: 'in-progress' as const,
          plannedAt: on(4, 12),
          windowIds: ['launch-freeze'],
          allowed: true,
          blockers: [],
          exceptions: [
            {
              windowId: 'launch-freeze',
              approvedBy: 'user:default/margaret-osei',
              reason: 'Regulator deadline',
            },
          ],
        },
      ],
      totalReleases: 3,
    };
    await renderInTestApp(
      <>
        <CaughtBeforeProduction caught={caught} onPage={jest.fn()} />
        <ReleaseCalendar calendar={calendar as any} now={now} />
      </>,
      {
        features: [pseudoLanguage],
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    expect(
      await screen.findByRole('list', {
        name: pseudo(english['caught.listLabel']),
      }),
    ).toBeInTheDocument();
    const data = [
      ...dataStrings(caught),
      ...dataStrings(calendar),
      'Mon',
      'Tue',
      'Wed',
      'Thu',
      'Fri',
      'Sat',
      'Sun',
      '0 notifications.',
    ]
      .filter(Boolean)
      .sort((a, b) => b.length - a.length);
    expect(untranslatedTexts(data)).toEqual([]);
  });

  it('leaves no untranslated word in the tier view', async () => {
    const system = (name: string) => `system:default/${name}`;
    const rollups = [
      {
        systemRef: system('payments-platform'),
        system: {
          entityRef: system('payments-platform'),
          kind: 'system',
          title: 'Payments Platform',
          currentGate: {
            gateId: 'g1',
            release: '2026.12',
            state: 'in-progress',
            verdict: 'NO-GO',
          },
        },
        release: '2026.12',
        components: 9,
        excluded: 3,
        counted: 6,
        ready: 4,
        go: 3,
        noGo: 1,
        inProgress: 0,
        released: 1,
        rolledBack: 0,
        noGate: 1,
        hidden: 0,
      },
      {
        systemRef: system('identity-platform'),
        system: {
          entityRef: system('identity-platform'),
          kind: 'system',
          currentGate: {
            gateId: 'g2',
            release: '7.1',
            state: 'released',
            verdict: 'GO',
          },
        },
        release: '7.1',
        components: 2,
        excluded: 0,
        counted: 2,
        ready: 2,
        go: 0,
        noGo: 0,
        inProgress: 0,
        released: 2,
        rolledBack: 0,
        noGate: 0,
        hidden: 0,
      },
      {
        systemRef: system('storefront'),
        proposedRelease: '3.0',
        components: 4,
        excluded: 1,
        counted: 3,
        ready: 0,
        go: 0,
        noGo: 0,
        inProgress: 2,
        released: 0,
        rolledBack: 0,
        noGate: 1,
        hidden: 0,
      },
    ];
    await renderInTestApp(<TierView />, {
      features: [pseudoLanguage],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      apis: [
        [
          releaseReadinessApiRef,
          { getSystemRollups: jest.fn().mockResolvedValue(rollups) } as any,
        ],
      ],
    });
    expect(
      await screen.findByRole('table', {
        name: pseudo(english['tierView.tableLabel']),
      }),
    ).toBeInTheDocument();
    // Numbers only (not words) are data here: the states and verdicts are
    // the ref's words, so `in-progress`, `released` and `NO-GO` are not.
    const data = [
      'Payments Platform',
      'identity-platform',
      'storefront',
      '2026.12',
      '7.1',
      '0 notifications.',
    ].sort((a, b) => b.length - a.length);
    expect(untranslatedTexts(data)).toEqual([]);
    // The system's gate is written with the translated outcome.
    expect(
      screen.getByRole('cell', {
        name: `7.1: ${pseudo(english['gateState.label.released'])}`,
      }),
    ).toBeInTheDocument();
  });
});
