/*
 * Several replicas on one PostgreSQL database.
 *
 * What this proves, with two real processes of the app backend
 * (packages/backend, NODE_ENV=development for the demo sign-in, the catalog
 * reading examples/) started at the same moment on fresh databases:
 *
 * 1. Both start: the plugins' migrations race (knex lets one replica migrate
 *    and fails the other at once) is waited out, and the schema is migrated
 *    exactly once.
 * 2. A gate opened on both replicas at the same moment exists once; the loser
 *    gets a 409.
 * 3. Twenty concurrent clients, each request going to either replica, mark
 *    items, vote, post evidence, fill the risk assessment, record NO-GO and
 *    reopen, and add service items; some requests are sent to both replicas
 *    at once on purpose ("duels"). Every answer is a 2xx or a 409, nothing
 *    else.
 * 4. Every acknowledged write is there afterwards, in the API and in the
 *    database; no write that got a 409 left a trace; the number of
 *    acknowledged writes is exactly what the versions count.
 * 5. No person has two live votes for one role on a gate.
 * 6. Versions only grow: what one client reads one after the other never goes
 *    back, and an acknowledged item edit is the version it read plus one.
 * 7. Every gate is whole (see integrity.ts) and every audit chain, gates' and
 *    entities', verifies.
 * 8. Each entity's portfolio summary is its gate as the last change left it:
 *    every change stored it in its own transaction, whichever replica won.
 */
import {
  BackendProcess,
  createScratchPostgres,
  demoUserTokens,
  dropLeftoverDatabases,
  ReadinessApi,
  ScratchPostgres,
  startAppBackend,
  startTogether,
  waitForDemoCatalog,
} from '../harness';
import {
  AuditEventJson,
  chainProblem,
  GateJson,
  gateProblems,
} from './integrity';
import {
  calls,
  describeError,
  entityPath,
  EVIDENCE_TYPES,
  GateRef,
  MANUAL_ITEMS,
  Outcome,
  PEOPLE,
  Random,
  seededRandom,
  SERVICES,
  VOTERS,
} from './workload';

const PORTS = [7301, 7302];
const CLIENTS = 20;
const OPS_PER_CLIENT = 14;
const RELEASE = `r-${Date.now().toString(36)}`;
const PLUGIN = 'release-readiness';

/** Small pools: two backends share the server with other tests. */
const KNEX = {
  knexConfig: { pool: { min: 0, max: 3 }, acquireConnectionTimeout: 10_000 },
  pluginKnexConfig: {
    catalog: { pool: { max: 4 } },
    [PLUGIN]: { pool: { max: 6 } },
  },
};

let db: ScratchPostgres;
let replicas: BackendProcess[] = [];
let apis: ReadinessApi[] = [];
let tokens: Record<string, string> = {};
const gates: GateRef[] = [];

/** Everything the workload sent and got back. */
const outcomes: Outcome[] = [];
/** Per client: steps of gate snapshots; a step holds concurrent answers. */
const observed: GateJson[][][] = [];
/** Duels: requests sent to both replicas at once. */
const duels: {
  op: string;
  outcomes: Outcome[];
  ids?: (string | undefined)[];
}[] = [];

beforeAll(async () => {
  await dropLeftoverDatabases('replicas');
  db = createScratchPostgres('replicas');
  replicas = await startTogether(
    PORTS.map(
      (port, i) => () =>
        startAppBackend({
          name: `replica-${'ab'[i]}`,
          port,
          database: db,
          ...KNEX,
        }),
    ),
  );
  apis = replicas.map(r => new ReadinessApi(r.baseUrl, { timeoutMs: 30_000 }));
  await Promise.all(replicas.map(r => waitForDemoCatalog(r)));
  // Tokens come from replica A; replica B must accept them (shared keys).
  tokens = await demoUserTokens(replicas[0].baseUrl, PEOPLE);
}, 240_000);

afterAll(async () => {
  await Promise.all(replicas.map(r => r.stop()));
  await db?.drop();
}, 60_000);

function logsOnFailure() {
  return replicas
    .map(r => `--- ${r.name}\n${r.logs(40)}`)
    .join('\n')
    .slice(-6000);
}

