// @ts-check

/*
 * What the outcome loop (issue 18, `GET /insights/items`) aggregates, kept on
 * the rows it groups so that the aggregate is one pass over them:
 * - `gates.released_at`: when the gate went to released (its incidents are
 *   counted within a window after it), set by the transition from now on and
 *   filled here from the audit trail's `gate.released` events;
 * - `gate_items.ever_failed`: whether the item was failed at some point of
 *   the gate, set by an item update to failed from now on and filled here
 *   from the trail's `item.update` events.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('gates', table => {
    table
      .timestamp('released_at', { useTz: true })
      .nullable()
      .comment('When the gate went to released (the outcome loop)');
    table.index(['released_at'], 'gates_released_at_idx');
  });
  await knex.schema.alterTable('gate_items', table => {
    table
      .boolean('ever_failed')
      .notNullable()
      .defaultTo(false)
      .comment('The item was failed at some point of the gate');
  });
  await knex('gates')
    .whereIn('state', ['released', 'rolled-back'])
    .update({
      released_at: knex('audit_events as a')
        .max('a.at')
        .where('a.action', 'gate.released')
        .whereRaw('a.gate_id = gates.id'),
    });
  await knex('gate_items')
    .where('status', 'failed')
    .orWhereExists(
      knex('audit_events as a')
        .select(knex.raw('1'))
        .whereRaw('a.gate_id = gate_items.gate_id')
        .where('a.action', 'item.update')
        .where('a.after', 'like', '%"status":"failed"%')
        .whereRaw(`a.after like '%"itemId":"' || gate_items.item_id || '"%'`),
    )
    .update({ ever_failed: true });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('gate_items', table => {
    table.dropColumn('ever_failed');
  });
  await knex.schema.alterTable('gates', table => {
    table.dropIndex(['released_at'], 'gates_released_at_idx');
    table.dropColumn('released_at');
  });
};
