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

main().catch(e => {
  process.stderr.write(
    `${JSON.stringify({
      level: 'error',
      msg: 'Gateway failed to start',
      error: String(e?.message ?? e),
    })}\n`,
  );
  process.exit(1);
});