describe('two replicas on one PostgreSQL database', () => {
  it('both started and migrated the schema exactly once', async () => {
    expect(replicas.map(r => r.running())).toEqual([true, true]);
    const rows = await db.knex(PLUGIN)('knex_migrations').select('name');
    const names = rows.map(r => r.name);
    expect(names.length).toBeGreaterThan(0);
    expect(new Set(names).size).toBe(names.length);
    const lock = await db.knex(PLUGIN)('knex_migrations_lock').first();
    expect(lock.is_locked).toBe(0);
  });

  it('opens a gate asked for on both replicas at once exactly once', async () => {
    for (const service of SERVICES) {
      const token = tokens[service.owners[0]];
      const answers = await Promise.all(
        apis.map(api =>
          api.call<GateJson>('POST', `${entityPath(service.name)}/gates`, {
            token,
            body: { release: RELEASE },
          }),
        ),
      );
      const statuses = answers.map(a => a.status).sort();
      expect({ service: service.name, statuses }).toEqual({
        service: service.name,
        statuses: [201, 409],
      });
      const created = answers.find(a => a.status === 201)!.body;
      gates.push({ service, id: created.id, release: RELEASE });
    }
    const rows = await db
      .knex(PLUGIN)('gates')
      .where({ release: RELEASE })
      .count<{ count: string }[]>({ count: '*' });
    expect(Number(rows[0].count)).toBe(SERVICES.length);
  });

  it('answers every request of 20 concurrent clients with a 2xx or a 409', async () => {
    expect(gates).toHaveLength(SERVICES.length);
    const started = Date.now();
    await Promise.all(Array.from({ length: CLIENTS }, (_, c) => runClient(c)));
    const took = Date.now() - started;

    const unexpected = outcomes.filter(
      o => ![200, 201, 409].includes(o.status),
    );
    if (unexpected.length) {
      throw new Error(
        `${unexpected.length} of ${
          outcomes.length
        } requests got neither a 2xx nor a 409:\n${unexpected
          .slice(0, 15)
          .map(o => `${o.op} on ${o.replica}: ${o.status} ${o.error}`)
          .join('\n')}\n${logsOnFailure()}`,
      );
    }
    const conflicts = outcomes.filter(o => o.status === 409);
    const summary = {
      requests: outcomes.length,
      acknowledged: outcomes.length - conflicts.length,
      conflicts: conflicts.length,
      seconds: Math.round(took / 100) / 10,
      byReplica: Object.fromEntries(
        replicas.map(r => [
          r.name,
          outcomes.filter(o => o.replica === r.name).length,
        ]),
      ),
    };
    // eslint-disable-next-line no-console
    console.log(`replicas workload: ${JSON.stringify(summary)}`);
    // The workload must have raced for real, on both replicas.
    expect(conflicts.length).toBeGreaterThan(0);
    for (const r of replicas) {
      expect(summary.byReplica[r.name]).toBeGreaterThan(outcomes.length / 4);
    }
    // Every 409 is the conflict of the error contract, not a disguised error.
    for (const o of conflicts) {
      expect(o.error).toMatch(/^ConflictError: /);
    }
  }, 180_000);

  it('settled every duel between the replicas with at most one winner', () => {
    expect(duels.length).toBeGreaterThan(5);
    const problems: string[] = [];
    for (const duel of duels) {
      const statuses = duel.outcomes.map(o => o.status).sort();
      const wins = statuses.filter(st => st === 200).length;
      const created = statuses.filter(st => st === 201).length;
      const where = `${duel.op} duel ${duel.outcomes[0].mark} answered ${statuses}`;
      // Compare-and-set on one version: never two winners.
      if (duel.op === 'item' && wins > 1) problems.push(where);
      // The same new id on both replicas: exactly one 201 and one 409.
      if (duel.op === 'service-item' && `${statuses}` !== '201,409') {
        problems.push(where);
      }
      // Idempotent: both acknowledged, one stored fact, created at most once.
      if (
        duel.op === 'evidence' &&
        (wins + created !== 2 || created > 1 || new Set(duel.ids).size !== 1)
      ) {
        problems.push(`${where} with ids ${duel.ids}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('keeps every acknowledged write, and no trace of a refused one', async () => {
    const owner = tokens[SERVICES[0].owners[0]];
    const problems: string[] = [];
    for (const gate of gates) {
      // Read back through the replica that did not open it, to be sure.
      const [gateRes, auditRes] = await Promise.all([
        calls.getGate(apis[1], owner, gate),
        calls.audit(apis[0], owner, gate),
      ]);
      expect(gateRes.status).toBe(200);
      expect(auditRes.status).toBe(200);
      const current = gateRes.body;
      const audit = auditRes.body.items as AuditEventJson[];
      // Where each kind of write leaves its mark: the audit event's `after`
      // (item note, vote comment, reopen reason, residual risk note) or the
      // decision's reason.
      const marks = new Set([
        ...audit.flatMap(e => [
          e.after?.note,
          e.after?.comment,
          e.after?.reason,
          e.after?.residualRisk?.note,
        ]),
        ...current.decisions.map(d => d.reason),
      ]);
      const mine = outcomes.filter(
        o =>
          o.gate === gate.id &&
          o.mark &&
          ['item', 'vote', 'risk', 'decision'].includes(o.op),
      );
      for (const o of mine) {
        const acknowledged = o.status >= 200 && o.status < 300;
        const present = marks.has(o.mark);
        if (acknowledged && !present) {
          problems.push(`${o.op} ${o.mark} was acknowledged but is not there`);
        }
        if (!acknowledged && present) {
          problems.push(`${o.op} ${o.mark} got ${o.status} but is there`);
        }
      }
      // Votes: each acknowledged one is a row, live or superseded.
      for (const o of mine.filter(m => m.op === 'vote' && m.status === 201)) {
        if (!current.votes.some(v => v.comment === o.mark)) {
          problems.push(`vote ${o.mark} was acknowledged but has no row`);
        }
      }
      // Exact counts: every acknowledged change bumped a version once.
      const acked = (op: string, item?: string) =>
        mine.filter(
          o =>
            o.op === op &&
            o.status >= 200 &&
            o.status < 300 &&
            (item === undefined || o.item === item),
        ).length;
      for (const itemId of MANUAL_ITEMS) {
        const item = current.items.find(i => i.id === itemId)!;
        if (item.version !== 1 + acked('item', itemId)) {
          problems.push(
            `item ${itemId} of ${gate.service.name} is at version ${
              item.version
            } after ${acked('item', itemId)} acknowledged edits`,
          );
        }
      }
      const changes = ['item', 'vote', 'risk', 'decision'].reduce(
        (sum, op) => sum + acked(op),
        0,
      );
      if (current.version !== 1 + changes) {
        problems.push(
          `gate ${gate.service.name} is at version ${current.version} after ${changes} acknowledged changes`,
        );
      }
      if ((current.risk?.version ?? 0) !== acked('risk')) {
        problems.push(
          `risk of ${gate.service.name} is at version ${
            current.risk?.version
          } after ${acked('risk')} acknowledged edits`,
        );
      }
    }

    // Evidence: one row per acknowledged (entity, release, type, runId).
    const evidenceRows = await db
      .knex(PLUGIN)('evidence')
      .where({ release: RELEASE });
    const stored = new Map(
      evidenceRows.map(r => [`${r.entity_ref} ${r.type} ${r.run_id}`, r.id]),
    );
    expect(stored.size).toBe(evidenceRows.length);
    for (const o of outcomes.filter(
      e => e.op === 'evidence' && e.status >= 200 && e.status < 300,
    )) {
      if (!stored.has(o.mark!)) {
        problems.push(`evidence ${o.mark} was acknowledged but is not stored`);
      }
    }

    // Service items: acknowledged ones exist with their own description.
    for (const service of SERVICES) {
      const rows = await db
        .knex(PLUGIN)('service_items')
        .where({ entity_ref: `component:default/${service.name}` });
      const descriptions = new Set(
        rows.map(r => JSON.parse(r.definition).description),
      );
      for (const o of outcomes.filter(
        e => e.op === 'service-item' && e.gate === service.name,
      )) {
        const present = descriptions.has(o.mark);
        if (o.status === 201 && !present) {
          problems.push(
            `service item ${o.mark} was acknowledged but is not stored`,
          );
        }
        if (o.status !== 201 && present) {
          problems.push(`service item ${o.mark} got ${o.status} but is stored`);
        }
      }
    }
    expect(problems).toEqual([]);
  }, 60_000);

  it('never has two live votes of one person for one role', async () => {
    const duplicates = await db
      .knex(PLUGIN)('votes')
      .whereNull('superseded_at')
      .groupBy('gate_id', 'role', 'voter')
      .havingRaw('count(*) > 1')
      .select('gate_id', 'role', 'voter')
      .count({ live: '*' });
    expect(duplicates).toEqual([]);
    const votes = await db
      .knex(PLUGIN)('votes')
      .count<{ n: string }[]>({ n: '*' });
    expect(Number(votes[0].n)).toBeGreaterThan(10);
  });

  it("keeps each entity's portfolio summary on its gate as the last change left it", async () => {
    // The rows first: reading a gate would refresh them.
    const rows = await db
      .knex(PLUGIN)('entities')
      .whereIn(
        'entity_ref',
        gates.map(g => `component:default/${g.service.name}`),
      )
      .select();
    const token = tokens[SERVICES[0].owners[0]];
    const stored = [];
    const expected = [];
    for (const gate of gates) {
      const row = rows.find(
        r => r.entity_ref === `component:default/${gate.service.name}`,
      );
      stored.push({
        gate: row?.current_gate_id,
        state: row?.current_state,
        version: Number(row?.current_gate_version),
        verdict: row?.current_verdict,
        score: Number(row?.current_score),
        blockers: Number(row?.current_blockers),
      });
      const res = await calls.getGate(apis[1], token, gate);
      expect(res.status).toBe(200);
      const body = res.body as GateJson & {
        evaluation: { verdict: string; score: number; blockers: unknown[] };
      };
      expected.push({
        gate: gate.id,
        state: body.state,
        version: body.version,
        verdict: body.evaluation.verdict,
        score: body.evaluation.score,
        blockers: body.evaluation.blockers.length,
      });
    }
    expect(stored).toEqual(expected);
  });

  it('only ever shows growing versions', () => {
    const problems: string[] = [];
    for (const [client, steps] of observed.entries()) {
      const seen = new Map<string, number>();
      for (const step of steps) {
        // Concurrent answers are checked against what came before them.
        const next = new Map(seen);
        for (const gate of step) {
          const keys: [string, number][] = [
            [gate.id, gate.version],
            ...gate.items.map(
              i => [`${gate.id}/${i.id}`, i.version] as [string, number],
            ),
          ];
          for (const [key, version] of keys) {
            if (version < (seen.get(key) ?? 0)) {
              problems.push(
                `client ${client} saw ${key} at ${version} after ${seen.get(
                  key,
                )}`,
              );
            }
            next.set(key, Math.max(next.get(key) ?? 0, version));
          }
        }
        for (const [k, v] of next) seen.set(k, v);
      }
    }
    expect(problems).toEqual([]);
    expect(observed.flat(2).length).toBeGreaterThan(CLIENTS * OPS_PER_CLIENT);
  });

  it('leaves every gate whole, with audit chains that verify', async () => {
    const token = tokens[SERVICES[0].owners[0]];
    const problems: string[] = [];
    for (const gate of gates) {
      const [g, a, v] = await Promise.all([
        calls.getGate(apis[0], token, gate),
        calls.audit(apis[1], token, gate),
        calls.verifyAudit(apis[0], token, gate),
      ]);
      problems.push(...gateProblems(g.body, a.body.items));
      // The chain against its anchors: seq, heads, decisions, gate state.
      if (!v.body.intact) {
        problems.push(
          `${gate.id}: audit/verify ${JSON.stringify(v.body.firstBroken)}`,
        );
      }
    }
    // Entity chains (gate owners, service items) from the database itself.
    const rows = await db
      .knex(PLUGIN)('audit_events')
      .whereNull('gate_id')
      .orderBy('id');
    const byEntity = new Map<string, AuditEventJson[]>();
    for (const row of rows) {
      const list = byEntity.get(row.entity_ref) ?? [];
      list.push({
        id: String(row.id),
        entityRef: row.entity_ref,
        actor: row.actor,
        action: row.action,
        before: row.before ? JSON.parse(row.before) : undefined,
        after: row.after ? JSON.parse(row.after) : undefined,
        at: new Date(row.at).toISOString(),
        prevHash: row.prev_hash ?? undefined,
        hash: row.hash ?? undefined,
      });
      byEntity.set(row.entity_ref, list);
    }
    expect(byEntity.size).toBeGreaterThan(0);
    for (const [entityRef, events] of byEntity) {
      const problem = chainProblem(events);
      if (problem) problems.push(`${entityRef}: ${problem}`);
    }
    expect(problems).toEqual([]);
  });
});

/** One client: OPS_PER_CLIENT random operations, each on a random replica. */
async function runClient(client: number) {
  const rng = seededRandom(1000 + client);
  const steps: GateJson[][] = [];
  observed[client] = steps;
  for (let n = 0; n < OPS_PER_CLIENT; n++) {
    const gate = rng.pick(gates);
    const r = rng.chance(0.5) ? 1 : 0;
    const roll = rng.next();
    const mark = `c${client}-n${n}`;
    const ctx = { client, rng, gate, r, mark, steps };
    if (roll < 0.35) await itemOp(ctx);
    else if (roll < 0.6) await voteOp(ctx);
    else if (roll < 0.75) await evidenceOp(ctx);
    else if (roll < 0.85) await riskOp(ctx);
    else if (roll < 0.93) await decisionOp(ctx);
    else await serviceItemOp(ctx);
  }
}

interface Ctx {
  client: number;
  rng: Random;
  gate: GateRef;
  r: number;
  mark: string;
  steps: GateJson[][];
}

function record(
  ctx: Ctx,
  op: string,
  replica: number,
  res: { status: number; ms: number; body: any; error?: string },
  extra: Partial<Outcome> = {},
): Outcome {
  const outcome: Outcome = {
    op,
    replica: replicas[replica].name,
    client: ctx.client,
    status: res.status,
    ms: res.ms,
    gate: ctx.gate.id,
    ...extra,
  };
  const error = describeError(res as any);
  if (error) outcome.error = error;
  outcomes.push(outcome);
  return outcome;
}

/** Reads the gate (on replica r) as one step of this client's observations. */
async function readGate(
  ctx: Ctx,
  token: string,
): Promise<GateJson | undefined> {
  const res = await calls.getGate(apis[ctx.r], token, ctx.gate);
  if (res.status !== 200) {
    record(ctx, 'read', ctx.r, res);
    return undefined;
  }
  ctx.steps.push([res.body]);
  return res.body;
}

/** Keeps the gates of successful answers as one step (concurrent answers together). */
function observe(ctx: Ctx, answers: { status: number; body: any }[]) {
  const gatesSeen = answers
    .filter(a => a.status === 200 || a.status === 201)
    .map(a => a.body as GateJson)
    .filter(g => g?.id && Array.isArray(g.items));
  if (gatesSeen.length) ctx.steps.push(gatesSeen);
}

async function itemOp(ctx: Ctx) {
  const token = tokens[ctx.rng.pick(ctx.gate.service.owners)];
  const current = await readGate(ctx, token);
  if (!current) return;
  const itemId = ctx.rng.pick(MANUAL_ITEMS);
  const version = current.items.find(i => i.id === itemId)!.version;
  const status = ctx.rng.pick([
    'passed',
    'failed',
    'pending',
    'not-applicable',
  ]);
  const other = 1 - ctx.r;
  if (ctx.rng.chance(0.3)) {
    const targets = [0, 1];
    const answers = await Promise.all(
      targets.map(t =>
        calls.markItem(apis[t], token, ctx.gate, itemId, {
          status,
          note: `${ctx.mark}-${t}`,
          version,
        }),
      ),
    );
    duels.push({
      op: 'item',
      outcomes: answers.map((a, t) =>
        record(ctx, 'item', t, a, { mark: `${ctx.mark}-${t}`, item: itemId }),
      ),
    });
    observe(ctx, answers);
    for (const a of answers.filter(x => x.status === 200)) {
      expectNextVersion(a.body, itemId, version);
    }
    return;
  }
  const res = await calls.markItem(apis[other], token, ctx.gate, itemId, {
    status,
    note: ctx.mark,
    version,
  });
  record(ctx, 'item', other, res, { mark: ctx.mark, item: itemId });
  observe(ctx, [res]);
  if (res.status === 200) expectNextVersion(res.body, itemId, version);
}

/** An acknowledged compare-and-set moved the item exactly one version on. */
function expectNextVersion(gate: GateJson, itemId: string, read: number) {
  const item = gate.items.find(i => i.id === itemId)!;
  if (item.version !== read + 1) {
    outcomes.push({
      op: 'item-version',
      replica: '-',
      client: -1,
      status: -1,
      ms: 0,
      error: `item ${itemId} acknowledged at version ${item.version} after reading ${read}`,
    });
  }
}

async function voteOp(ctx: Ctx) {
  const role = ctx.rng.pick([
    'qa',
    'security',
    'release-management',
    'engineering',
  ]);
  const voter =
    role === 'engineering'
      ? ctx.rng.pick(ctx.gate.service.owners)
      : ctx.rng.pick(VOTERS[role]);
  const verdict = ctx.rng.chance(0.85) ? 'ready' : 'not-ready';
  const token = tokens[voter];
  if (ctx.rng.chance(0.3)) {
    const answers = await Promise.all(
      [0, 1].map(t =>
        calls.vote(apis[t], token, ctx.gate, {
          role,
          verdict,
          comment: `${ctx.mark}-${t}`,
        }),
      ),
    );
    duels.push({
      op: 'vote',
      outcomes: answers.map((a, t) =>
        record(ctx, 'vote', t, a, { mark: `${ctx.mark}-${t}` }),
      ),
    });
    observe(ctx, answers);
    return;
  }
  const res = await calls.vote(apis[ctx.r], token, ctx.gate, {
    role,
    verdict,
    comment: ctx.mark,
  });
  record(ctx, 'vote', ctx.r, res, { mark: ctx.mark });
  observe(ctx, [res]);
}

async function evidenceOp(ctx: Ctx) {
  const [type, metrics] = ctx.rng.pick(EVIDENCE_TYPES);
  // Half of the runs are shared between clients: posting is idempotent.
  const runId = ctx.rng.chance(0.5)
    ? `shared-${type}-${Math.floor(ctx.rng.next() * 3)}`
    : `run-${ctx.mark}`;
  const key = `component:default/${ctx.gate.service.name} ${type} ${runId}`;
  if (ctx.rng.chance(0.3)) {
    const answers = await Promise.all(
      [0, 1].map(t =>
        calls.postEvidence(apis[t], ctx.gate, type, metrics, runId),
      ),
    );
    duels.push({
      op: 'evidence',
      outcomes: answers.map((a, t) =>
        record(ctx, 'evidence', t, a, { mark: key }),
      ),
      ids: answers.map(a => a.body?.id),
    });
    return;
  }
  const res = await calls.postEvidence(
    apis[ctx.r],
    ctx.gate,
    type,
    metrics,
    runId,
  );
  record(ctx, 'evidence', ctx.r, res, { mark: key });
}

async function riskOp(ctx: Ctx) {
  const token = tokens[ctx.rng.pick(ctx.gate.service.owners)];
  const current = await readGate(ctx, token);
  if (!current) return;
  const other = 1 - ctx.r;
  const res = await calls.putRisk(
    apis[other],
    token,
    ctx.gate,
    current.risk?.version ?? 0,
    ctx.mark,
  );
  record(ctx, 'risk', other, res, { mark: ctx.mark });
  observe(ctx, [res]);
}

async function decisionOp(ctx: Ctx) {
  const token = tokens[ctx.rng.pick(ctx.gate.service.owners)];
  const current = await readGate(ctx, token);
  if (!current) return;
  const other = 1 - ctx.r;
  const body =
    current.state === 'no-go'
      ? { transition: 'reopen' as const, reason: ctx.mark }
      : { verdict: 'no-go' as const, reason: ctx.mark };
  const res = await calls.decide(apis[other], token, ctx.gate, body);
  record(ctx, 'decision', other, res, { mark: ctx.mark });
  observe(ctx, [res]);
}

async function serviceItemOp(ctx: Ctx) {
  const service = ctx.gate.service;
  const token = tokens[ctx.rng.pick(service.owners)];
  const id = `svc-${ctx.mark}`;
  // Always a duel: the same new id on both replicas.
  const answers = await Promise.all(
    [0, 1].map(t =>
      calls.addServiceItem(
        apis[t],
        token,
        service.name,
        id,
        `${ctx.mark}-${t}`,
      ),
    ),
  );
  duels.push({
    op: 'service-item',
    outcomes: answers.map((a, t) =>
      record(ctx, 'service-item', t, a, {
        mark: `${ctx.mark}-${t}`,
        gate: service.name,
      }),
    ),
  });
}
