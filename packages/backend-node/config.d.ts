export interface Config {
  /**
   * Backstage's Kubernetes plugin config, of which the Flagstage backends
   * (the deployment worker, the observability log views) read the clusters
   * declared with `type: config`: a process names one entry (e.g.
   * `deploymentWorker.kubernetes.cluster`) and connects with it. Declared
   * here too because the worker image runs without the Kubernetes plugin.
   */
  kubernetes?: {
    clusterLocatorMethods?: Array<{
      /** @visibility frontend */
      type: string;
      clusters?: Array<{
        /**
         * The name Flagstage's config refers to.
         * @visibility frontend
         */
        name: string;
        /**
         * API server URL, e.g. https://kubernetes.default.svc
         * @visibility frontend
         */
        url: string;
        /**
         * Flagstage's backends need `serviceAccount` (the default).
         * @visibility frontend
         */
        authProvider?: string;
        /**
         * Bearer token of the service account. Unset: the pod's mounted
         * service account token.
         * @visibility secret
         */
        serviceAccountToken?: string;
        /**
         * Base64 PEM of the cluster CA.
         * @visibility secret
         */
        caData?: string;
        /**
         * A file holding the cluster CA (PEM).
         * @visibility secret
         */
        caFile?: string;
        /**
         * Skip TLS verification (tests and local clusters only). Default: false
         * @visibility frontend
         */
        skipTLSVerify?: boolean;
      }>;
    }>;
  };
}
