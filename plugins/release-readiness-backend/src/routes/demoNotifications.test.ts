/*
 * The demo's scenario, replayed through the API on the demo's own catalog
 * (examples/): the steps of scripts/seed-demo.mjs, which walks three gates to
 * GO (payment-gateway 1.3.0, ledger-service 2.3.0, cart-service 3.2.0) and
 * leaves others in progress, NO-GO, cancelled and just opened. Every
 * notification is checked for exactly whom it reaches, and each person's
 * count is measured: the release-management persona gets at most ten.
 */
import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import request from 'supertest';
import { demoCatalog } from '../__testUtils__/demoCatalog';
import {
  as,
  sentNotifications,
  startReadinessBackend,
} from '../__testUtils__/fixtures';
import { NOTIFICATION_TOPICS } from '../notifications/ReadinessNotifier';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const API = '/api/release-readiness';
const DAY = 86_400_000;

/** The demo's CI pipeline: requests without a token. */
const ci = mockCredentials.service('external:ci', {
  permissionNames: [
    'release-readiness.evidence.create',
    'release-readiness.gate.read',
  ],
});

const user = (name: string) => `user:default/${name}`;
const iso = (offsetDays: number) =>
  new Date(Date.now() + offsetDays * DAY).toISOString();

/** Tomorrow 22:30 UTC, after the year-end freeze when inside it (as the seed). */
function safePlannedAt() {
  const planned = new Date(Date.now() + DAY);
  planned.setUTCHours(22, 30, 0, 0);
  const year = planned.getUTCFullYear();
  const freezeStart = Date.UTC(year, 11, 19);
  const freezeEnd = Date.UTC(year + 1, 0, 4);
  if (planned.getTime() >= freezeStart && planned.getTime() < freezeEnd) {
    return new Date(freezeEnd + 22.5 * 3_600_000).toISOString();
  }
  return planned.toISOString();
}

async function quiet(ms = 400) {
  let count = -1;
  while (count !== sentNotifications.length) {
    count = sentNotifications.length;
    await new Promise(done => setTimeout(done, ms));
  }
}

