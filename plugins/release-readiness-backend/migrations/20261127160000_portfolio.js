// @ts-check

/**
 * The portfolio reads the entity index alone: it keeps, on each entity's row,
 * what the portfolio shows of the current gate (planned time, last decision),
 * with indexes for its filters. Decisions record how many blockers the gate
 * had when decided, for the metrics.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('entities', table => {
    table
      .timestamp('current_planned_at', { useTz: true })
      .nullable()
      .comment('Planned release time of the current gate');
    table
      .string('current_decision', 15)
      .nullable()
      .comment('Verdict of the last decision on the current gate');
    table.timestamp('current_decided_at', { useTz: true }).nullable();
    table.index(['current_state'], 'entities_current_state_idx');
    table.index(['current_verdict'], 'entities_current_verdict_idx');
    table.index(['tier'], 'entities_tier_idx');
    table.index(['title'], 'entities_title_idx');
  });
  await knex.schema.alterTable('decisions', table => {
    table
      .integer('blocker_count')
      .nullable()
      .comment('How many blockers the gate had when decided');
  });
  await knex.schema.alterTable('gates', table => {
    table.index(['opened_at'], 'gates_opened_at_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('gates', table => {
    table.dropIndex(['opened_at'], 'gates_opened_at_idx');
  });
  await knex.schema.alterTable('decisions', table => {
    table.dropColumn('blocker_count');
  });
  await knex.schema.alterTable('entities', table => {
    table.dropIndex(['title'], 'entities_title_idx');
    table.dropIndex(['tier'], 'entities_tier_idx');
    table.dropIndex(['current_verdict'], 'entities_current_verdict_idx');
    table.dropIndex(['current_state'], 'entities_current_state_idx');
    table.dropColumn('current_decided_at');
    table.dropColumn('current_decision');
    table.dropColumn('current_planned_at');
  });
};
