// @ts-check

/**
 * Indexes for the portfolio's facets and team totals at 100,000 entities.
 *
 * A facet counts one column over the entities the other filters keep. When a
 * state or verdict filter keeps a third of the catalog, counting owners,
 * systems or tiers from the rows themselves reads tens of thousands of rows;
 * with an index on (filter, counted column) the count is read from the index
 * alone. The team totals of the page are read the same way from
 * (owner, verdict, current gate).
 */

/** [columns, index name] */
const INDEXES = [
  [['current_state', 'owner_ref'], 'entities_state_owner_idx'],
  [['current_state', 'system_ref'], 'entities_state_system_idx'],
  [['current_state', 'tier'], 'entities_state_tier_idx'],
  [['current_state', 'current_verdict'], 'entities_state_verdict_idx'],
  [['current_verdict', 'owner_ref'], 'entities_verdict_owner_idx'],
  [['current_verdict', 'system_ref'], 'entities_verdict_system_idx'],
  [['current_verdict', 'tier'], 'entities_verdict_tier_idx'],
  [['current_verdict', 'current_state'], 'entities_verdict_state_idx'],
  [
    ['owner_ref', 'current_verdict', 'current_gate_id'],
    'entities_owner_verdict_gate_idx',
  ],
];

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('entities', table => {
    for (const [columns, name] of INDEXES) {
      table.index(
        /** @type {string[]} */ (columns),
        /** @type {string} */ (name),
      );
    }
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('entities', table => {
    for (const [columns, name] of INDEXES) {
      table.dropIndex(
        /** @type {string[]} */ (columns),
        /** @type {string} */ (name),
      );
    }
  });
};
