export interface Config {
  /** The deployment worker (consumer of deploy and stop jobs). */
  deploymentWorker?: {
    /**
     * Whether this process consumes deploy and stop jobs. The portal backend
     * of a cluster installation sets false (the worker Deployment consumes);
     * the embedded default runs the worker in the backend. Default: true
     */
    enabled?: boolean;
    /** Deploys in flight at once (the prefetch). Default: 4 */
    concurrency?: number;
    /**
     * Runtime driver: `local` (child processes; the embedded default) or
     * `kubernetes` (Argo Workflows on a cluster; production). Default: local
     */
    driver?: 'local' | 'kubernetes';
    /** Seconds a local instance has to open its port. Default: 30 */
    startTimeoutSeconds?: number;
    /** The Kubernetes driver, pod listener and reconciler (driver: kubernetes). */
    kubernetes?: {
      /**
       * The cluster, by its `name` in Backstage's `kubernetes` block
       * (`kubernetes.clusterLocatorMethods[]` of `type: config`,
       * `clusters[]`), where its URL, service account token and CA are
       * declared once for every process. Unset: the worker's in-cluster
       * service account (the default in production).
       */
      cluster?: string;
      /** Namespace of the Argo Workflows and the flag Secrets. Default: argo */
      argoNamespace?: string;
      /** Start workflows in flight at once per worker: the concurrency budget. Default: 30 */
      maxRunningWorkflows?: number;
      /** Registry the build-challenge workflow pushes to (image `<registry>/<challenge>:latest`). */
      registry?: string;
      /** Serial lanes for pod events (one instance's events share a lane). Default: 8 */
      listenerShards?: number;
      /** How often the reconciler runs (global scope: one worker at a time). Default: 30 */
      reconcileIntervalSeconds?: number;
      /** A DEPLOYING instance older than this is failed and cleaned up. Default: 180 */
      deployDeadlineSeconds?: number;
      /** The reconciler leaves namespaces and rows younger than this alone. Default: 30 */
      reconcileGraceSeconds?: number;
    };
  };
}
