import { AccessLog } from './accessLog';
import { configFromEnv } from './config';
import { startGateway } from './gateway';

/** Entry point of the gateway image: configuration from the environment, graceful stop on SIGTERM/SIGINT. */
async function main() {
  const gateway = await startGateway(configFromEnv());
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    gateway.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch(async e => {
  // On stderr, as before pino: the failure is the last thing the process says.
  const log = new AccessLog(text => process.stderr.write(text));
  log.event('error', 'Gateway failed to start', {
    error: String(e?.message ?? e),
  });
  await log.flush();
  process.exit(1);
});
