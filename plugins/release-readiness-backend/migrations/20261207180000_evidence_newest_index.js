// @ts-check

/**
 * A release's facts in the order a reader wants them, newest observed
 * first: the pages of `GET /gates/{gateId}/evidence` and the streamed
 * dossier walk this index instead of sorting every fact of the release,
 * and the evaluation's newest fact of each type (issue 20) reads it too.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('evidence', table => {
    table.index(
      ['entity_ref', 'release', 'observed_at', 'received_at', 'id'],
      'evidence_newest_idx',
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('evidence', table => {
    table.dropIndex([], 'evidence_newest_idx');
  });
};
