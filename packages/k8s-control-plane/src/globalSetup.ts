import { ControlPlane, type ControlPlaneOptions } from './ControlPlane';

/** The env var jest's global setup passes to the test files. */
export const CONTROL_PLANE_ENV = 'FLAGSTAGE_CONTROL_PLANE';

/** What a test file gets: where the API server is and how to get in. */
export type ControlPlaneConnection = {
  server: string;
  kubeconfig: string;
  caCert: string;
  adminToken: string;
  userTokens: Record<string, string>;
};

let plane: ControlPlane | undefined;

/**
 * For jest `globalSetup`: starts one control plane for the run and passes
 * its connection to the test files as JSON in FLAGSTAGE_CONTROL_PLANE (the
 * kubeconfig path among it). Pair with `controlPlaneGlobalTeardown`.
 */
export async function controlPlaneGlobalSetup(options?: ControlPlaneOptions) {
  plane = await ControlPlane.start(options);
  const connection: ControlPlaneConnection = {
    server: plane.server,
    kubeconfig: plane.adminKubeconfig,
    caCert: plane.certs.caCert,
    adminToken: plane.adminToken,
    userTokens: plane.userTokens,
  };
  process.env[CONTROL_PLANE_ENV] = JSON.stringify(connection);
  process.env.KUBECONFIG = plane.adminKubeconfig;
}

export async function controlPlaneGlobalTeardown() {
  await plane?.stop();
  plane = undefined;
}

/** In a test file: the connection global setup passed, if any. */
export function controlPlaneConnection(): ControlPlaneConnection | undefined {
  const json = process.env[CONTROL_PLANE_ENV];
  return json ? JSON.parse(json) : undefined;
}
