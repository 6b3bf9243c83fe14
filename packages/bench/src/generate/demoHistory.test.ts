/*
 * The demo history, written by the generator, read back through the real
 * plugin: its counts are the tables' counts, the metrics API computes the
 * same releases, decisions, incidents and lead times the generator says it
 * wrote, every gate's audit chain verifies, and the same seed writes the same
 * history on SQLite and PostgreSQL.
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import type { MetricsResponse } from '@release-readiness/plugin-common';
import { Knex } from 'knex';
import { join } from 'node:path';
import request from 'supertest';
import { startPluginBackend } from './__testUtils__/pluginBackend';
import { loadRepoTemplates, MIGRATIONS_DIRECTORY, REPO_ROOT } from './database';
import {
  readCatalogFiles,
  withCatalogRelations,
  writeDemoHistory,
} from './demoHistory';
import { HistorySummary } from './history/types';

const NOW = new Date('2026-11-27T12:00:00.000Z');
const API = '/api/release-readiness';
const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

/** The demo catalog as the catalog serves it: with ownership relations. */
function demoCatalog(): Entity[] {
  const files = ['entities.yaml', 'org.yaml'].map(f =>
    join(REPO_ROOT, 'examples', f),
  );
  return readCatalogFiles(files).map(withCatalogRelations);
}

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

/** The gates each engine got, to compare the two engines afterwards. */
const gatesByEngine = new Map<string, string[]>();

