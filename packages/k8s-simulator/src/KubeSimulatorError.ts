/**
 * An API error as the simulator answers it: `code` is the HTTP status and
 * `reason` the Kubernetes Status reason (`NotFound`, `AlreadyExists`, …).
 * The direct-access methods (`create`, `patch`) throw it too.
 */
export class KubeSimulatorError extends Error {
  constructor(readonly code: number, readonly reason: string, message: string) {
    super(message);
    this.name = 'KubeSimulatorError';
  }
}

/** The `404 NotFound` every lookup of a missing object answers. */
export const notFound = (kind: string, name: string) =>
  new KubeSimulatorError(404, 'NotFound', `${kind} "${name}" not found`);
