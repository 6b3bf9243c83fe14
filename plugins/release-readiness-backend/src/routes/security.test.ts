/*
 * The security promises of DESIGN.md, attacked through HTTP on both
 * databases, with the plugin's own permission policy (ReleaseReadinessPolicy)
 * deciding as the permission backend would:
 *
 * - identity comes from credentials, never from a body: a body naming a
 *   voter, decider, requester or approver is refused, and every record names
 *   the caller;
 * - services never vote; evidence needs a service token with access
 *   restrictions;
 * - only gate owners edit, only eligible people vote, and the requester's own
 *   Ready vote does not count where the template forbids self-approval;
 * - SQL metacharacters in filters, searches and text are data: the answers
 *   are empty or match literally, and the tables are intact afterwards;
 * - oversize and deeply nested JSON are refused with a 4xx, and the backend
 *   keeps serving.
 *
 * Refusals are checked twice: the status, and that nothing was written.
 */
import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { Knex } from 'knex';
import request from 'supertest';
import {
  as,
  BEN,
  ENTITIES,
  HIROSHI,
  MARGARET,
  MEMBERSHIP,
  NADIA,
  PRIYA,
  SAMUEL,
  startReadinessBackend,
  TOMASZ,
} from '../__testUtils__/fixtures';
import { ReleaseReadinessPolicy } from '../permissions/ReleaseReadinessPolicy';

/** A waiver expiry within the templates' waiverMaxDuration (30 days). */
const SOON = new Date(Date.now() + 20 * 86_400_000).toISOString();

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

const BASE = '/api/release-readiness';
const PG_PATH = 'component/default/payment-gateway';
const PG = `${BASE}/entities/${PG_PATH}`;
const PG_REF = 'component:default/payment-gateway';
const ADA = 'user:default/ada-admin';
const CI_SUBJECT = 'external:ci';

/** The demo app's policy, with its default groups. */
const policy = new ReleaseReadinessPolicy({
  adminGroups: ['group:default/platform-admins'],
  releaseManagerGroups: ['group:default/release-management'],
});

/** What the permission backend does: ask the policy, with the user's groups. */
async function decide(
  permission: any,
  credentials: any,
): Promise<PolicyDecision> {
  const principal = credentials.principal;
  if (principal.type === 'none') return { result: AuthorizeResult.DENY };
  if (principal.type === 'service') return policy.handle({ permission });
  const user = principal.userEntityRef;
  return policy.handle(
    { permission },
    {
      info: {
        userEntityRef: user,
        ownershipEntityRefs: [user, ...(MEMBERSHIP[user] ?? [])],
      },
      credentials,
    },
  );
}

const permissions = mockServices.permissions.mock({
  authorize: async (requests, { credentials }) =>
    Promise.all(
      requests.map(async r => {
        const decision = await decide(r.permission, credentials);
        return {
          result:
            decision.result === AuthorizeResult.ALLOW
              ? AuthorizeResult.ALLOW
              : AuthorizeResult.DENY,
        };
      }),
    ) as any,
  authorizeConditional: async (requests, { credentials }) =>
    Promise.all(requests.map(r => decide(r.permission, credentials))) as any,
});

/**
 * The pipeline's token, restricted to this plugin: the default credentials of
 * requests without an Authorization header. It is even granted the sign-off
 * permission, to show that a service cannot vote whatever it is granted.
 */
const ci = mockCredentials.service(CI_SUBJECT, {
  permissionNames: [
    'release-readiness.evidence.create',
    'release-readiness.incident.create',
    'release-readiness.signoff.create',
  ],
});
/** A service token without access restrictions. */
const UNRESTRICTED = mockCredentials.service.header();

/** A freeze over December 2030 that release management may make exceptions to. */
const WINDOWS = [
  {
    id: 'year-end-freeze',
    name: 'Year-end freeze',
    kind: 'freeze',
    from: '2030-12-01T00:00:00Z',
    to: '2031-01-04T00:00:00Z',
    scope: { all: true },
    approvers: ['group:default/release-management'],
  },
];

