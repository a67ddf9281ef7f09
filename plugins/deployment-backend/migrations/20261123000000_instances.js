/*
 * Flagstage instances, version 1.
 *
 * The instance row is the source of truth. Races are settled by the database:
 * - one active instance per (contest, team, challenge): `active_key` is set
 *   while the instance is active and NULL once it ends, under a unique index
 *   (NULLs never collide);
 * - the per-team cap: `team_instance_counts.active` is raised with a guarded
 *   UPDATE (compare-and-set) in the same transaction as the insert;
 * - every state change is `UPDATE … WHERE state = <expected>`, recorded in
 *   `instance_transitions`.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('instances', t => {
    t.string('id', 36).primary();
    t.string('contest_id', 36).notNullable();
    t.string('team_id', 36).notNullable();
    t.string('challenge_ref', 300).notNullable();
    t.string('challenge_name', 100).notNullable();
    t.string('state', 16).notNullable();
    t.string('failure_reason', 500).nullable();
    t.string('protocol', 8).notNullable(); // http | tcp
    t.string('endpoint', 300).nullable(); // host:port the gateway proxies to, once RUNNING
    t.string('active_key', 500).nullable().unique(); // contest|team|challenge while active
    t.string('requested_by', 300).notNullable(); // contestant id or user ref
    t.integer('extend_count').notNullable().defaultTo(0);
    t.string('traceparent', 64).nullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.index(['contest_id', 'team_id']);
    t.index(['state', 'expires_at']);
  });

  await knex.schema.createTable('instance_transitions', t => {
    t.bigIncrements('id');
    t.string('instance_id', 36)
      .notNullable()
      .references('id')
      .inTable('instances')
      .onDelete('CASCADE');
    t.string('from_state', 16).nullable();
    t.string('to_state', 16).notNullable();
    t.string('reason', 500).nullable();
    t.string('actor', 300).nullable();
    t.timestamp('at', { useTz: true }).notNullable();
    t.index(['instance_id', 'id']);
  });

  await knex.schema.createTable('team_instance_counts', t => {
    t.string('contest_id', 36).notNullable();
    t.string('team_id', 36).notNullable();
    t.integer('active').notNullable().defaultTo(0);
    t.primary(['contest_id', 'team_id']);
  });

  await knex.schema.createTable('instance_output', t => {
    t.bigIncrements('id');
    t.string('instance_id', 36)
      .notNullable()
      .references('id')
      .inTable('instances')
      .onDelete('CASCADE');
    t.string('stream', 8).notNullable(); // stdout | stderr | driver
    t.text('line').notNullable();
    t.timestamp('at', { useTz: true }).notNullable();
    t.index(['instance_id', 'id']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  for (const table of [
    'instance_output',
    'team_instance_counts',
    'instance_transitions',
    'instances',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
};
