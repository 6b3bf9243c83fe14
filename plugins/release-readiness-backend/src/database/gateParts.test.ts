/*
 * A gate is read in one statement with its parts as JSON (gateRows.ts),
 * which names each part's columns: here they are checked against the
 * migrated tables, and a gate read so against the same gate read row by
 * row, on both engines.
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import { DatabaseGateStore } from './DatabaseGateStore';
import { DatabaseWindowStore } from './DatabaseWindowStore';
import { DatabaseIncidentStore } from './DatabaseIncidentStore';
import {
  GATE_PART_COLUMNS,
  incidentsReadWith,
  selectGates,
  toWholeGates,
} from './gateRows';
import { toGate } from './mappers';
import { MIGRATIONS_DIRECTORY } from './migrations';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())('gate parts on %s', databaseId => {
  it('names every column of each part table', async () => {
    const knex = await databases.init(databaseId);
    await knex.migrate.latest({ directory: MIGRATIONS_DIRECTORY });
    for (const [table, columns] of Object.entries(GATE_PART_COLUMNS)) {
      const info = await knex(table).columnInfo();
      expect([table, Object.keys(info).sort()]).toEqual([
        table,
        [...columns].sort(),
      ]);
    }
  });

  it('reads a gate in one statement as its rows read one by one', async () => {
    const knex = await databases.init(databaseId);
    await knex.migrate.latest({ directory: MIGRATIONS_DIRECTORY });
    const store = DatabaseGateStore.create({ db: knex });
    await knex('gates').insert({
      id: 'g-1',
      entity_ref: 'component:default/a',
      release: '1.0.0',
      template_name: 't',
      template_version: 1,
      template_hash: 'h',
      template: '{}',
      tier: 1,
      state: 'in-progress',
      requested_by: 'user:default/a',
      opened_at: '2026-12-01T10:00:00.000Z',
      updated_at: '2026-12-01T10:00:00.000Z',
      version: 3,
      checklist_revision: 2,
    });
    const item = (id: string, position: number) => ({
      gate_id: 'g-1',
      item_id: id,
      position,
      source: 'template',
      definition: JSON.stringify({ id, title: `Item ${id}`, required: true }),
      status: position === 2 ? 'waived' : 'pending',
      note: position === 2 ? 'a note "quoted"\nand a line' : null,
      waiver:
        position === 2
          ? JSON.stringify({ reason: 'r', approvedBy: 'user:default/b' })
          : null,
      updated_by: position === 2 ? 'user:default/b' : null,
      updated_at: position === 2 ? '2026-12-01T11:00:00.000Z' : null,
      version: position,
    });
    await knex('gate_items').insert([item('b', 2), item('a', 1)]);
    const vote = (id: string, at: string, superseded: string | null) => ({
      id,
      gate_id: 'g-1',
      role: 'qa',
      voter: 'user:default/c',
      voter_claims: JSON.stringify(['group:default/qa']),
      verdict: 'ready',
      comment: id === 'v-2' ? 'ünïcode ✓' : null,
      checklist_revision: 2,
      at,
      superseded_at: superseded,
    });
    await knex('votes').insert([
      vote('v-2', '2026-12-01T12:00:00.000Z', null),
      {
        ...vote('v-1', '2026-12-01T11:30:00.000Z', '2026-12-01T12:00:00.000Z'),
        voter_claims: JSON.stringify(['group:default/old']),
      },
    ]);
    await knex('decisions').insert({
      id: 'd-1',
      gate_id: 'g-1',
      verdict: 'no-go',
      reason: 'not yet',
      decided_by: 'user:default/d',
      at: '2026-12-01T12:30:00.000Z',
      state_hash: 'x'.repeat(64),
      blocker_count: 2,
    });
    // A second gate whose parts must not be mixed in.
    await knex('gates').insert({
      id: 'g-2',
      entity_ref: 'component:default/a',
      release: '2.0.0',
      template_name: 't',
      template_version: 1,
      template_hash: 'h',
      template: '{}',
      tier: 1,
      state: 'in-progress',
      requested_by: 'user:default/a',
      opened_at: '2026-12-02T10:00:00.000Z',
      updated_at: '2026-12-02T10:00:00.000Z',
      version: 1,
      checklist_revision: 1,
    });
    await knex('gate_items').insert({ ...item('z', 1), gate_id: 'g-2' });

    await knex('window_exceptions').insert({
      id: 'e-1',
      gate_id: 'g-1',
      window_id: 'year-end-freeze',
      reason: 'hotfix',
      approved_by: 'user:default/d',
      covers: JSON.stringify(['group:default/cab']),
      approved_at: '2026-12-01T13:00:00.000Z',
      window_version: 2,
      request_id: 'r-1',
    });
    await knex('window_exception_requests').insert([
      {
        id: 'r-1',
        gate_id: 'g-1',
        window_id: 'year-end-freeze',
        window_version: 2,
        reason: 'hotfix',
        requested_by: 'user:default/a',
        requested_at: '2026-12-01T12:45:00.000Z',
        state: 'approved',
        decided_by: 'user:default/d',
        decision_reason: 'ok',
        decided_at: '2026-12-01T13:00:00.000Z',
      },
      {
        id: 'r-2',
        gate_id: 'g-2',
        window_id: 'year-end-freeze',
        window_version: null,
        reason: 'other gate',
        requested_by: 'user:default/a',
        requested_at: '2026-12-01T12:50:00.000Z',
        state: 'open',
        decided_by: null,
        decision_reason: null,
        decided_at: null,
      },
    ]);
    const windows = DatabaseWindowStore.create({ db: knex });
    const storedExceptions = await store.listWindowExceptions({
      gateId: 'g-1',
    });
    const storedRequests = await windows.listExceptionRequests({
      gateId: 'g-1',
    });
    expect(storedExceptions).toHaveLength(1);
    expect(storedRequests.map(r => r.id)).toEqual(['r-1']);

    const row = await knex('gates').where({ id: 'g-1' }).first();
    const byRows = toGate(
      row,
      await knex('gate_items').where({ gate_id: 'g-1' }),
      await knex('votes').where({ gate_id: 'g-1' }).orderBy(['at', 'id']),
      await knex('decisions').where({ gate_id: 'g-1' }).orderBy(['at', 'id']),
    );
    const statements: string[] = [];
    const count = (q: { sql: string }) => statements.push(q.sql);
    knex.on('query', count);
    const read = await store.getGate({ gateId: 'g-1' });
    knex.removeListener('query', count);

    expect(statements).toHaveLength(1);
    expect(read).toEqual(byRows);
    expect(read!.items.map(i => i.id)).toEqual(['a', 'b']);
    expect(read!.votes.map(v => v.id)).toEqual(['v-1', 'v-2']);
    expect(read!.items[1].note).toBe('a note "quoted"\nand a line');
    expect(read!.votes[1].comment).toBe('ünïcode ✓');
    expect(read!.decisions).toHaveLength(1);

    // The live voters' claims come with the gate read, without a query;
    // a gate made otherwise has them read.
    knex.on('query', count);
    const claims = await store.getVoterClaims({ gateId: 'g-1', gate: read });
    const copyClaims = await store.getVoterClaims({
      gateId: 'g-1',
      gate: { ...read! },
    });
    knex.removeListener('query', count);
    expect(statements).toHaveLength(2);
    expect(Object.fromEntries(claims)).toEqual({
      'user:default/c': ['group:default/qa'],
    });
    expect(copyClaims).toEqual(claims);
    // So do its window exceptions and exception requests.
    knex.on('query', count);
    const exceptions = await store.listWindowExceptions({
      gateId: 'g-1',
      gate: read,
    });
    const requests = await windows.listExceptionRequests({
      gateId: 'g-1',
      gate: read,
    });
    knex.removeListener('query', count);
    expect(statements).toHaveLength(2);
    expect(exceptions).toEqual(storedExceptions);
    expect(requests).toEqual(storedRequests);

    // The incidents of the gate's release come with it too, as the
    // incident store lists them: not another release's, not another
    // entity's of the same release.
    const incident = (
      id: string,
      entityRef: string,
      release: string,
      occurredAt: string,
    ) => ({
      id,
      entity_ref: entityRef,
      release,
      severity: 'sev2',
      title: `Incident ${id} "quoted"`,
      link: id === 'i-2' ? 'https://status.example.com/i-2' : null,
      occurred_at: occurredAt,
      reported_by: 'user:default/e',
      reported_at: '2026-12-03T10:00:00.000Z',
      ungated: false,
      source: id === 'i-1' ? 'pagerduty' : null,
      source_title: id === 'i-1' ? 'PagerDuty' : null,
      external_id: id === 'i-1' ? 'PD-1' : null,
    });
    await knex('incidents').insert([
      incident(
        'i-2',
        'component:default/a',
        '1.0.0',
        '2026-12-03T09:00:00.000Z',
      ),
      incident(
        'i-1',
        'component:default/a',
        '1.0.0',
        '2026-12-03T08:00:00.000Z',
      ),
      incident(
        'i-3',
        'component:default/a',
        '2.0.0',
        '2026-12-03T08:00:00.000Z',
      ),
      incident(
        'i-4',
        'component:default/b',
        '1.0.0',
        '2026-12-03T08:00:00.000Z',
      ),
    ]);
    const both = toWholeGates(await selectGates(knex, 'g').orderBy('g.id'));
    expect(both.map(g => [g.id, g.items.length, g.votes.length])).toEqual([
      ['g-1', 2, 2],
      ['g-2', 1, 0],
    ]);
    const incidents = DatabaseIncidentStore.create({ db: knex });
    for (const [gate, release] of [
      [both[0], '1.0.0'],
      [both[1], '2.0.0'],
    ] as const) {
      expect(incidentsReadWith(gate)).toEqual(
        await incidents.listIncidents({
          entityRef: 'component:default/a',
          release,
        }),
      );
    }
    expect(incidentsReadWith(both[0])!.map(i => i.id)).toEqual(['i-1', 'i-2']);
    expect(incidentsReadWith(both[0])![0].source).toEqual({
      id: 'pagerduty',
      title: 'PagerDuty',
      externalId: 'PD-1',
    });
    expect(incidentsReadWith({ ...both[0] })).toBeUndefined();
  });
});
