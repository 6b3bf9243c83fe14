// @ts-check

/**
 * Release windows managed through the API (windows from config live in
 * config), exceptions approved for gates, post-release incidents, and the
 * notifications already sent by background work so that no replica sends one
 * twice.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('release_windows', table => {
    table.comment('Release trains and freezes created through the API');
    table
      .string('id', 63)
      .primary()
      .comment('Kebab-case id, unique with config windows');
    table
      .text('definition')
      .notNullable()
      .comment('JSON ReleaseWindow without source');
    table.string('created_by', 255).notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
  });

  await knex.schema.createTable('window_exceptions', table => {
    table.comment('Approvals of exceptions to release windows for a gate');
    table.string('id', 36).primary();
    table
      .string('gate_id', 36)
      .notNullable()
      .references('id')
      .inTable('gates')
      .onDelete('CASCADE');
    table.string('window_id', 63).notNullable();
    table.text('reason').notNullable();
    table.string('approved_by', 255).notNullable();
    table
      .text('covers')
      .notNullable()
      .comment('JSON array of approver refs this approval covers');
    table.timestamp('approved_at', { useTz: true }).notNullable();
    table.index(['gate_id'], 'window_exceptions_gate_idx');
  });

  await knex.schema.createTable('incidents', table => {
    table.comment('Post-release incidents linked to an entity and release');
    table.string('id', 36).primary();
    table.string('entity_ref', 255).notNullable();
    table.string('release', 255).notNullable();
    table.string('severity', 7).notNullable().comment('sev1 to sev4');
    table.text('title').notNullable();
    table.text('link').nullable();
    table.timestamp('occurred_at', { useTz: true }).notNullable();
    table.string('reported_by', 255).notNullable();
    table.timestamp('reported_at', { useTz: true }).notNullable();
    table.index(['entity_ref', 'release'], 'incidents_entity_release_idx');
  });

  await knex.schema.createTable('notifications_sent', table => {
    table.comment('Reminders already sent by background work, one row each');
    table.string('key', 255).primary().comment('What the reminder was about');
    table.timestamp('sent_at', { useTz: true }).notNullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('notifications_sent');
  await knex.schema.dropTable('incidents');
  await knex.schema.dropTable('window_exceptions');
  await knex.schema.dropTable('release_windows');
};