/** Services whose titles and names hold the characters LIKE treats specially. */
function service(name: string, title: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', title },
    spec: { type: 'service', owner: 'group:default/platform', lifecycle: 'x' },
    relations: [{ type: 'ownedBy', targetRef: 'group:default/platform' }],
  };
}
const LITERALS = [
  service('fees-percent', 'Fees 100% covered'),
  service('fees-digits', 'Fees 1000 covered'),
  service('rate_limiter', 'Rate limiter'),
  service('ratexlimiter', 'Rate x limiter'),
  service('path-backslash', 'C:\\temp\\svc'),
  service('path-plain', 'C:tempsvc'),
  service('quote-service', `O'Brien's "quoted" service`),
];

/** SQL metacharacters, and the characters LIKE and escapes treat specially. */
const METACHARACTERS = [
  "' OR 1=1 --",
  "' OR '1'='1",
  '"; DROP TABLE gates; --',
  "'); DROP TABLE entities; --",
  '%',
  '_',
  '\\',
  '%%',
  '_%_',
  '\\%',
  '*',
  '?',
  '$1',
  '`',
  "\\'",
  '/* comment */',
  'group:default/pay%',
  'group:default/payment_',
];

/** The plugin's tables, counted before and after an attack. */
const TABLES = [
  'entities',
  'gate_owner_assignments',
  'service_items',
  'gates',
  'gate_items',
  'votes',
  'evidence',
  'decisions',
  'audit_events',
  'window_exceptions',
  'incidents',
];

/** A 4xx in Backstage's error shape; the label says which request it was. */
function expectRefused(label: string, res: request.Response) {
  const refused =
    res.status >= 400 &&
    res.status < 500 &&
    typeof res.body?.error?.message === 'string';
  expect([label, refused ? 'refused' : res.status]).toEqual([label, 'refused']);
}

