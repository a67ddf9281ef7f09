/*
 * A worker process for the fault test: consumes deploy jobs from RabbitMQ
 * and completes each one idempotently (a compare-and-set in PostgreSQL, like
 * the real worker's QUEUED → DEPLOYING), then acks. Prints one line per
 * handled delivery. Killed with SIGKILL by the test mid-burst.
 */
import knexFactory from 'knex';
import { createJobQueue } from '@flagstage/plugin-deployment-node';

async function main() {
  const [amqpUrl, prefix, pgUrl] = process.argv.slice(2);
  const knex = knexFactory({
    client: 'pg',
    connection: pgUrl,
    pool: { min: 0, max: 4 },
  });
  const queue = await createJobQueue({
    amqpUrl,
    prefix,
    deliveryLimit: 10,
    maxLength: 100_000,
  });
  await queue.consume(
    async job => {
      // The "deploy": takes a moment, so a kill lands mid-job.
      await new Promise(r => setTimeout(r, 15));
      // The effect and the state change commit together, once per job.
      const moved = await knex.transaction(async tx => {
        const n = await tx('fault_jobs')
          .where({ job_id: job.jobId, state: 'QUEUED' })
          .update({ state: 'DONE', done_by: process.pid });
        if (n)
          await tx('fault_effects').insert({
            job_id: job.jobId,
            pid: process.pid,
          });
        return n;
      });
      process.stdout.write(`${moved ? 'done' : 'skip'} ${job.jobId}\n`);
    },
    { prefetch: 8 },
  );
  process.stdout.write('ready\n');
}

main().catch(e => {
  process.stderr.write(`${e}\n`);
  process.exit(1);
});
