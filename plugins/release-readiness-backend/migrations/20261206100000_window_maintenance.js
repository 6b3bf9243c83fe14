// @ts-check

/**
 * Release windows as a maintained object (issue 16): API windows carry a
 * version moved on by every edit and by retiring, never deleted, with one
 * history row per version (who, why); approvals of exceptions remember the
 * window version they were given for and the request they answered; gate
 * owners' exception requests.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('release_windows', table => {
    table
      .integer('version')
      .notNullable()
      .defaultTo(1)
      .comment(
        'Moved on by every edit and by retiring (optimistic concurrency)',
      );
    table.string('updated_by', 255).nullable();
    table.timestamp('updated_at', { useTz: true }).nullable();
    table
      .timestamp('retired_at', { useTz: true })
      .nullable()
      .comment('Set when retired: applies to no gate, kept for the records');
    table.string('retired_by', 255).nullable();
    table.text('retire_reason').nullable();
  });

  await knex.schema.createTable('release_window_versions', table => {
    table.comment('Every version of an API window: what, who, why, when');
    table.string('window_id', 63).notNullable();
    table.integer('version').notNullable();
    table.string('action', 16).notNullable().comment('create, edit or retire');
    table
      .text('definition')
      .notNullable()
      .comment('JSON ReleaseWindow without source, from this version on');
    table.text('reason').nullable();
    table.string('actor', 255).notNullable();
    table.timestamp('at', { useTz: true }).notNullable();
    table.primary(['window_id', 'version']);
  });

  // The windows created before: their first version.
  const existing = await knex('release_windows').select(
    'id',
    'definition',
    'created_by',
    'created_at',
  );
  for (const row of existing) {
    await knex('release_window_versions').insert({
      window_id: row.id,
      version: 1,
      action: 'create',
      definition: row.definition,
      actor: row.created_by,
      at: row.created_at,
    });
  }

  await knex.schema.alterTable('window_exceptions', table => {
    table
      .integer('window_version')
      .nullable()
      .comment('Version of the API window approved; counts only while current');
    table
      .string('request_id', 36)
      .nullable()
      .comment('The exception request this approval answered');
  });

  await knex.schema.createTable('window_exception_requests', table => {
    table.comment('Requests by gate owners for an exception to a window');
    table.string('id', 36).primary();
    table
      .string('gate_id', 36)
      .notNullable()
      .references('id')
      .inTable('gates')
      .onDelete('CASCADE');
    table.string('window_id', 63).notNullable();
    table.integer('window_version').nullable();
    table.text('reason').notNullable();
    table.string('requested_by', 255).notNullable();
    table.timestamp('requested_at', { useTz: true }).notNullable();
    table
      .string('state', 16)
      .notNullable()
      .comment('open, approved, rejected or lapsed');
    table.string('decided_by', 255).nullable();
    table.text('decision_reason').nullable();
    table.timestamp('decided_at', { useTz: true }).nullable();
    table.index(['gate_id'], 'window_exception_requests_gate_idx');
    table.index(['window_id', 'state'], 'window_exception_requests_window_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('window_exception_requests');
  await knex.schema.alterTable('window_exceptions', table => {
    table.dropColumn('request_id');
    table.dropColumn('window_version');
  });
  await knex.schema.dropTable('release_window_versions');
  await knex.schema.alterTable('release_windows', table => {
    table.dropColumn('retire_reason');
    table.dropColumn('retired_by');
    table.dropColumn('retired_at');
    table.dropColumn('updated_at');
    table.dropColumn('updated_by');
    table.dropColumn('version');
  });
};
