import { isCI } from '@flagstage/test-utils';
import { controlPlaneUnavailableReason } from './tools';

/**
 * `describe` when the control plane can run here (its tools are built, or Go
 * is there to build them). Otherwise: under CI=true it throws (a missing
 * toolchain fails the run); elsewhere it says why and skips the suite.
 */
export function describeWithControlPlane(): jest.Describe {
  const reason = controlPlaneUnavailableReason();
  if (!reason) return describe;
  if (isCI) {
    throw new Error(
      `the real Kubernetes control plane cannot run: ${reason}; CI=true requires it (install Go 1.26 in /usr/local/go, then scripts/tools/control-plane.sh)`,
    );
  }
  // eslint-disable-next-line no-console
  console.warn(
    `SKIPPING suite: the real Kubernetes control plane cannot run: ${reason}. Install Go (/usr/local/go) and run scripts/tools/control-plane.sh.`,
  );
  return describe.skip;
}
