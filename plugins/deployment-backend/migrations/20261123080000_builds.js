/*
 * Flagstage deployment, version 3: challenge image builds.
 *
 * One row per build of a challenge package (the build-challenge workflow).
 * `active_key` holds the challenge ref while the build is QUEUED or RUNNING
 * and NULL after, under a unique index: at most one build per challenge at a
 * time, decided by the database. `token_hash` is the SHA-256 of the
 * per-build callback token, minted when the worker claims the build and
 * cleared when the callback arrives (single use); the token itself is never
 * stored.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('builds', t => {
    t.string('id', 36).primary();
    t.string('challenge_ref', 300).notNullable();
    t.string('status', 16).notNullable(); // QUEUED | RUNNING | SUCCEEDED | FAILED
    t.string('active_key', 300).nullable().unique();
    t.string('image', 500).nullable();
    t.string('workflow', 253).nullable();
    t.string('message', 1000).nullable();
    t.string('token_hash', 64).nullable();
    t.string('requested_by', 300).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.timestamp('finished_at', { useTz: true }).nullable();
    t.index(['challenge_ref', 'created_at']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('builds');
};
