// @ts-check

/*
 * The blameless debrief of a gate (issue 18), held after a release, a
 * rollback, a NO-GO or a cancel: one row per gate with its three answers,
 * and its follow-up actions, each with an owner (a catalog user or group)
 * and a due date. No column names a person except the action's owner and
 * who wrote or closed what. Follow-ups are indexed by state and due date for
 * the overdue reminders, and by entity for the portfolio's open counts.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('gate_debriefs', table => {
    table.comment('The blameless debrief of a gate, one per gate');
    table.string('gate_id', 255).primary();
    table.string('entity_ref', 255).notNullable();
    table.string('release', 255).notNullable();
    table.text('went_well').notNullable();
    table.text('went_wrong').notNullable();
    table.text('to_change').notNullable();
    table.string('recorded_by', 255).notNullable();
    table.timestamp('recorded_at', { useTz: true }).notNullable();
    table.string('updated_by', 255).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.integer('version').notNullable().defaultTo(1);
    table.index(['entity_ref'], 'gate_debriefs_entity_idx');
  });
  await knex.schema.createTable('debrief_follow_ups', table => {
    table.comment('Follow-up actions of debriefs: owner, due date, done');
    table.string('id', 255).primary();
    table.string('gate_id', 255).notNullable();
    table.string('entity_ref', 255).notNullable();
    table.integer('position').notNullable();
    table.text('action').notNullable();
    table
      .string('owner', 255)
      .notNullable()
      .comment('A catalog user or group ref, lower case');
    table.string('due_date', 10).notNullable().comment('YYYY-MM-DD (UTC)');
    table.boolean('done').notNullable().defaultTo(false);
    table.timestamp('done_at', { useTz: true }).nullable();
    table.string('done_by', 255).nullable();
    table.index(['gate_id', 'position'], 'debrief_follow_ups_gate_idx');
    table.index(['done', 'due_date'], 'debrief_follow_ups_due_idx');
    table.index(['entity_ref', 'done'], 'debrief_follow_ups_entity_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('debrief_follow_ups');
  await knex.schema.dropTable('gate_debriefs');
};
