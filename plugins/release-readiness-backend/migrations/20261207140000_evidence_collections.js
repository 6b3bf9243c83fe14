// @ts-check

/*
 * Evidence providers (issue 19): the last attempt of each installed provider
 * to collect the facts of an entity's release, so that the Readiness tab can
 * say where an automated item's evidence comes from and show a provider that
 * failed or timed out as a dated "could not collect" (never as a pass). The
 * facts themselves are rows of `evidence` like any posted by a pipeline.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('evidence_collections', table => {
    table.comment(
      'The last attempt of each evidence provider per entity and release',
    );
    table.string('entity_ref', 255).notNullable();
    table.string('release', 255).notNullable();
    table
      .string('provider_id', 63)
      .notNullable()
      .comment('The provider, as the backend module registered it');
    table
      .timestamp('attempted_at', { useTz: true })
      .notNullable()
      .comment('When the attempt ended');
    table
      .string('trigger', 16)
      .notNullable()
      .comment('gate-opened, schedule or refresh (a person, on the tab)');
    table
      .boolean('ok')
      .notNullable()
      .comment(
        'False when the provider failed, timed out or sent evidence that was refused',
      );
    table.text('message').nullable().comment('Why it could not collect');
    table
      .integer('collected')
      .notNullable()
      .comment('Facts recorded by the attempt (new or repeated)');
    table.primary(['entity_ref', 'release', 'provider_id']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('evidence_collections');
};
