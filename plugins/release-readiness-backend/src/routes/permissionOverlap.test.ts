/*
 * The permission framework's round trips run beside a request's reads
 * (issue 20): a gate's detail, an entity's readiness and a sign-off ask the
 * policy before they read, and a sign-off asks for the voter's claims
 * before it checks the gate, so that the reads happen while those answers
 * are on their way. Each test holds the answer back and shows that the
 * request's statements ran meanwhile, and that nothing is answered until it
 * comes. Asking early must change nothing else: a missing gate is still a
 * 404 when the policy or the user info fails, with no unhandled rejection,
 * and a sign-off reads the gate's parts only once, locked, in its
 * transaction (its first read is the gate's head).
 */
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import request from 'supertest';
import {
  as,
  MEMBERSHIP,
  NADIA,
  PRIYA,
  startReadinessBackend,
  TOMASZ,
} from '../__testUtils__/fixtures';
import { policyPermissions } from '../__testUtils__/policyPermissions';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const BASE = '/api/release-readiness';

/** An answer held back until `release` is called. */
function holdAnswers() {
  let release: () => void = () => {};
  const held = new Promise<void>(done => {
    release = done;
  });
  return { held, release };
}

describe.each(databases.eachSupportedId())(
  'permission answers beside the reads on %s',
  databaseId => {
    let api: ReturnType<typeof request>;
    let knex: Knex;
    const statements: string[] = [];
    const record = (q: { sql: string }) => statements.push(q.sql);
    // Statements run when each answer was asked for.
    let decisionsAsked: number[] = [];
    let claimsAsked: number[] = [];
    let decisionHold: Promise<void> | undefined;
    let claimsHold: Promise<void> | undefined;
    let decisionFails = false;
    let claimsFail = false;
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);

    const permissions = mockServices.permissions.mock({
      authorize: async (requests, options) => {
        decisionsAsked.push(statements.length);
        await decisionHold;
        if (decisionFails) throw new Error('the permission backend is down');
        return policyPermissions.authorize(requests, options as any);
      },
      authorizeConditional: async (requests, options) => {
        decisionsAsked.push(statements.length);
        await decisionHold;
        if (decisionFails) throw new Error('the permission backend is down');
        return policyPermissions.authorizeConditional(requests, options as any);
      },
    });
    const userInfo = mockServices.userInfo.mock({
      getUserInfo: async credentials => {
        claimsAsked.push(statements.length);
        await claimsHold;
        if (claimsFail) throw new Error('the auth backend is down');
        const user = (credentials.principal as { userEntityRef: string })
          .userEntityRef;
        return {
          userEntityRef: user,
          ownershipEntityRefs: [user, ...(MEMBERSHIP[user] ?? [])],
        };
      },
    });

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      const { server } = await startReadinessBackend({
        knex,
        features: [permissions.factory],
        userInfo,
      });
      api = request(server);
      knex.on('query', record);
      process.on('unhandledRejection', onUnhandled);
    });

    afterAll(() => {
      knex.removeListener('query', record);
      process.removeListener('unhandledRejection', onUnhandled);
    });

    afterEach(() => {
      decisionHold = undefined;
      claimsHold = undefined;
      decisionFails = false;
      claimsFail = false;
    });

    let release = 0;
    async function openGate(): Promise<any> {
      release += 1;
      const res = await api
        .post(`${BASE}/entities/component/default/payment-gateway/gates`)
        .set('Authorization', as(PRIYA))
        .send({ release: `p-${release}.0.0` });
      expect(res.status).toBe(201);
      return res.body;
    }

    /** Waits until `check` holds, or fails after 5 s. */
    async function until(check: () => boolean, what: string) {
      const deadline = Date.now() + 5000;
      while (!check()) {
        if (Date.now() > deadline) throw new Error(`waited for ${what}`);
        await new Promise(r => setTimeout(r, 5));
      }
    }

    /**
     * Sends `send` with the decision (and the claims, with `claims`) held
     * back; returns the statements run while they were held, and the
     * response once they were let go.
     */
    async function whileHeld(
      send: () => request.Test,
      options: { claims?: boolean; reads: RegExp },
    ) {
      const decision = holdAnswers();
      const claims = holdAnswers();
      decisionHold = decision.held;
      if (options.claims) claimsHold = claims.held;
      decisionsAsked = [];
      claimsAsked = [];
      const start = statements.length;
      let answered = false;
      const response = send().then(res => {
        answered = true;
        return res;
      });
      await until(
        () =>
          decisionsAsked.length > 0 &&
          (!options.claims || claimsAsked.length > 0) &&
          statements.slice(start).some(sql => options.reads.test(sql)),
        'the request to ask and read',
      );
      // Nothing is answered while an answer it needs is held.
      await new Promise(r => setTimeout(r, 50));
      expect(answered).toBe(false);
      const ranWhileHeld = statements.slice(start);
      decision.release();
      claims.release();
      return { ranWhileHeld, start, res: await response };
    }

    const GATE_READ = /from [`"]gates[`"]/i;
    const ENTITY_READ = /from [`"]entities[`"]/i;

    it("reads a gate while the policy's decision is on its way", async () => {
      const gate = await openGate();
      const { ranWhileHeld, start, res } = await whileHeld(
        () =>
          api.get(`${BASE}/gates/${gate.id}`).set('Authorization', as(PRIYA)),
        { reads: GATE_READ },
      );
      expect(res.status).toBe(200);
      expect(res.body.id).toBe(gate.id);
      // Asked before the request's first statement.
      expect(decisionsAsked).toEqual([start]);
      expect(ranWhileHeld.some(sql => GATE_READ.test(sql))).toBe(true);
    });

    it("reads an entity's readiness while the policy's decision is on its way", async () => {
      await openGate();
      const { ranWhileHeld, start, res } = await whileHeld(
        () =>
          api
            .get(`${BASE}/entities/component/default/payment-gateway`)
            .set('Authorization', as(PRIYA)),
        { reads: ENTITY_READ },
      );
      expect(res.status).toBe(200);
      expect(res.body.currentGate).toBeTruthy();
      expect(decisionsAsked).toEqual([start]);
      expect(ranWhileHeld.some(sql => ENTITY_READ.test(sql))).toBe(true);
    });

    it("checks a sign-off's gate while the decision and the voter's claims are on their way", async () => {
      const gate = await openGate();
      const { ranWhileHeld, start, res } = await whileHeld(
        () =>
          api
            .post(`${BASE}/gates/${gate.id}/signoffs`)
            .set('Authorization', as(NADIA))
            .send({ role: 'qa', verdict: 'ready' }),
        { claims: true, reads: GATE_READ },
      );
      expect(res.status).toBe(201);
      expect(
        res.body.votes.map((v: any) => [v.voter, v.role, v.verdict]),
      ).toEqual([['user:default/nadia-haddad', 'qa', 'ready']]);
      expect(decisionsAsked).toEqual([start]);
      expect(claimsAsked).toEqual([start]);
      expect(ranWhileHeld.some(sql => GATE_READ.test(sql))).toBe(true);
      // The vote's own writes wait for both answers.
      expect(ranWhileHeld.some(sql => /insert into [`"]votes/i.test(sql))).toBe(
        false,
      );
    });

    it("still refuses a vote the policy's answer refuses, once it comes", async () => {
      const gate = await openGate();
      // A user the catalog knows nothing of: no owner, no group.
      const { res } = await whileHeld(
        () =>
          api
            .post(`${BASE}/gates/${gate.id}/signoffs`)
            .set('Authorization', as('user:default/nobody-at-all'))
            .send({ role: 'qa', verdict: 'ready' }),
        { claims: true, reads: GATE_READ },
      );
      expect(res.status).toBe(403);
      const after = await api
        .get(`${BASE}/gates/${gate.id}`)
        .set('Authorization', as(PRIYA));
      expect(after.body.votes).toEqual([]);
    });

    it('answers 404 for a missing gate when the policy and the user info fail, leaving no unhandled rejection', async () => {
      decisionFails = true;
      claimsFail = true;
      const missing = '00000000-0000-4000-8000-000000000000';
      const detail = await api
        .get(`${BASE}/gates/${missing}`)
        .set('Authorization', as(PRIYA));
      expect(detail.status).toBe(404);
      const vote = await api
        .post(`${BASE}/gates/${missing}/signoffs`)
        .set('Authorization', as(NADIA))
        .send({ role: 'qa', verdict: 'ready' });
      expect(vote.status).toBe(404);
      const readiness = await api
        .get(`${BASE}/entities/component/default/no-such-service`)
        .set('Authorization', as(PRIYA));
      expect(readiness.status).toBe(404);
      // A failed answer that was never awaited would surface here.
      await new Promise(r => setTimeout(r, 100));
      expect(unhandled).toEqual([]);
      // With the gate there, the failure is the request's: 500, not a pass.
      decisionFails = false;
      claimsFail = false;
      const gate = await openGate();
      decisionFails = true;
      const denied = await api
        .get(`${BASE}/gates/${gate.id}`)
        .set('Authorization', as(PRIYA));
      expect(denied.status).toBe(500);
    });

    it("reads a sign-off's gate whole once, in its transaction", async () => {
      const gate = await openGate();
      const start = statements.length;
      const res = await api
        .post(`${BASE}/gates/${gate.id}/signoffs`)
        .set('Authorization', as(TOMASZ))
        .send({ role: 'engineering', verdict: 'ready' });
      expect(res.status).toBe(201);
      const partReads = statements
        .slice(start)
        .filter(sql => /from gate_items p/i.test(sql));
      expect(partReads).toHaveLength(1);
    });
  },
);