describe.each(databases.eachSupportedId())('security on %s', databaseId => {
  let knex: Knex;
  let api: ReturnType<typeof request>;
  let releases = 0;

  beforeAll(async () => {
    knex = await databases.init(databaseId);
    const { server } = await startReadinessBackend({
      knex,
      windows: WINDOWS,
      defaultCredentials: ci as any,
      entities: [...ENTITIES, ...LITERALS],
      features: [permissions.factory],
    });
    api = request(server);
  });

  /** Opens a gate of the payment gateway as Priya (a gate owner). */
  async function openGate(body: Record<string, unknown> = {}) {
    releases += 1;
    const res = await api
      .post(`${PG}/gates`)
      .set('Authorization', as(PRIYA))
      .send({ release: `6.0.${releases}`, ...body });
    expect(res.status).toBe(201);
    return res.body;
  }

  /** The header of whoever may make a change on this path; none for CI. */
  function callerFor(path: string): string | undefined {
    if (path.includes('evidence')) return undefined;
    if (path.includes('window-exception')) return as(MARGARET);
    if (path.includes('/windows')) return as(ADA);
    return as(PRIYA);
  }

  /** Rows in every table of the plugin. */
  async function counts(): Promise<Record<string, number>> {
    const result: Record<string, number> = {};
    for (const table of TABLES) {
      const [{ n }] = await knex(table).count({ n: '*' });
      result[table] = Number(n);
    }
    return result;
  }

  /** The gate as stored, to compare before and after a refused request. */
  async function snapshot(gateId: string) {
    const res = await api
      .get(`${BASE}/gates/${gateId}`)
      .set('Authorization', as(PRIYA));
    expect(res.status).toBe(200);
    const { evaluation: _e, ...gate } = res.body;
    return gate;
  }

  describe('identity comes from credentials, never from a body', () => {
    /** [route, method, path, valid body, identity field (dotted for nested)] */
    const cases: [string, string, string, Record<string, any>, string][] = [
      [
        'open a gate',
        'post',
        `${PG}/gates`,
        { release: 'id-1' },
        'requestedBy',
      ],
      ['open a gate', 'post', `${PG}/gates`, { release: 'id-2' }, 'actor'],
      [
        'mark an item',
        'patch',
        '/gates/:gate/items/user-acceptance',
        { status: 'passed', version: 1 },
        'updatedBy',
      ],
      [
        'waive an item',
        'patch',
        '/gates/:gate/items/user-acceptance',
        {
          status: 'waived',
          version: 1,
          waiver: { justification: 'x', expiresAt: SOON },
        },
        'waiver.by',
      ],
      [
        'vote',
        'post',
        '/gates/:gate/signoffs',
        { role: 'engineering', verdict: 'ready' },
        'voter',
      ],
      [
        'vote',
        'post',
        '/gates/:gate/signoffs',
        { role: 'engineering', verdict: 'ready' },
        'actor',
      ],
      [
        'fill the risk',
        'put',
        '/gates/:gate/risk',
        {
          version: 0,
          impactMatrix: [],
          acceptResidualRisk: true,
          consent: { gateId: ':gate', riskVersion: 0 },
        },
        'acceptedBy',
      ],
      [
        'fill the risk',
        'put',
        '/gates/:gate/risk',
        { version: 0, impactMatrix: [], rollbackVerified: true },
        'rollbackVerifiedBy',
      ],
      [
        'fill the risk',
        'put',
        '/gates/:gate/risk',
        {
          version: 0,
          impactMatrix: [],
          communication: { audiences: ['support'], approve: true },
          consent: { gateId: ':gate', riskVersion: 0 },
        },
        'communication.approvedBy',
      ],
      [
        'decide',
        'post',
        '/gates/:gate/decision',
        { verdict: 'no-go', reason: 'x' },
        'decidedBy',
      ],
      [
        'decide',
        'post',
        '/gates/:gate/decision',
        { verdict: 'no-go', reason: 'x' },
        'by',
      ],
      [
        'approve a window exception',
        'post',
        '/gates/:gate/window-exception',
        { windowId: 'year-end-freeze', reason: 'x' },
        'approvedBy',
      ],
      [
        'assign gate owners',
        'put',
        `${PG}/owners`,
        { owners: [PRIYA] },
        'assignedBy',
      ],
      [
        'add a service item',
        'post',
        `${PG}/items`,
        { id: 'sec-item', title: 'x', category: 'security', required: false },
        'createdBy',
      ],
      [
        'post evidence',
        'post',
        `${BASE}/evidence`,
        {
          entityRef: PG_REF,
          release: '1',
          type: 'test-report',
          status: 'passed',
          runId: 'id',
        },
        'postedBy',
      ],
      [
        'report an incident',
        'post',
        `${BASE}/incidents`,
        { entityRef: PG_REF, release: '1', severity: 'sev2', title: 'x' },
        'reportedBy',
      ],
      [
        'create a window',
        'post',
        `${BASE}/windows`,
        {
          id: 'sec-window',
          name: 'x',
          kind: 'freeze',
          from: '2032-01-01T00:00:00Z',
          to: '2032-01-02T00:00:00Z',
          scope: { all: true },
        },
        'createdBy',
      ],
    ];

    it.each(
      cases.map(
        ([what, method, path, body, field]) =>
          [what, field, method, path, body] as const,
      ),
    )(
      'refuses a body naming who did it (%s, with %s), and records nothing',
      async (_what, field, method, path, template) => {
        const gate = await openGate({ plannedAt: '2030-12-24T10:00:00Z' });
        // A consent names the gate it is given on.
        const body = JSON.parse(
          JSON.stringify(template).split(':gate').join(gate.id),
        );
        const url = path.startsWith('/gates')
          ? `${BASE}${path.replace(':gate', gate.id)}`
          : path;
        // The forged identity: an admin, on the body or one level down.
        const forged = JSON.parse(JSON.stringify(body));
        const [outer, inner] = field.split('.');
        if (inner) forged[outer][inner] = ADA;
        else forged[outer] = ADA;
        // Sent by whoever could make the change with a clean body.
        const caller = callerFor(path);
        const before = await counts();
        let req = (api as any)[method](url) as request.Test;
        if (caller) req = req.set('Authorization', caller);
        const res = await req.send(forged);
        expect(res.status).toBe(400);
        expect(res.body.error.name).toBe('InputError');
        expect(res.body.error.message).toContain(inner ?? outer);
        expect(await counts()).toEqual(before);

        // The same body without the field goes through: the refusal was
        // about the identity, nothing else.
        let clean = (api as any)[method](url) as request.Test;
        if (caller) clean = clean.set('Authorization', caller);
        expect((await clean.send(body)).status).toBeLessThan(300);
      },
    );

    it('refuses identity in the query string too', async () => {
      const gate = await openGate();
      const res = await api
        .post(`${BASE}/gates/${gate.id}/signoffs?voter=${ADA}`)
        .set('Authorization', as(NADIA))
        .send({ role: 'qa', verdict: 'ready' });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/voter/);
      expect((await snapshot(gate.id)).votes).toEqual([]);
    });

    it('records the caller as the author of every change', async () => {
      // Tomasz opens, Priya marks and waives, Nadia votes, Tomasz fills the
      // risk, Margaret approves the exception and decides; CI posts evidence
      // and Tomasz (a gate owner) reports an incident.
      releases += 1;
      const release = `6.0.${releases}`;
      const opened = await api
        .post(`${PG}/gates`)
        .set('Authorization', as(TOMASZ))
        .send({ release, plannedAt: '2030-12-24T10:00:00Z' });
      expect(opened.status).toBe(201);
      const gateId = opened.body.id;
      expect(opened.body.requestedBy).toBe(TOMASZ);

      const marked = await api
        .patch(`${BASE}/gates/${gateId}/items/user-acceptance`)
        .set('Authorization', as(PRIYA))
        .send({ status: 'passed', version: 1 });
      expect(marked.status).toBe(200);
      const waived = await api
        .patch(`${BASE}/gates/${gateId}/items/security-scan`)
        .set('Authorization', as(PRIYA))
        .send({
          status: 'waived',
          version: 1,
          waiver: {
            justification: 'scanner down',
            expiresAt: SOON,
          },
        });
      expect(waived.status).toBe(200);
      const items = waived.body.items;
      expect(items.find((i: any) => i.id === 'user-acceptance')).toMatchObject({
        updatedBy: PRIYA,
      });
      expect(items.find((i: any) => i.id === 'security-scan')).toMatchObject({
        updatedBy: PRIYA,
        waiver: { by: PRIYA },
      });

      const voted = await api
        .post(`${BASE}/gates/${gateId}/signoffs`)
        .set('Authorization', as(NADIA))
        .send({ role: 'qa', verdict: 'ready' });
      expect(voted.status).toBe(201);
      expect(voted.body.votes.map((v: any) => v.voter)).toEqual([NADIA]);

      const risk = await api
        .put(`${BASE}/gates/${gateId}/risk`)
        .set('Authorization', as(TOMASZ))
        .send({
          version: 0,
          impactMatrix: [],
          rollbackPlan: 'redeploy 6.0.0',
          rollbackVerified: true,
          acceptResidualRisk: true,
          communication: { audiences: ['support'], approve: true },
          consent: { gateId, riskVersion: 0 },
        });
      expect(risk.status).toBe(200);
      expect(risk.body.risk).toMatchObject({
        rollbackVerifiedBy: TOMASZ,
        residualRisk: { acceptedBy: TOMASZ },
        communication: { approvedBy: TOMASZ },
        updatedBy: TOMASZ,
      });

      const exception = await api
        .post(`${BASE}/gates/${gateId}/window-exception`)
        .set('Authorization', as(MARGARET))
        .send({ windowId: 'year-end-freeze', reason: 'hotfix' });
      expect(exception.status).toBe(201);
      expect(
        await knex('window_exceptions')
          .where({ gate_id: gateId })
          .pluck('approved_by'),
      ).toEqual([MARGARET]);

      const decided = await api
        .post(`${BASE}/gates/${gateId}/decision`)
        .set('Authorization', as(MARGARET))
        .send({ verdict: 'no-go', reason: 'not yet' });
      expect(decided.status).toBe(200);
      expect(decided.body.decisions.map((d: any) => d.by)).toEqual([MARGARET]);

      const evidence = await api.post(`${BASE}/evidence`).send({
        entityRef: PG_REF,
        release,
        type: 'test-report',
        status: 'passed',
        metrics: { passed: true },
        runId: `sec-${release}`,
      });
      expect(evidence.status).toBe(201);
      expect(evidence.body.postedBy).toBe(CI_SUBJECT);

      const incident = await api
        .post(`${BASE}/incidents`)
        .set('Authorization', as(TOMASZ))
        .send({ entityRef: PG_REF, release, severity: 'sev3', title: 'x' });
      expect(incident.status).toBe(201);
      expect(incident.body.reportedBy).toBe(TOMASZ);

      // The audit trail names the same people, event by event.
      const audit = await api
        .get(`${BASE}/gates/${gateId}/audit`)
        .set('Authorization', as(BEN));
      expect(audit.body.items.map((e: any) => [e.action, e.actor])).toEqual([
        ['gate.open', TOMASZ],
        ['item.update', PRIYA],
        ['item.update', PRIYA],
        ['signoff.vote', NADIA],
        ['risk.update', TOMASZ],
        [expect.stringMatching(/window/), MARGARET],
        ['decision.no-go', MARGARET],
      ]);
    });
  });

  describe('service principals', () => {
    it('cannot vote, restricted or not, whatever they are granted', async () => {
      const gate = await openGate();
      const vote = { role: 'engineering', verdict: 'ready' };
      const url = `${BASE}/gates/${gate.id}/signoffs`;
      const before = await counts();

      const restricted = await api.post(url).send(vote);
      expect(restricted.status).toBe(403);
      const unrestricted = await api
        .post(url)
        .set('Authorization', UNRESTRICTED)
        .send(vote);
      expect(unrestricted.status).toBe(403);
      // A service calling on a user's behalf is still a service.
      const onBehalf = await api
        .post(url)
        .set(
          'Authorization',
          mockCredentials.service.header({
            onBehalfOf: mockCredentials.service(CI_SUBJECT),
            targetPluginId: 'release-readiness',
          }),
        )
        .send(vote);
      expect(onBehalf.status).toBe(403);

      expect(await counts()).toEqual(before);
      expect((await snapshot(gate.id)).votes).toEqual([]);
    });

    it('cannot post evidence without access restrictions; people never can', async () => {
      const body = {
        entityRef: PG_REF,
        release: '6.9.9',
        type: 'test-report',
        status: 'passed',
        runId: 'unrestricted',
      };
      const before = await counts();
      const unrestricted = await api
        .post(`${BASE}/evidence`)
        .set('Authorization', UNRESTRICTED)
        .send(body);
      expect(unrestricted.status).toBe(403);
      expect(unrestricted.body.error.message).toMatch(/access restrictions/);
      for (const user of [PRIYA, ADA]) {
        const person = await api
          .post(`${BASE}/evidence`)
          .set('Authorization', as(user))
          .send(body);
        expect(person.status).toBe(403);
      }
      expect(await counts()).toEqual(before);

      // The restricted pipeline token is let in.
      const restricted = await api.post(`${BASE}/evidence`).send(body);
      expect(restricted.status).toBe(201);
      expect(restricted.body.postedBy).toBe(CI_SUBJECT);
    });
  });

  describe('gate owners and eligible voters', () => {
    it('refuses edits by people who are not gate owners, and changes nothing', async () => {
      const gate = await openGate();
      const gateUrl = `${BASE}/gates/${gate.id}`;
      const attempts: [string, string, string, object][] = [
        [
          'patch',
          `${gateUrl}/items/user-acceptance`,
          'mark an item',
          { status: 'passed', version: 1 },
        ],
        [
          'patch',
          `${gateUrl}/items/security-scan`,
          'waive an item',
          {
            status: 'waived',
            version: 1,
            waiver: { justification: 'x', expiresAt: SOON },
          },
        ],
        [
          'put',
          `${gateUrl}/risk`,
          'fill the risk',
          {
            version: 0,
            impactMatrix: [],
            acceptResidualRisk: true,
            consent: { gateId: gate.id, riskVersion: 0 },
          },
        ],
        ['put', `${PG}/owners`, 'assign owners', { owners: [HIROSHI] }],
        [
          'post',
          `${PG}/items`,
          'add an item',
          { id: 'sneaky', title: 'x', category: 'risk', required: true },
        ],
        ['post', `${PG}/gates`, 'open a gate', { release: 'sneaky' }],
      ];
      const before = await counts();
      const stored = await snapshot(gate.id);
      // Hiroshi is in another team; Nadia votes for QA but owns nothing;
      // Margaret decides as release manager but keeps no checklist.
      for (const user of [HIROSHI, NADIA, MARGARET]) {
        for (const [method, url, what, body] of attempts) {
          const res = await (api as any)
            [method](url)
            .set('Authorization', as(user))
            .send(body);
          expect([user, what, res.status]).toEqual([user, what, 403]);
          expect(res.body.error.name).toBe('NotAllowedError');
        }
      }
      // Nobody outside the owners and release managers decides or cancels.
      for (const user of [HIROSHI, NADIA, SAMUEL]) {
        for (const body of [
          { verdict: 'no-go', reason: 'x' },
          { transition: 'cancel', reason: 'x' },
        ]) {
          const res = await api
            .post(`${gateUrl}/decision`)
            .set('Authorization', as(user))
            .send(body);
          expect([user, body, res.status]).toEqual([user, body, 403]);
        }
      }
      expect(await counts()).toEqual(before);
      expect(await snapshot(gate.id)).toEqual(stored);
    });

    it('refuses a vote for a role the voter is not eligible for', async () => {
      const gate = await openGate();
      const url = `${BASE}/gates/${gate.id}/signoffs`;
      const ineligible: [string, string][] = [
        [HIROSHI, 'engineering'], // another team
        [HIROSHI, 'qa'],
        [HIROSHI, 'security'],
        [HIROSHI, 'release-management'],
        [NADIA, 'security'], // QA, not security
        [SAMUEL, 'qa'], // security, not QA
        [BEN, 'release-management'],
        [MARGARET, 'engineering'], // release manager, not a gate owner
        [ADA, 'qa'], // admins manage, but are in no role's group
      ];
      const before = await counts();
      for (const [user, role] of ineligible) {
        const res = await api
          .post(url)
          .set('Authorization', as(user))
          .send({ role, verdict: 'ready' });
        expect([user, role, res.status]).toEqual([user, role, 403]);
        expect(res.body.error.message).toMatch(/may not sign off/);
      }
      expect(await counts()).toEqual(before);

      // Eligible people are let in, each for their own role.
      for (const [user, role] of [
        [NADIA, 'qa'],
        [SAMUEL, 'security'],
        [MARGARET, 'release-management'],
        [TOMASZ, 'engineering'],
      ]) {
        const res = await api
          .post(url)
          .set('Authorization', as(user))
          .send({ role, verdict: 'ready' });
        expect([user, role, res.status]).toEqual([user, role, 201]);
      }
    });

    it("does not count the requester's own Ready vote where the template forbids self-approval", async () => {
      // The component gate says selfApproval: false; Priya opens the gate.
      const gate = await openGate();
      expect(gate.requestedBy).toBe(PRIYA);
      const url = `${BASE}/gates/${gate.id}/signoffs`;
      const own = await api
        .post(url)
        .set('Authorization', as(PRIYA))
        .send({ role: 'engineering', verdict: 'ready' });
      // The vote is recorded (she is a gate owner, eligible)…
      expect(own.status).toBe(201);
      expect(own.body.votes.map((v: any) => v.voter)).toEqual([PRIYA]);
      // …but does not count, and the blocker says why.
      const engineering = (g: any) =>
        g.evaluation.roles.find((r: any) => r.role === 'engineering');
      expect(engineering(own.body)).toMatchObject({
        met: false,
        readyVoters: [],
      });
      expect(
        own.body.evaluation.blockers.map((b: any) => b.message).join('\n'),
      ).toMatch(/self-approval is not allowed/);
      const pipeline = await api.get(
        `${BASE}/decision?entityRef=${PG_REF}&release=${gate.release}`,
      );
      expect(pipeline.body.blockers.join('\n')).toMatch(
        /self-approval is not allowed/,
      );

      // Another gate owner's vote counts.
      const peer = await api
        .post(url)
        .set('Authorization', as(TOMASZ))
        .send({ role: 'engineering', verdict: 'ready' });
      expect(engineering(peer.body)).toMatchObject({
        met: true,
        readyVoters: [TOMASZ],
      });
    });
  });

  describe('SQL metacharacters', () => {
    beforeAll(async () => {
      // The entity index holds what was read through the API.
      for (const entity of [...ENTITIES, ...LITERALS]) {
        if (entity.kind === 'Component' || entity.kind === 'System') {
          const res = await api
            .get(
              `${BASE}/entities/${entity.kind.toLocaleLowerCase(
                'en-US',
              )}/default/${entity.metadata.name}`,
            )
            .set('Authorization', as(PRIYA));
          if (res.status !== 200) {
            throw new Error(`${entity.metadata.name}: ${res.status}`);
          }
        }
      }
    });

    /** Refs the portfolio lists for a query. */
    async function portfolio(query: Record<string, string>) {
      const res = await api
        .get(`${BASE}/portfolio`)
        .query(query)
        .set('Authorization', as(MARGARET));
      expect([query, res.status]).toEqual([query, 200]);
      return (res.body.items as { entityRef: string }[])
        .map(i => i.entityRef)
        .sort();
    }

    it('treats them as data in every filter and search, and leaves the tables intact', async () => {
      await openGate();
      const before = await counts();
      for (const text of METACHARACTERS) {
        // Free-text filters: nothing has these owners or systems.
        expect(await portfolio({ owner: text })).toEqual([]);
        expect(await portfolio({ system: text })).toEqual([]);
        // Enumerated parameters refuse them.
        for (const name of [
          'tier',
          'state',
          'verdict',
          'sort',
          'order',
          'offset',
          'limit',
        ]) {
          const res = await api
            .get(`${BASE}/portfolio`)
            .query({ [name]: text })
            .set('Authorization', as(MARGARET));
          expect([name, text, res.status]).toEqual([name, text, 400]);
        }
        for (const name of ['groupBy', 'period', 'tier', 'from', 'to']) {
          const res = await api
            .get(`${BASE}/metrics`)
            .query({ [name]: text })
            .set('Authorization', as(MARGARET));
          expect([name, text, res.status]).toEqual([name, text, 400]);
        }
        for (const name of ['owner', 'system']) {
          const res = await api
            .get(`${BASE}/metrics`)
            .query({ [name]: text })
            .set('Authorization', as(MARGARET));
          expect([name, text, res.status]).toEqual([name, text, 200]);
          expect(res.body.overall.total.gates).toBe(0);
        }
        // Routes without parameters take none.
        for (const path of ['/portfolio/systems']) {
          const res = await api
            .get(`${BASE}${path}`)
            .query({ q: text })
            .set('Authorization', as(MARGARET));
          expect([path, res.status]).toEqual([path, 400]);
        }
        // For pipelines: no gate has this release; the ref is no entity.
        const decision = await api
          .get(`${BASE}/decision`)
          .query({ entityRef: PG_REF, release: text });
        expect(decision.status).toBe(200);
        expect(decision.body).toMatchObject({ verdict: 'NO-GO', ready: false });
        expect(decision.body.gateId).toBeUndefined();
        const badRef = await api
          .get(`${BASE}/decision`)
          .query({ entityRef: text, release: '1' });
        expectRefused(`entityRef=${text}`, badRef);
        // Path parameters: no such entity, gate or template.
        const encoded = encodeURIComponent(text);
        for (const path of [
          `/entities/component/default/${encoded}`,
          `/entities/${encoded}/default/payment-gateway`,
          `/gates/${encoded}`,
          `/gates/${encoded}/audit`,
          `/gates/${encoded}/dossier`,
          `/templates/${encoded}`,
        ]) {
          const res = await api
            .get(`${BASE}${path}`)
            .set('Authorization', as(MARGARET));
          expect([path, res.status]).toEqual([path, 404]);
        }
      }
      // Nothing was written, nothing dropped: every table is there and as
      // full as it was.
      expect(await counts()).toEqual(before);
      // And the filters still work for real values.
      expect(await portfolio({ owner: 'group:default/payments' })).toEqual(
        expect.arrayContaining([PG_REF]),
      );
      const metrics = await api
        .get(`${BASE}/metrics`)
        .query({ owner: 'group:default/payments' })
        .set('Authorization', as(MARGARET));
      expect(metrics.body.overall.total.gates).toBeGreaterThan(0);
    });

    it('matches %, _ and \\ in the portfolio search literally', async () => {
      const ref = (name: string) => `component:default/${name}`;
      expect(await portfolio({ q: '100%' })).toEqual([ref('fees-percent')]);
      expect(await portfolio({ q: '%' })).toEqual([ref('fees-percent')]);
      expect(await portfolio({ q: '%%' })).toEqual([]);
      expect(await portfolio({ q: '_' })).toEqual([ref('rate_limiter')]);
      expect(await portfolio({ q: 'rate_limiter' })).toEqual([
        ref('rate_limiter'),
      ]);
      expect(await portfolio({ q: 'C:\\temp' })).toEqual([
        ref('path-backslash'),
      ]);
      expect(await portfolio({ q: '\\' })).toEqual([ref('path-backslash')]);
      expect(await portfolio({ q: "o'brien's" })).toEqual([
        ref('quote-service'),
      ]);
      expect(await portfolio({ q: '"quoted"' })).toEqual([
        ref('quote-service'),
      ]);
      // Without the special characters the neighbours are found as well.
      expect(await portfolio({ q: 'fees 100' })).toEqual([
        ref('fees-digits'),
        ref('fees-percent'),
      ]);
      expect(await portfolio({ q: 'limiter' })).toEqual([
        ref('rate_limiter'),
        ref('ratexlimiter'),
      ]);
      for (const text of ["' OR 1=1 --", '"; DROP TABLE gates; --']) {
        expect(await portfolio({ q: text })).toEqual([]);
      }
    });

    it('stores text with metacharacters as it was sent, and finds it exactly', async () => {
      const release = "' OR 1=1 --";
      const comment = '"; DROP TABLE gates; -- 100% _done_ \\';
      const gate = await openGate({ release });
      expect(gate.release).toBe(release);
      const voted = await api
        .post(`${BASE}/gates/${gate.id}/signoffs`)
        .set('Authorization', as(NADIA))
        .send({ role: 'qa', verdict: 'not-ready', comment });
      expect(voted.status).toBe(201);
      const stored = await snapshot(gate.id);
      expect(stored.release).toBe(release);
      expect(stored.votes.map((v: any) => v.comment)).toEqual([comment]);
      // The pipeline asks for exactly this release and gets exactly this gate.
      const decision = await api
        .get(`${BASE}/decision`)
        .query({ entityRef: PG_REF, release });
      expect(decision.body.gateId).toBe(gate.id);
      const other = await api
        .get(`${BASE}/decision`)
        .query({ entityRef: PG_REF, release: "' OR 1=2 --" });
      expect(other.body.gateId).toBeUndefined();
      expect(await knex('gates').count({ n: '*' })).not.toEqual([{ n: 0 }]);
    });
  });

  describe('oversize and deeply nested JSON', () => {
    /** Every write route, with a gate filled in. */
    const writes = (gateId: string): [string, string][] => [
      ['post', `${PG}/gates`],
      ['put', `${PG}/owners`],
      ['post', `${PG}/items`],
      ['patch', `${BASE}/gates/${gateId}/items/user-acceptance`],
      ['post', `${BASE}/gates/${gateId}/signoffs`],
      ['put', `${BASE}/gates/${gateId}/risk`],
      ['post', `${BASE}/gates/${gateId}/decision`],
      ['post', `${BASE}/gates/${gateId}/window-exception`],
      ['post', `${BASE}/evidence`],
      ['post', `${BASE}/windows`],
      ['post', `${BASE}/incidents`],
    ];

    async function sendRaw(method: string, url: string, text: string) {
      return (api as any)
        [method](url)
        .set('Authorization', as(PRIYA))
        .set('Content-Type', 'application/json')
        .send(text) as Promise<request.Response>;
    }

    it('answers a body over 256 kB with 413 on every write route', async () => {
      const gate = await openGate();
      const before = await counts();
      const big = JSON.stringify({ release: 'x', note: 'x'.repeat(300_000) });
      for (const [method, url] of writes(gate.id)) {
        const res = await sendRaw(method, url, big);
        expect([url, res.status]).toEqual([url, 413]);
        expect(res.body.error.name).toBeDefined();
      }
      expect(await counts()).toEqual(before);
    });

    it('answers 10,000 (and 100,000) levels of nesting with 4xx and keeps serving', async () => {
      const gate = await openGate();
      const before = await counts();
      const depth = 10_000;
      const bodies = [
        `${'['.repeat(depth)}${']'.repeat(depth)}`,
        `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
        // Nested inside fields the schemas know.
        `{"release":"x","plannedAt":${'['.repeat(depth)}${']'.repeat(depth)}}`,
        `{"version":0,"impactMatrix":${'['.repeat(depth)}${']'.repeat(depth)}}`,
        `{"entityRef":"${PG_REF}","release":"1","type":"t","status":"passed","runId":"1","metrics":{"a":${'{"a":'.repeat(
          depth,
        )}1${'}'.repeat(depth)}}}`,
        // Deeper than any recursive parser's stack, still under 256 kB.
        `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
      ];
      for (const [method, url] of writes(gate.id)) {
        for (const text of bodies) {
          const res = await sendRaw(method, url, text);
          expectRefused(`${method} ${url} ${text.slice(0, 30)}`, res);
        }
      }
      expect(await counts()).toEqual(before);
      // Still serving.
      expect((await api.get(`${BASE}/health`)).status).toBe(200);
      expect((await snapshot(gate.id)).id).toBe(gate.id);
    });
  });
});
