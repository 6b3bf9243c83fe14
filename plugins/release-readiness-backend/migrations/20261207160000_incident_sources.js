// @ts-check

/**
 * Incidents received from incident tools (PagerDuty, Opsgenie webhooks)
 * carry the tool and the tool's own id of the incident, so that a repeated
 * or updated report changes the stored incident instead of adding one.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('incidents', table => {
    table
      .string('source', 64)
      .nullable()
      .comment(
        'The incident source that reported it (for example pagerduty); null when posted to the API',
      );
    table
      .string('source_title', 255)
      .nullable()
      .comment(
        'The name of the incident source for people, for example PagerDuty',
      );
    table
      .string('external_id', 255)
      .nullable()
      .comment('The id of the incident in its source');
    table.unique(['source', 'external_id', 'entity_ref'], {
      indexName: 'incidents_source_external_idx',
    });
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('incidents', table => {
    table.dropUnique(
      ['source', 'external_id', 'entity_ref'],
      'incidents_source_external_idx',
    );
    table.dropColumn('external_id');
    table.dropColumn('source_title');
    table.dropColumn('source');
  });
};
