export interface Config {
  /** The deployment worker (consumer of deploy and stop jobs). */
  deploymentWorker?: {
    /** Deploys in flight at once (the prefetch). Default: 4 */
    concurrency?: number;
    /** Runtime driver: `local` (child processes; embedded default). Default: local */
    driver?: string;
    /** Seconds a local instance has to open its port. Default: 30 */
    startTimeoutSeconds?: number;
  };
}