/** The steps of scripts/seed-demo.mjs, against the test backend. */
function demoSeed(api: ReturnType<typeof request>) {
  async function call(
    method: 'get' | 'post' | 'patch' | 'put',
    path: string,
    who: string | undefined,
    body?: object,
  ) {
    let req = api[method](`${API}${path}`);
    if (who) req = req.set('Authorization', as(user(who)));
    const res = await (body ? req.send(body) : req);
    if (res.status !== 200 && res.status !== 201) {
      throw new Error(
        `${method} ${path} as ${who ?? 'ci'}: ${res.status} ${JSON.stringify(
          res.body,
        )}`,
      );
    }
    return res.body;
  }
  const open = (who: string, entity: string, release: string, extra = {}) =>
    call('post', `/entities/component/default/${entity}/gates`, who, {
      release,
      plannedAt: safePlannedAt(),
      ...extra,
    });
  async function mark(gate: any, who: string, itemIds: string[]) {
    let current = gate;
    for (const id of itemIds) {
      const item = current.items.find((i: any) => i.id === id);
      current = await call('patch', `/gates/${gate.id}/items/${id}`, who, {
        status: 'passed',
        version: item.version,
        note: 'Checked in the release review',
      });
    }
    return current;
  }
  const evidence = (
    entity: string,
    release: string,
    type: string,
    status: string,
    metrics: object,
  ) =>
    call('post', '/evidence', undefined, {
      entityRef: `component:default/${entity}`,
      release,
      type,
      status,
      metrics,
      runId: `demo-${entity}-${release}-${type}`,
      link: `https://ci.example.com/${entity}/${release}/${type}`,
      observedAt: iso(0),
    });
  async function greenEvidence(entity: string, release: string) {
    await evidence(entity, release, 'test-report', 'passed', {
      passed: true,
      total: 1240,
      failed: 0,
    });
    await evidence(entity, release, 'static-analysis', 'passed', {
      score: 94,
    });
    await evidence(entity, release, 'security-scan', 'passed', {
      critical: 0,
      high: 0,
      medium: 3,
    });
    await evidence(entity, release, 'feature-toggles', 'passed', {
      passed: true,
    });
  }
  const fullRisk = (gate: any, who: string) =>
    call('put', `/gates/${gate.id}/risk`, who, {
      version: gate.risk?.version ?? 0,
      rollbackPlan:
        'Blue/green: switch traffic back to the previous version; database changes are backward compatible.',
      rollbackVerified: true,
      impactMatrix: [
        {
          failureMode: 'Elevated error rate after the switch',
          impact: 'high',
          likelihood: 'low',
          mitigation: 'Canary at 5% with automatic rollback',
        },
      ],
      acceptResidualRisk: true,
      communication: {
        audiences: ['customer support', 'on-call'],
        scheduledAt: iso(1),
        approve: true,
      },
      consent: { gateId: gate.id, riskVersion: gate.risk?.version ?? 0 },
    });
  const MANUAL = [
    'user-acceptance',
    'security-review',
    'runbook-updated',
    'release-notes',
  ];
  async function readyGate(
    owner: string,
    peer: string,
    entity: string,
    release: string,
  ) {
    let gate = await open(owner, entity, release);
    await greenEvidence(entity, release);
    gate = await mark(gate, owner, MANUAL);
    gate = await fullRisk(gate, owner);
    for (const [who, role] of [
      [peer, 'engineering'],
      ['nadia-haddad', 'qa'],
      ['samuel-adeyemi', 'security'],
      ['margaret-osei', 'release-management'],
    ]) {
      gate = await call('post', `/gates/${gate.id}/signoffs`, who, {
        role,
        verdict: 'ready',
        comment: 'Reviewed, ready to go',
      });
    }
    return gate;
  }
  const decide = (gate: any, who: string, body: object) =>
    call('post', `/gates/${gate.id}/decision`, who, body);

  return async function seed() {
    const gates: Record<string, string> = {};
    const released = await readyGate(
      'priya-raman',
      'tomasz-kowalski',
      'payment-gateway',
      '1.3.0',
    );
    gates.released = released.id;
    await decide(released, 'margaret-osei', {
      verdict: 'go',
      reason: 'All conditions met at the Tuesday release board',
    });
    await decide(released, 'priya-raman', { transition: 'release' });

    let current = await open('priya-raman', 'payment-gateway', '1.4.0');
    gates.notReady = current.id;
    await evidence('payment-gateway', '1.4.0', 'test-report', 'passed', {
      passed: true,
      total: 1262,
    });
    await evidence('payment-gateway', '1.4.0', 'static-analysis', 'failed', {
      score: 84,
    });
    current = await mark(current, 'priya-raman', [
      'user-acceptance',
      'runbook-updated',
    ]);
    await call('post', `/gates/${current.id}/signoffs`, 'nadia-haddad', {
      role: 'qa',
      verdict: 'not-ready',
      comment: 'Refund flow regression in the staging run; see QA-1432',
    });

    const go = await readyGate(
      'tomasz-kowalski',
      'amara-okafor',
      'ledger-service',
      '2.3.0',
    );
    gates.go = go.id;
    await decide(go, 'margaret-osei', {
      verdict: 'go',
      reason: 'Ready for Thursday 10:00 train',
    });

    const noGo = await open('priya-raman', 'card-vault', '5.1.0');
    gates.noGo = noGo.id;
    await evidence('card-vault', '5.1.0', 'security-scan', 'failed', {
      critical: 1,
      high: 2,
    });
    await decide(noGo, 'priya-raman', {
      verdict: 'no-go',
      reason: 'Critical CVE in the base image; rebuild on the patched image',
    });

    const rolled = await readyGate(
      'hiroshi-tanaka',
      'sofia-lindqvist',
      'cart-service',
      '3.2.0',
    );
    gates.rolled = rolled.id;
    await decide(rolled, 'sofia-lindqvist', {
      verdict: 'go',
      reason: 'All green',
    });
    await decide(rolled, 'hiroshi-tanaka', { transition: 'release' });
    await decide(rolled, 'hiroshi-tanaka', {
      transition: 'rollback',
      reason: 'Basket totals wrong for multi-currency carts',
    });

    const cancelled = await open('mateo-fernandez', 'order-service', '1.8.0');
    await decide(cancelled, 'mateo-fernandez', {
      transition: 'cancel',
      reason: 'Merged into 1.9.0',
    });

    await open('fatima-al-sayed', 'auth-service', '4.0.0', {
      plannedAt: `${new Date().getUTCFullYear()}-12-22T10:00:00Z`,
    });
    await open('hiroshi-tanaka', 'promotions-engine', '0.9.4', {
      template: 'rapid-release',
      rapidReason: 'Hotfix: double discount applied to bundles',
    });
    return gates;
  };
}

