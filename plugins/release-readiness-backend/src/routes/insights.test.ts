/*
 * GET /insights/items on both engines, against counts made by hand: released
 * gates written into the database (clones of a real gate's rows, so that
 * every column is as the plugin writes it) with a planted pattern (user
 * acceptance waived, then a sev2 incident within days) and noise the rule
 * must ignore (an incident outside the window, a sev3, a cancelled gate, an
 * item waived too rarely to say anything). The pattern is found, counted
 * exactly, first; nothing else is claimed; a reader of another team sees
 * none of it; the period (in whole months), the template and the page
 * narrow it.
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import { parseGateTemplate } from '@release-readiness/plugin-common';
import { applyPatch } from 'diff';
import { Knex } from 'knex';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import request from 'supertest';
import { mockCredentials } from '@backstage/backend-test-utils';
import {
  as,
  HIROSHI,
  PRIYA,
  startReadinessBackend,
  TOMASZ,
} from '../__testUtils__/fixtures';
import { driveToReady } from '../__testUtils__/readyGate';
import { refreshGateMetrics } from '../database/gateMetrics';
import { teamReadPermissions } from '../__testUtils__/teamReadPermissions';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const BASE = '/api/release-readiness';
const PG = 'component:default/payment-gateway';
const DAY = 86_400_000;

describe.each(databases.eachSupportedId())(
  'GET /insights/items on %s',
  databaseId => {
    let api: ReturnType<typeof request>;
    let knex: Knex;
    // The period is read in whole months (UTC): gate 12 is released at the
    // start of the month three months ago, so that a period from then on
    // holds gates 12 to 29, as it did when periods were read to the
    // millisecond.
    const monthStart = new Date();
    monthStart.setUTCMonth(monthStart.getUTCMonth() - 3, 1);
    monthStart.setUTCHours(0, 0, 0, 0);
    const releasedBase = monthStart.getTime() - 12 * DAY;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      const { server } = await startReadinessBackend({
        knex,
        // Requests without a token are a pipeline, as driveToReady expects.
        defaultCredentials: mockCredentials.service('external:ci', {
          permissionNames: ['release-readiness.evidence.create'],
        }) as any,
        features: [teamReadPermissions.factory],
      });
      api = request(server);
      const opened = await api
        .post(`${BASE}/entities/component/default/payment-gateway/gates`)
        .set('Authorization', as(PRIYA))
        .send({ release: '0.0.1' });
      if (opened.status !== 201) throw new Error(opened.text);
      const gateRow = await knex('gates').where({ id: opened.body.id }).first();
      const itemRows = await knex('gate_items').where({
        gate_id: opened.body.id,
      });
      // 30 released gates: user acceptance waived in 12 (8 of them with a
      // sev2 incident within three days), passed in 18 (1 incident). Release
      // notes waived in 3. One waived release also has a sev2 40 days later
      // and a sev3 the next day: neither counts.
      const incident = (
        n: number,
        severity: string,
        afterDays: number,
        k: number,
      ) =>
        knex('incidents').insert({
          id: `insight-gate-${n}-incident-${k}`,
          entity_ref: PG,
          release: `3.${n}.0`,
          severity,
          title: 'Checkout errors',
          link: null,
          occurred_at: new Date(
            releasedBase + n * DAY + afterDays * DAY,
          ).toISOString(),
          reported_by: PRIYA,
          reported_at: new Date().toISOString(),
          ungated: false,
        });
      for (let n = 0; n < 30; n++) {
        const id = `insight-gate-${n}`;
        const releasedAt = new Date(releasedBase + n * DAY);
        const waived = n < 12;
        await knex('gates').insert({
          ...gateRow,
          id,
          release: `3.${n}.0`,
          state: n === 29 ? 'rolled-back' : 'released',
          released_at: releasedAt.toISOString(),
          opened_at: new Date(releasedAt.getTime() - DAY).toISOString(),
          updated_at: releasedAt.toISOString(),
        });
        await knex('gate_items').insert(
          itemRows.map((row: any) => {
            let status = 'passed';
            if (row.item_id === 'user-acceptance' && waived) status = 'waived';
            if (row.item_id === 'release-notes' && n >= 20 && n < 23) {
              status = 'waived';
            }
            return {
              ...row,
              gate_id: id,
              status,
              ever_failed: row.item_id === 'security-review' && n % 2 === 0,
            };
          }),
        );
        if (waived && n < 8) await incident(n, 'sev2', 3, 1);
        if (n === 20) await incident(n, 'sev1', 1, 1);
        if (n === 9) {
          await incident(n, 'sev2', 40, 1);
          await incident(n, 'sev3', 1, 2);
        }
      }
      // A cancelled gate with a waived acceptance and an incident: never
      // released, so it does not count.
      await knex('gates').insert({
        ...gateRow,
        id: 'insight-cancelled',
        release: '4.0.0',
        state: 'cancelled',
        released_at: null,
      });
      // Written straight into the tables: their metrics rows and the
      // outcome loop's roll-up derived as the plugin derives them when it
      // writes gates.
      await refreshGateMetrics(knex, [
        ...Array.from({ length: 30 }, (_, n) => `insight-gate-${n}`),
        'insight-cancelled',
      ]);
    });

    const get = (query: string, user = PRIYA) =>
      api.get(`${BASE}/insights/items${query}`).set('Authorization', as(user));

    it('finds the planted pattern first, counted exactly, and claims nothing else', async () => {
      const res = await get('');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ windowDays: 14, minSample: 10 });
      const [first, ...rest] = res.body.items;
      expect(first).toMatchObject({
        template: 'component-gate',
        itemId: 'user-acceptance',
        releases: 30,
        incidents: 9,
        finding: 'riskier',
        findingOutcome: 'waived',
      });
      const waived = first.outcomes.find((o: any) => o.outcome === 'waived');
      expect(waived).toMatchObject({
        releases: 12,
        incidents: 8,
        otherwise: { releases: 18, incidents: 1 },
      });
      expect(waived.interval[0]).toBeCloseTo(0.3906, 4);
      expect(waived.otherwise.interval[1]).toBeCloseTo(0.2576, 4);
      expect(first.reading).toMatch(
        /^waived in 12 releases, 8 had a sev1–2 incident within 14 days: 67 % vs 6 % otherwise/,
      );
      expect(rest.map((i: any) => i.finding)).not.toContain('riskier');
      const notes = rest.find((i: any) => i.itemId === 'release-notes');
      expect(notes).toMatchObject({ finding: 'not-enough-data' });
      const review = rest.find((i: any) => i.itemId === 'security-review');
      expect(
        review.outcomes.find((o: any) => o.outcome === 'failed-then-fixed'),
      ).toMatchObject({ releases: 15 });
      const runbook = rest.find((i: any) => i.itemId === 'runbook-updated');
      expect(runbook).toMatchObject({
        finding: 'retire-candidate',
        releases: 30,
      });
    });

    it('keeps to the gates the caller may read', async () => {
      const res = await get('', HIROSHI);
      expect(res.status).toBe(200);
      expect(res.body.items).toEqual([]);
      expect(res.body.totalItems).toBe(0);
    });

    it('narrows by period, template and page, and refuses a bad one', async () => {
      const late = await get(
        `?from=${new Date(releasedBase + 12 * DAY).toISOString()}`,
      );
      const lateAcceptance = late.body.items.find(
        (i: any) => i.itemId === 'user-acceptance',
      );
      expect(lateAcceptance).toMatchObject({ releases: 18, incidents: 1 });
      // A `from` within a month reads the whole month, and says so.
      const midMonth = await get(
        `?from=${new Date(releasedBase + 15 * DAY).toISOString()}`,
      );
      expect(midMonth.body.from).toBe(monthStart.toISOString());
      expect(
        midMonth.body.items.find((i: any) => i.itemId === 'user-acceptance'),
      ).toMatchObject({ releases: 18, incidents: 1 });
      const other = await get('?template=system-gate');
      expect(other.body.totalItems).toBe(0);
      const page = await get('?limit=1&offset=0');
      expect(page.body.items.map((i: any) => i.itemId)).toEqual([
        'user-acceptance',
      ]);
      expect(page.body.totalItems).toBeGreaterThan(5);
      const second = await get('?limit=1&offset=1');
      expect(second.body.items[0].itemId).not.toBe('user-acceptance');
      expect((await get('?limit=0')).status).toBe(400);
      expect((await get('?from=yesterday')).status).toBe(400);
    });

    it('produces the template review: a Markdown record and a patch that applies and stays a valid template', async () => {
      const res = await get('').then(() =>
        api
          .get(`${BASE}/templates/component-gate/review`)
          .set('Authorization', as(PRIYA)),
      );
      expect(res.status).toBe(200);
      expect(res.body.proposals).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            itemId: 'user-acceptance',
            change: 'approve-waivers',
          }),
          expect.objectContaining({
            itemId: 'runbook-updated',
            change: 'retire',
          }),
        ]),
      );
      // The template file's version now; the patch proposes the next one.
      const source = resolve(
        __dirname,
        '../../../../gate-templates/component-gate.yaml',
      );
      const version = Number(
        parseGateTemplate(readFileSync(source, 'utf8'), 'now', 'x').version,
      );
      expect(res.body.markdown).toMatch(
        new RegExp(`^# Template review: .*\\(component-gate@${version}\\)`),
      );
      expect(res.body.markdown).toContain(
        '## What the debriefs said to change',
      );
      expect(res.body.markdown).toContain('## Decisions');
      expect(res.body.patch).toContain('-    - id: runbook-updated');
      expect(res.body.patch).toMatch(
        /\+\s+manual-validation: \[ group:default\/release-management \]/,
      );
      // The patch applies to the file, and the result is still a template,
      // without the retired item, with acceptance waivers approved.
      const patched = applyPatch(readFileSync(source, 'utf8'), res.body.patch);
      expect(patched).not.toBe(false);
      const template = parseGateTemplate(patched as string, 'patched', 'x');
      expect(template.version).toBe(String(version + 1));
      expect(template.checklist.map(i => i.id)).not.toContain(
        'runbook-updated',
      );
      expect(template.governance?.waiverApprovers).toMatchObject({
        'manual-validation': ['group:default/release-management'],
      });

      const md = await api
        .get(`${BASE}/templates/component-gate/review?format=md`)
        .set('Authorization', as(PRIYA));
      expect(md.headers['content-type']).toMatch(/text\/markdown/);
      expect(md.text).toContain('```diff');
      // A reader of another team: nothing to propose from gates they cannot read.
      const other = await api
        .get(`${BASE}/templates/component-gate/review`)
        .set('Authorization', as(HIROSHI));
      expect(other.body.proposals).toEqual([]);
      const unknown = await api
        .get(`${BASE}/templates/no-such-template/review`)
        .set('Authorization', as(PRIYA));
      expect(unknown.status).toBe(404);
    });

    it('is fed by the gate itself: a release records when, an item failed once stays marked', async () => {
      const opened = await api
        .post(`${BASE}/entities/component/default/payment-gateway/gates`)
        .set('Authorization', as(PRIYA))
        .send({ release: '5.0.0' });
      const patch = async (status: string) => {
        const current = await api
          .get(`${BASE}/gates/${opened.body.id}`)
          .set('Authorization', as(PRIYA));
        const item = current.body.items.find(
          (i: any) => i.id === 'user-acceptance',
        );
        const res = await api
          .patch(`${BASE}/gates/${opened.body.id}/items/user-acceptance`)
          .set('Authorization', as(PRIYA))
          .send({ status, version: item.version });
        expect(res.status).toBe(200);
      };
      await patch('failed');
      await patch('passed');
      const items = await knex('gate_items').where({
        gate_id: opened.body.id,
      });
      const flag = (id: string) =>
        Boolean(items.find((i: any) => i.item_id === id).ever_failed);
      expect([flag('user-acceptance'), flag('runbook-updated')]).toEqual([
        true,
        false,
      ]);

      const gate = await driveToReady(api, '5.0.1');
      const go = await api
        .post(`${BASE}/gates/${gate.id}/decision`)
        .set('Authorization', as(TOMASZ))
        .send({ verdict: 'go', reason: 'every condition met' });
      expect(go.status).toBe(200);
      const before = Date.now();
      const released = await api
        .post(`${BASE}/gates/${gate.id}/decision`)
        .set('Authorization', as(TOMASZ))
        .send({ transition: 'release' });
      expect(released.status).toBe(200);
      const row = await knex('gates').where({ id: gate.id }).first();
      expect(new Date(row.released_at).getTime()).toBeGreaterThanOrEqual(
        before - 1000,
      );
    });
  },
);
