// @ts-check

/*
 * Who received which sign-off request, and which wait for a digest.
 *
 * One row per person and request: `sent` when it went out (alone, or in a
 * digest: `notification_id` names the notification, shared by everyone who
 * got the same one), `held` while it waits for the person's next digest,
 * `dropped` when the request was no longer due by the time the digest went
 * out. A person's notifications in a period are the distinct
 * `notification_id`s of their `sent` rows in it.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('notification_deliveries', table => {
    table.comment(
      'Sign-off requests per person: sent (alone or in a digest), held for a digest, or dropped',
    );
    table.bigIncrements('id').primary();
    table.string('recipient', 255).notNullable().comment('A user entity ref');
    table.string('topic', 255).notNullable();
    table.string('gate_id', 255).notNullable();
    table.string('role', 255).notNullable();
    table.string('status', 16).notNullable().comment('sent, held or dropped');
    table
      .string('notification_id', 255)
      .nullable()
      .comment('The notification that carried it, once sent');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('sent_at', { useTz: true }).nullable();
    table.index(
      ['recipient', 'topic', 'status', 'sent_at'],
      'notification_deliveries_recipient_idx',
    );
    table.index(['status', 'topic'], 'notification_deliveries_status_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('notification_deliveries');
};
