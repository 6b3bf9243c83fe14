// @ts-check

/**
 * The first table of the plugin: explicit gate-owner assignments. By default an
 * entity's gate owners are its catalog owner group and that group's members;
 * rows here add users or groups on top of that.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('gate_owner_assignments', table => {
    table.comment(
      'Users and groups explicitly assigned as gate owners of an entity',
    );
    table
      .string('entity_ref', 255)
      .notNullable()
      .comment(
        'Lower-case ref of the catalog entity, e.g. component:default/payment-gateway',
      );
    table
      .string('owner_ref', 255)
      .notNullable()
      .comment('Lower-case ref of the assigned user or group');
    table
      .string('assigned_by', 255)
      .notNullable()
      .comment('User entity ref of whoever made the assignment');
    table
      .timestamp('assigned_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now())
      .comment('When the assignment was made');
    table.primary(['entity_ref', 'owner_ref'], 'gate_owner_assignments_pkey');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('gate_owner_assignments');
};
