// @ts-check

/**
 * The release gate: entities the plugin serves, their own checklist items,
 * gates with their items, sign-off votes, CI evidence, decisions and the audit
 * trail.
 *
 * Invariants the database itself keeps, so that several replicas cannot break
 * them: one gate per entity and release unless cancelled; one live vote per
 * person, gate and role; evidence unique per (entity, release, type, run).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('entities', table => {
    table.comment(
      'Catalog entities the plugin serves, with their current gate summary',
    );
    table.string('entity_ref', 255).primary().comment('Lower-case entity ref');
    table.string('kind', 63).notNullable().comment('Lower-case kind');
    table.string('title', 255).notNullable().comment('metadata.title or name');
    table.string('type', 63).nullable().comment('spec.type');
    table.string('lifecycle', 63).nullable().comment('spec.lifecycle');
    table
      .string('owner_ref', 255)
      .nullable()
      .comment('Lower-case ref of the catalog owner');
    table
      .string('system_ref', 255)
      .nullable()
      .comment('Lower-case ref of spec.system');
    table
      .text('tags')
      .notNullable()
      .defaultTo('[]')
      .comment('JSON array of tags');
    table
      .string('template_name', 63)
      .nullable()
      .comment('Template the next gate opens with');
    table.integer('tier').nullable().comment('Tier of that template');
    table
      .string('current_gate_id', 36)
      .nullable()
      .comment('Newest gate that is not cancelled');
    table.string('current_release', 255).nullable();
    table.string('current_state', 31).nullable();
    table.string('current_verdict', 31).nullable();
    table.integer('current_score').nullable();
    table
      .integer('current_blockers')
      .nullable()
      .comment('Number of blockers of the current gate');
    table
      .timestamp('refreshed_at', { useTz: true })
      .notNullable()
      .comment('When the row was last refreshed from the catalog');
    table.index(['owner_ref'], 'entities_owner_ref_idx');
    table.index(['system_ref'], 'entities_system_ref_idx');
  });

  await knex.schema.createTable('service_items', table => {
    table.comment(
      'Checklist items the gate owners of an entity added on top of its template',
    );
    table.string('entity_ref', 255).notNullable();
    table.string('item_id', 63).notNullable();
    table
      .text('definition')
      .notNullable()
      .comment('JSON ChecklistItemDefinition');
    table.string('created_by', 255).notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.primary(['entity_ref', 'item_id']);
  });

  await knex.schema.createTable('gates', table => {
    table.comment('One release of one entity going through its gate');
    table.string('id', 36).primary().comment('UUID');
    table.string('entity_ref', 255).notNullable();
    table.string('release', 255).notNullable().comment('Version or commit');
    table.string('template_name', 63).notNullable();
    table.string('template_version', 63).notNullable();
    table
      .text('template')
      .notNullable()
      .comment('JSON of the template spec the gate opened with');
    table.string('template_hash', 64).notNullable();
    table.integer('tier').notNullable();
    table
      .string('state', 31)
      .notNullable()
      .comment('in-progress, go, no-go, released, rolled-back, cancelled');
    table.timestamp('planned_at', { useTz: true }).nullable();
    table
      .string('requested_by', 255)
      .notNullable()
      .comment('User who opened the gate');
    table
      .text('rapid_reason')
      .nullable()
      .comment('Why an expedited template was chosen');
    table.text('risk').nullable().comment('JSON RiskAssessment');
    table.timestamp('opened_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table
      .integer('version')
      .notNullable()
      .defaultTo(1)
      .comment('Optimistic concurrency of the gate row');
    table
      .integer('checklist_revision')
      .notNullable()
      .defaultTo(1)
      .comment('Bumped when a required item changes; older votes are stale');
    table.index(['entity_ref', 'opened_at'], 'gates_entity_ref_idx');
  });
  // Only one gate per entity and release, unless cancelled.
  await knex.raw(
    "CREATE UNIQUE INDEX gates_entity_release_live_idx ON gates (entity_ref, release) WHERE state <> 'cancelled'",
  );

  await knex.schema.createTable('gate_items', table => {
    table.comment(
      'Checklist items of a gate, snapshotted when it opened, with their state',
    );
    table
      .string('gate_id', 36)
      .notNullable()
      .references('id')
      .inTable('gates')
      .onDelete('CASCADE');
    table.string('item_id', 63).notNullable();
    table.integer('position').notNullable();
    table.string('source', 15).notNullable().comment('template or service');
    table
      .text('definition')
      .notNullable()
      .comment('JSON ChecklistItemDefinition');
    table.string('status', 31).notNullable();
    table.text('note').nullable();
    table.text('waiver').nullable().comment('JSON Waiver');
    table.string('updated_by', 255).nullable();
    table.timestamp('updated_at', { useTz: true }).nullable();
    table.integer('version').notNullable().defaultTo(1);
    table.primary(['gate_id', 'item_id']);
  });

  await knex.schema.createTable('votes', table => {
    table.comment(
      'Sign-off votes; a new vote supersedes the previous vote of the same person for the role',
    );
    table.string('id', 36).primary();
    table
      .string('gate_id', 36)
      .notNullable()
      .references('id')
      .inTable('gates')
      .onDelete('CASCADE');
    table.string('role', 63).notNullable();
    table.string('voter', 255).notNullable().comment('User ref');
    table
      .text('voter_claims')
      .notNullable()
      .comment('JSON array of the voter ownership refs when voting');
    table.string('verdict', 15).notNullable().comment('ready or not-ready');
    table.text('comment').nullable();
    table.integer('checklist_revision').notNullable();
    table.timestamp('at', { useTz: true }).notNullable();
    table.timestamp('superseded_at', { useTz: true }).nullable();
    table.index(['gate_id'], 'votes_gate_id_idx');
  });
  await knex.raw(
    'CREATE UNIQUE INDEX votes_live_idx ON votes (gate_id, role, voter) WHERE superseded_at IS NULL',
  );

  await knex.schema.createTable('evidence', table => {
    table.comment('Facts posted by CI; may arrive before the gate exists');
    table.string('id', 36).primary();
    table.string('entity_ref', 255).notNullable();
    table.string('release', 255).notNullable();
    table.string('type', 63).notNullable();
    table.string('status', 15).notNullable();
    table.text('metrics').notNullable().comment('JSON object');
    table.text('link').nullable();
    table.string('commit_sha', 255).nullable();
    table.string('run_id', 255).notNullable();
    table.timestamp('observed_at', { useTz: true }).notNullable();
    table.timestamp('received_at', { useTz: true }).notNullable();
    table.string('posted_by', 255).notNullable();
    table.unique(['entity_ref', 'release', 'type', 'run_id'], {
      indexName: 'evidence_run_idx',
    });
  });

  await knex.schema.createTable('decisions', table => {
    table.comment('Go and No-Go decisions; never updated');
    table.string('id', 36).primary();
    table
      .string('gate_id', 36)
      .notNullable()
      .references('id')
      .inTable('gates')
      .onDelete('CASCADE');
    table.string('verdict', 15).notNullable();
    table.text('reason').notNullable();
    table.string('decided_by', 255).notNullable();
    table.timestamp('at', { useTz: true }).notNullable();
    table
      .string('state_hash', 64)
      .notNullable()
      .comment('SHA-256 of the gate state decided on');
    table.index(['gate_id'], 'decisions_gate_id_idx');
  });

  await knex.schema.createTable('audit_events', table => {
    table.comment('Append-only trail of every change');
    table.bigIncrements('id', { primaryKey: true });
    table.string('entity_ref', 255).notNullable();
    table.string('gate_id', 36).nullable();
    table.string('actor', 255).notNullable();
    table.string('action', 63).notNullable();
    table.text('before').nullable().comment('JSON');
    table.text('after').nullable().comment('JSON');
    table.timestamp('at', { useTz: true }).notNullable();
    table.index(['gate_id', 'id'], 'audit_events_gate_idx');
    table.index(['entity_ref', 'id'], 'audit_events_entity_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('audit_events');
  await knex.schema.dropTable('decisions');
  await knex.schema.dropTable('evidence');
  await knex.schema.dropTable('votes');
  await knex.schema.dropTable('gate_items');
  await knex.schema.dropTable('gates');
  await knex.schema.dropTable('service_items');
  await knex.schema.dropTable('entities');
};