describe.each(databases.eachSupportedId())(
  'the demo scenario on %s',
  databaseId => {
    it('tells each person only what they must act on: the release manager gets three of at most ten', async () => {
      const { entities, membership } = demoCatalog();
      const knex = await databases.init(databaseId);
      const { server } = await startReadinessBackend({
        knex,
        defaultCredentials: ci as any,
        entities,
        membership,
      });
      await quiet();
      sentNotifications.length = 0;
      const gates = await demoSeed(request(server))();
      await quiet();

      /** The users a notification reaches, as the notifications backend resolves entity refs. */
      const reached = (n: NotificationSendOptions) => {
        if (n.recipients.type !== 'entity') throw new Error('broadcast');
        const refs = [n.recipients.entityRef].flat();
        const excluded = [n.recipients.excludeEntityRef ?? []].flat();
        return Object.keys(membership)
          .filter(
            u => refs.includes(u) || membership[u].some(g => refs.includes(g)),
          )
          .filter(u => !excluded.includes(u))
          .map(u => u.replace('user:default/', ''))
          .sort();
      };
      const got = sentNotifications.map(n => ({
        topic: n.payload.topic,
        scope: n.payload.scope,
        to: reached(n),
      }));
      const signoffs = (gateId: string, engineers: string[]) =>
        [
          ['engineering', engineers],
          ['qa', ['ben-carter', 'leila-farahani', 'nadia-haddad']],
          ['security', ['elena-rossi', 'samuel-adeyemi']],
          ['release-management', ['david-kim', 'margaret-osei']],
        ].map(([role, to]) => ({
          topic: NOTIFICATION_TOPICS.signoff,
          scope: `gate:${gateId}:signoff:${role}`,
          to,
        }));
      const decision = (gateId: string, to: string[]) => ({
        topic: NOTIFICATION_TOPICS.decision,
        scope: expect.stringMatching(new RegExp(`^gate:${gateId}:decision:`)),
        to,
      });
      const payments = [
        'amara-okafor',
        'lucas-moreau',
        'priya-raman',
        'tomasz-kowalski',
      ];
      const expected = [
        // payment-gateway 1.3.0: the gate owners less Priya, who opened it.
        ...signoffs(gates.released, [
          'amara-okafor',
          'lucas-moreau',
          'tomasz-kowalski',
        ]),
        decision(
          gates.released,
          payments.filter(p => p !== 'margaret-osei'),
        ),
        // payment-gateway 1.4.0: QA's Not-ready goes to the gate owners.
        {
          topic: NOTIFICATION_TOPICS.notReady,
          scope: expect.stringMatching(
            new RegExp(`^gate:${gates.notReady}:vote:`),
          ),
          to: payments,
        },
        // ledger-service 2.3.0, opened by Tomasz.
        ...signoffs(gates.go, ['amara-okafor', 'lucas-moreau', 'priya-raman']),
        decision(gates.go, payments),
        // card-vault 5.1.0: Priya's own NO-GO is not told to her.
        decision(
          gates.noGo,
          payments.filter(p => p !== 'priya-raman'),
        ),
        // cart-service 3.2.0, opened by Hiroshi of checkout.
        ...signoffs(gates.rolled, [
          'grace-mensah',
          'mateo-fernandez',
          'sofia-lindqvist',
        ]),
        decision(gates.rolled, [
          'grace-mensah',
          'hiroshi-tanaka',
          'mateo-fernandez',
        ]),
      ];
      expect(got).toHaveLength(expected.length);
      expect(got).toEqual(expect.arrayContaining(expected));

      const count = (name: string) =>
        got.filter(n => n.to.includes(name)).length;
      // The release-management persona: one request per gate walked to GO.
      expect(count('margaret-osei')).toBe(3);
      expect(count('margaret-osei')).toBeLessThanOrEqual(10);
      expect(count('david-kim')).toBe(3);
      // Nobody outside the roles and owners hears anything.
      expect(count('ada-admin')).toBe(0);
      expect(count('rafael-souza')).toBe(0);
      expect(count('fatima-al-sayed')).toBe(0);
      // Every notification has its kind's topic.
      expect(new Set(got.map(n => n.topic))).toEqual(
        new Set([
          NOTIFICATION_TOPICS.signoff,
          NOTIFICATION_TOPICS.decision,
          NOTIFICATION_TOPICS.notReady,
        ]),
      );
    });
  },
);