describe.each(databases.eachSupportedId())('demo history on %s', id => {
  let knex: Knex;
  let summary: HistorySummary;
  let api: ReturnType<typeof request>;

  beforeAll(async () => {
    knex = await databases.init(id);
    await knex.migrate.latest({ directory: MIGRATIONS_DIRECTORY });
    summary = (await writeDemoHistory(knex, {
      repoRoot: REPO_ROOT,
      templates: loadRepoTemplates(),
      now: NOW,
    }))!;
    api = await startPluginBackend({
      knex,
      entities: demoCatalog(),
      user: 'user:default/priya-raman',
    });
  }, 60_000);

  it('writes six months of gates in every closed state for every gated demo entity', async () => {
    expect(summary.entities).toBeGreaterThanOrEqual(30);
    expect(summary.gates).toBeGreaterThanOrEqual(summary.entities * 3);
    expect(summary.gatesByState.released).toBeGreaterThan(0);
    expect(summary.gatesByState['rolled-back']).toBeGreaterThan(0);
    expect(summary.gatesByState.cancelled).toBeGreaterThan(0);
    expect(summary.noGoDecisions).toBeGreaterThan(0);
    expect(summary.incidents).toBeGreaterThan(0);

    const count = async (table: string, where: object = {}) =>
      Number(
        (await knex(table).where(where).count({ n: '*' }).first())?.n ?? 0,
      );
    expect(await count('gates')).toBe(summary.gates);
    expect(await count('decisions', { verdict: 'go' })).toBe(
      summary.goDecisions,
    );
    expect(await count('decisions', { verdict: 'no-go' })).toBe(
      summary.noGoDecisions,
    );
    expect(await count('incidents')).toBe(summary.incidents);
    expect(await count('audit_events')).toBe(summary.auditEvents);
    expect(await count('entities')).toBe(summary.entities);

    const opened = await knex('gates').min({ first: 'opened_at' }).first();
    const first = new Date(opened!.first).getTime();
    expect(NOW.getTime() - first).toBeGreaterThan(150 * 86_400_000);
    expect(NOW.getTime() - first).toBeLessThanOrEqual(180 * 86_400_000);

    gatesByEngine.set(
      id,
      (await knex('gates').select('id', 'release', 'state').orderBy('id')).map(
        g => `${g.id} ${g.release} ${g.state}`,
      ),
    );
  });

  it('serves metrics that match the history it wrote', async () => {
    const res = await api.get(`${API}/metrics?groupBy=team&period=month`);
    expect(res.status).toBe(200);
    const metrics = res.body as MetricsResponse;
    const total = metrics.overall.total;
    expect(total.gates).toBe(summary.gates - summary.gatesByState.cancelled);
    expect(total.releases).toBe(summary.releases);
    expect(total.goDecisions).toBe(summary.goDecisions);
    expect(total.noGoDecisions).toBe(summary.noGoDecisions);
    expect(total.incidents).toBe(summary.incidents);
    const allLeadTimes = Object.values(summary.leadTimeHoursByTeam).flat();
    expect(total.leadTimeHours.median).toBeCloseTo(median(allLeadTimes), 1);

    // Each team's own lead time, over the whole range.
    for (const [team, leadTimes] of Object.entries(
      summary.leadTimeHoursByTeam,
    )) {
      const byTeam = await api.get(
        `${API}/metrics?groupBy=team&period=quarter&owner=${encodeURIComponent(
          team,
        )}`,
      );
      expect(byTeam.status).toBe(200);
      expect(
        (byTeam.body as MetricsResponse).overall.total.leadTimeHours.median,
      ).toBeCloseTo(median(leadTimes), 1);
    }
  });

  it('shows every gated demo entity in the portfolio', async () => {
    const res = await api.get(`${API}/portfolio?limit=200`);
    expect(res.status).toBe(200);
    expect(res.body.totalItems).toBe(summary.entities);
    const states = res.body.facets.state as { value: string; count: number }[];
    expect(states.reduce((n, s) => n + s.count, 0)).toBe(summary.entities);
  });

  it('follows governance: no requester records GO, rapid gates and guarded waivers are approved by someone else', async () => {
    const gates = await knex('gates').select();
    const decisions = await knex('decisions').where({ verdict: 'go' });
    const requesterOf = new Map(gates.map(g => [g.id, g.requested_by]));
    expect(decisions.length).toBeGreaterThan(0);
    for (const d of decisions) {
      expect(d.decided_by).not.toBe(requesterOf.get(d.gate_id));
    }
    const rapid = gates.filter(g => g.template_name === 'rapid-release');
    for (const g of rapid) {
      expect(g.template_reason).toBeTruthy();
      const approval = JSON.parse(g.template_approval);
      expect(approval.approvedBy).toBeTruthy();
      expect(approval.approvedBy).not.toBe(g.requested_by);
    }
    const waived = await knex('gate_items').where({ status: 'waived' });
    const guarded = waived
      .map(item => ({
        definition: JSON.parse(item.definition),
        waiver: JSON.parse(item.waiver),
      }))
      .filter(
        ({ definition }) =>
          definition.required &&
          ['security', 'compliance'].includes(definition.category),
      );
    for (const { waiver } of guarded) {
      expect(waiver.approval.approvedBy).toBeTruthy();
      expect(waiver.approval.approvedBy).not.toBe(waiver.by);
    }
  });

  it("gives each gate a facilitator in turn among its team's members", async () => {
    const gates = await knex('gates')
      .select('entity_ref', 'facilitator', 'opened_at')
      .orderBy(['entity_ref', 'opened_at']);
    const byEntity = new Map<string, string[]>();
    for (const g of gates) {
      expect(g.facilitator).toMatch(/^user:default\//);
      byEntity.set(g.entity_ref, [
        ...(byEntity.get(g.entity_ref) ?? []),
        g.facilitator,
      ]);
    }
    // Nobody facilitates twice before each of the others had a turn: in
    // any run of as many gates as the entity has facilitators, each once.
    let checked = 0;
    for (const turns of byEntity.values()) {
      const people = new Set(turns).size;
      for (let i = 0; i + people <= turns.length; i++) {
        expect(new Set(turns.slice(i, i + people)).size).toBe(people);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('plants one pattern the insights find first, and no other item is claimed', async () => {
    const from = new Date(NOW.getTime() - 200 * 86_400_000).toISOString();
    const res = await api
      .get(`${API}/insights/items`)
      .query({ from, to: NOW.toISOString(), limit: '200' });
    expect(res.status).toBe(200);
    const [first, ...rest] = res.body.items;
    expect(first).toMatchObject({
      itemId: 'user-acceptance',
      finding: 'riskier',
      findingOutcome: 'waived',
    });
    expect(first.reading).toMatch(/^waived in \d+ releases/);
    expect(rest.filter((i: any) => i.finding === 'riskier')).toEqual([]);
    // Items waived at the ordinary rate are too few to say anything.
    expect(
      rest.find(
        (i: any) =>
          i.itemId === 'security-review' && i.template === 'component-gate',
      )?.finding,
    ).not.toBe('riskier');
  });

  it('records debriefs with follow-ups for most gates that ended, and audits them', async () => {
    const [{ ended }] = await knex('gates')
      .whereIn('state', ['released', 'rolled-back', 'no-go', 'cancelled'])
      .count({ ended: '*' });
    const [{ debriefs }] = await knex('gate_debriefs').count({ debriefs: '*' });
    expect(Number(debriefs)).toBeGreaterThan(Number(ended) / 2);
    expect(Number(debriefs)).toBeLessThan(Number(ended));
    const [{ events }] = await knex('audit_events')
      .where({ action: 'gate.debrief' })
      .countDistinct({ events: 'gate_id' });
    expect(Number(events)).toBe(Number(debriefs));
    const open = await knex('debrief_follow_ups').where({ done: false });
    expect(open.length).toBeGreaterThan(0);
  });

  it('writes audit chains that verify', async () => {
    const gates = await knex('gates').select('id');
    for (const { id: gateId } of gates) {
      const res = await api.get(`${API}/gates/${gateId}/dossier?format=json`);
      expect(res.status).toBe(200);
      // The chain, and its anchors: heads, decision heads, gate states.
      expect({
        gateId,
        chain: res.body.chain,
        verification: res.body.verification,
      }).toEqual({
        gateId,
        chain: expect.objectContaining({ ok: true }),
        verification: expect.objectContaining({ intact: true }),
      });
    }
  }, 120_000);

  it('leaves a database that already has history alone', async () => {
    const again = await writeDemoHistory(knex, {
      repoRoot: REPO_ROOT,
      templates: loadRepoTemplates(),
      now: NOW,
    });
    expect(again).toBeUndefined();
    const n = await knex('gates').count({ n: '*' }).first();
    expect(Number(n?.n)).toBe(summary.gates);
  });
});

it('writes the same history with the same seed on every engine', () => {
  expect(gatesByEngine.size).toBe(databases.eachSupportedId().length);
  const [first, ...others] = [...gatesByEngine.values()];
  expect(first.length).toBeGreaterThan(0);
  for (const other of others) expect(other).toEqual(first);
});
