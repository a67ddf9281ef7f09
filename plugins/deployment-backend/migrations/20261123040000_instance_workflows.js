/*
 * Flagstage instances, version 2: the Argo workflow behind an instance.
 *
 * The Kubernetes driver's listener reports the start workflow's phase and
 * node statuses here so the portal's instance detail can show them without
 * the portal needing Kubernetes credentials. One row per instance, replaced
 * on every report; `observed_at` orders reports (a late, older report is
 * ignored). Gone with the instance (cascade).
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('instance_workflows', t => {
    t.string('instance_id', 36)
      .primary()
      .references('id')
      .inTable('instances')
      .onDelete('CASCADE');
    t.string('name', 253).notNullable(); // the Workflow's metadata.name
    t.string('phase', 32).notNullable(); // Pending | Running | Succeeded | Failed | Error
    t.string('message', 1000).nullable();
    t.text('nodes').notNullable(); // JSON array of {name, displayName, type, phase, message, startedAt, finishedAt}
    t.timestamp('observed_at', { useTz: true }).notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('instance_workflows');
};
