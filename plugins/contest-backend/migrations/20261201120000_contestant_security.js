/*
 * Flagstage contest schema, version 2: holding against contestants.
 *
 * - throttle_windows: counters over a window starting at a key's first hit,
 *   raised with one atomic upsert (INSERT … ON CONFLICT DO UPDATE …
 *   RETURNING) before any password check (login) or hash (registration);
 *   keys are SHA-256 hex of the scope.
 * - contestants.username_skeleton, teams.name_skeleton: the Unicode TR39
 *   confusable skeleton of the name, unique per contest, so "paypal" and
 *   "pаypal" (Cyrillic а) cannot both exist. Existing rows get theirs here; a
 *   row whose skeleton an older row already holds keeps its name and gets the
 *   skeleton suffixed with its id (unique, so nothing new can collide with it).
 * - contestants.teams_created: teams a contestant created (capped with a
 *   guarded UPDATE); contestants.banned: a team ban carried to its members.
 */
const unhomoglyph = require('unhomoglyph');

/** The same skeleton as src/services/names.ts (a migration must not import TypeScript). */
function skeleton(name) {
  const once = s => unhomoglyph(s.normalize('NFD')).normalize('NFD');
  return once(once(name.normalize('NFKC')).toLocaleLowerCase('en-US'));
}

/** Fills `column` from `source` for every row of `table`, oldest first. */
async function fillSkeletons(knex, table, source, column) {
  const rows = await knex(table)
    .select('id', 'contest_id', source)
    .orderBy([{ column: 'created_at' }, { column: 'id' }]);
  const seen = new Set();
  for (const row of rows) {
    let value = skeleton(row[source]);
    if (seen.has(`${row.contest_id}|${value}`)) value = `${value}#${row.id}`;
    seen.add(`${row.contest_id}|${value}`);
    await knex(table)
      .where({ id: row.id })
      .update({ [column]: value });
  }
}

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('throttle_windows', t => {
    t.string('key', 64).primary();
    t.bigInteger('window_start').notNullable(); // unix ms of the window's first hit
    t.integer('count').notNullable().defaultTo(0);
    t.index(['window_start']);
  });

  await knex.schema.alterTable('contestants', t => {
    t.string('username_skeleton', 512).nullable();
    t.integer('teams_created').notNullable().defaultTo(0);
    t.boolean('banned').notNullable().defaultTo(false);
  });
  await knex.schema.alterTable('teams', t => {
    t.string('name_skeleton', 512).nullable();
  });
  await fillSkeletons(knex, 'contestants', 'username', 'username_skeleton');
  await fillSkeletons(knex, 'teams', 'name', 'name_skeleton');
  // Teams already created count towards their creators' cap (creator unknown:
  // the current members, at most one each).
  await knex('contestants')
    .whereNotNull('team_id')
    .update({ teams_created: 1 });
  await knex.schema.alterTable('contestants', t => {
    t.unique(['contest_id', 'username_skeleton']);
  });
  await knex.schema.alterTable('teams', t => {
    t.unique(['contest_id', 'name_skeleton']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('teams', t => {
    t.dropUnique(['contest_id', 'name_skeleton']);
  });
  await knex.schema.alterTable('teams', t => {
    t.dropColumn('name_skeleton');
  });
  await knex.schema.alterTable('contestants', t => {
    t.dropUnique(['contest_id', 'username_skeleton']);
  });
  await knex.schema.alterTable('contestants', t => {
    t.dropColumn('username_skeleton');
    t.dropColumn('teams_created');
    t.dropColumn('banned');
  });
  await knex.schema.dropTableIfExists('throttle_windows');
};
