/*
 * Flagstage contest schema, version 1.
 *
 * Concurrency is carried by constraints, not by application locks:
 * - one solve per (team, challenge): unique index on solves;
 * - one unlock per (team, challenge, hint): unique index on hint_unlocks;
 * - team size: teams.member_count is raised with a guarded UPDATE (compare-and-set);
 * - submission rate limits: an atomic upsert on a fixed-window counter.
 * Secrets: contests.flag_secret never leaves the backend; passwords, session
 * tokens and submitted flags are stored as hashes only.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('contests', t => {
    t.string('id', 36).primary();
    t.string('slug', 64).notNullable().unique();
    t.string('name', 200).notNullable();
    t.timestamp('starts_at', { useTz: true }).notNullable();
    t.timestamp('ends_at', { useTz: true }).notNullable();
    t.timestamp('freeze_at', { useTz: true }).nullable();
    t.text('divisions').notNullable().defaultTo('[]'); // JSON array of names
    t.integer('team_size_limit').notNullable().defaultTo(4);
    t.string('registration', 16).notNullable().defaultTo('open'); // open | closed | invite
    t.string('registration_code_hash', 128).nullable(); // invite-only contests
    t.text('scoring_defaults').notNullable().defaultTo('{}');
    t.integer('submission_rate_per_minute').notNullable().defaultTo(10);
    t.integer('max_attempts').nullable();
    t.string('flag_secret', 128).notNullable(); // HMAC key for dynamic flags; never returned
    t.timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('contest_challenges', t => {
    t.string('id', 36).primary();
    t.string('contest_id', 36)
      .notNullable()
      .references('id')
      .inTable('contests')
      .onDelete('CASCADE');
    t.string('entity_ref', 300).notNullable();
    t.string('name', 100).notNullable();
    t.string('title', 200).notNullable();
    t.text('description').notNullable().defaultTo('');
    t.string('category', 32).notNullable();
    t.string('difficulty', 16).notNullable();
    t.string('type', 16).notNullable(); // static | instanced
    t.text('scoring').notNullable(); // JSON ChallengeScoring
    t.text('flags').notNullable(); // JSON ChallengeFlag[] (digests, patterns, prefixes)
    t.text('hints').notNullable().defaultTo('[]');
    t.text('requires').notNullable().defaultTo('[]'); // entity refs
    t.text('attachments').notNullable().defaultTo('[]');
    t.text('runtime').nullable();
    t.boolean('hidden').notNullable().defaultTo(true);
    t.timestamp('release_at', { useTz: true }).nullable();
    t.timestamp('synced_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    t.unique(['contest_id', 'entity_ref']);
  });

  await knex.schema.createTable('teams', t => {
    t.string('id', 36).primary();
    t.string('contest_id', 36)
      .notNullable()
      .references('id')
      .inTable('contests')
      .onDelete('CASCADE');
    t.string('name', 64).notNullable();
    t.string('name_key', 64).notNullable(); // lower-cased name, for uniqueness
    t.string('division', 64).nullable();
    t.string('invite_code', 64).notNullable(); // shown to members only
    t.integer('member_count').notNullable().defaultTo(0);
    t.boolean('banned').notNullable().defaultTo(false);
    t.string('ban_reason', 500).nullable();
    t.timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    t.unique(['contest_id', 'name_key']);
    t.unique(['invite_code']);
  });

  await knex.schema.createTable('contestants', t => {
    t.string('id', 36).primary();
    t.string('contest_id', 36)
      .notNullable()
      .references('id')
      .inTable('contests')
      .onDelete('CASCADE');
    t.string('username', 32).notNullable();
    t.string('username_key', 32).notNullable();
    t.string('password_hash', 200).notNullable(); // scrypt$N$r$p$salt$hash
    t.string('team_id', 36)
      .nullable()
      .references('id')
      .inTable('teams')
      .onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    t.unique(['contest_id', 'username_key']);
    t.index(['team_id']);
  });

  await knex.schema.createTable('contestant_sessions', t => {
    t.string('token_hash', 64).primary(); // sha256 of the cookie value
    t.string('contestant_id', 36)
      .notNullable()
      .references('id')
      .inTable('contestants')
      .onDelete('CASCADE');
    t.timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('revoked_at', { useTz: true }).nullable();
    t.index(['contestant_id']);
  });

  await knex.schema.createTable('submissions', t => {
    t.bigIncrements('id');
    t.string('contest_id', 36)
      .notNullable()
      .references('id')
      .inTable('contests')
      .onDelete('CASCADE');
    t.string('challenge_id', 36)
      .notNullable()
      .references('id')
      .inTable('contest_challenges')
      .onDelete('CASCADE');
    t.string('team_id', 36)
      .notNullable()
      .references('id')
      .inTable('teams')
      .onDelete('CASCADE');
    t.string('contestant_id', 36).notNullable();
    t.string('submission_hash', 64).notNullable(); // sha256 of what was submitted; the text is never stored
    t.string('outcome', 16).notNullable(); // correct | incorrect | already_solved
    t.timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    t.index(['contest_id', 'created_at']);
    t.index(['team_id', 'challenge_id']);
  });

  await knex.schema.createTable('solves', t => {
    t.bigIncrements('id');
    t.string('contest_id', 36)
      .notNullable()
      .references('id')
      .inTable('contests')
      .onDelete('CASCADE');
    t.string('challenge_id', 36)
      .notNullable()
      .references('id')
      .inTable('contest_challenges')
      .onDelete('CASCADE');
    t.string('team_id', 36)
      .notNullable()
      .references('id')
      .inTable('teams')
      .onDelete('CASCADE');
    t.string('contestant_id', 36).notNullable();
    t.timestamp('solved_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    t.unique(['team_id', 'challenge_id']);
    t.index(['contest_id', 'solved_at']);
  });

  await knex.schema.createTable('submission_windows', t => {
    t.string('team_id', 36).notNullable();
    t.string('challenge_id', 36).notNullable();
    t.bigInteger('window_start').notNullable(); // unix minute
    t.integer('count').notNullable().defaultTo(0);
    t.primary(['team_id', 'challenge_id', 'window_start']);
  });

  await knex.schema.createTable('hint_unlocks', t => {
    t.string('team_id', 36)
      .notNullable()
      .references('id')
      .inTable('teams')
      .onDelete('CASCADE');
    t.string('challenge_id', 36)
      .notNullable()
      .references('id')
      .inTable('contest_challenges')
      .onDelete('CASCADE');
    t.integer('hint_index').notNullable();
    t.integer('cost').notNullable();
    t.timestamp('unlocked_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    t.primary(['team_id', 'challenge_id', 'hint_index']);
  });

  await knex.schema.createTable('announcements', t => {
    t.bigIncrements('id');
    t.string('contest_id', 36)
      .notNullable()
      .references('id')
      .inTable('contests')
      .onDelete('CASCADE');
    t.string('title', 200).notNullable();
    t.text('body').notNullable();
    t.timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('flag_incidents', t => {
    t.bigIncrements('id');
    t.string('contest_id', 36)
      .notNullable()
      .references('id')
      .inTable('contests')
      .onDelete('CASCADE');
    t.string('challenge_id', 36)
      .notNullable()
      .references('id')
      .inTable('contest_challenges')
      .onDelete('CASCADE');
    t.string('submitting_team_id', 36).notNullable();
    t.string('owner_team_id', 36).notNullable();
    t.string('contestant_id', 36).notNullable();
    t.timestamp('created_at', { useTz: true })
      .notNullable()
      .defaultTo(knex.fn.now());
    t.index(['contest_id', 'created_at']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  for (const table of [
    'flag_incidents',
    'announcements',
    'hint_unlocks',
    'submission_windows',
    'solves',
    'submissions',
    'contestant_sessions',
    'contestants',
    'teams',
    'contest_challenges',
    'contests',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
};
