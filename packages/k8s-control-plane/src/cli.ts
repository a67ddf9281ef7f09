/* eslint-disable no-console */
import { ControlPlane } from './ControlPlane';

/**
 * By hand: `yarn workspace @flagstage/k8s-control-plane start` builds the
 * tools if missing, starts the control plane and prints how to reach it;
 * Ctrl-C stops it.
 */
async function main() {
  const plane = await ControlPlane.start({ keepRunDir: true });
  console.log(`export KUBECONFIG=${plane.adminKubeconfig}`);
  console.log(
    `static-token users: ${Object.keys(plane.userTokens).join(
      ', ',
    )} (tokens in ${plane.runDir}/tokens.csv)`,
  );
  const stop = async () => {
    console.log('stopping the control plane');
    await plane.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
