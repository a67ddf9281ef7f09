/*
 * Flagstage gateway-admin schema, version 1. The database is the source of
 * truth; Redis holds a copy the gateways read (republished on every change
 * and by a periodic resync).
 *
 * gateway_limits is versioned: every save inserts a row with the next
 * version, who saved it and when; the highest version is in force (no rows:
 * the contract defaults). The unique version makes two concurrent saves from
 * the same base conflict instead of silently overwriting each other, and the
 * rows double as the audit history.
 *
 * gateway_revocations holds one row per (scope, value) — the unique
 * constraint is what answers "already revoked" under concurrency.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('gateway_limits', t => {
    t.comment('Versioned gateway limits; the highest version is in force');
    t.integer('version').notNullable().primary(); // 1, 2, 3, …
    t.text('limits').notNullable(); // JSON GatewayLimits, every field filled
    t.string('created_by', 300).notNullable(); // user entity ref
    t.timestamp('created_at', { useTz: true }).notNullable();
  });

  await knex.schema.createTable('gateway_revocations', t => {
    t.comment('Revoked gateway access by instance, team or token id');
    t.increments('id');
    t.string('scope', 16).notNullable(); // instance | team | token
    t.string('value', 128).notNullable(); // instance id, team id or gatewayTokenId
    t.string('reason', 500).nullable();
    t.string('created_by', 300).notNullable(); // user entity ref
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.unique(['scope', 'value'], {
      indexName: 'gateway_revocations_scope_value_uq',
    });
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('gateway_revocations');
  await knex.schema.dropTable('gateway_limits');
};
