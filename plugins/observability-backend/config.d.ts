export interface Config {
  /** Observability: where the portal's log views read from and link to. */
  observability?: {
    /**
     * The internal listener: `/metrics` (Prometheus) and `/health` (each
     * dependency's state), plus `/healthz` and `/readyz` again. The public
     * port serves only `/healthz` and `/readyz` (probes). Route no Ingress to
     * this port; in Kubernetes let only the monitoring namespace reach it.
     */
    internal?: {
      /** Default: 7009 (the backend; the worker image uses 7010) */
      port?: number;
      /** Default: 0.0.0.0 (Prometheus scrapes the pod address) */
      host?: string;
    };
    /**
     * Grafana base URL; when set, log and instance views link into Grafana's Explore.
     * @visibility frontend
     */
    grafanaUrl?: string;
    /**
     * The Loki data source in Grafana (uid or name) that "Open in Grafana"
     * links use. Default: loki
     * @visibility frontend
     */
    grafanaLokiDatasource?: string;
    /** Loki, for log queries by team, challenge, namespace or instance. Unset: the Loki view is off. */
    loki?: {
      /** Loki's base URL, e.g. http://loki-gateway.monitoring:80 */
      baseUrl: string;
      /** X-Scope-OrgID for a multi-tenant Loki. */
      tenant?: string;
      /**
       * Bearer token for Loki, if it needs one.
       * @visibility secret
       */
      token?: string;
      /** Most lines one search may ask for (1–1000, default 1000); a search asks for 200 unless it says otherwise. */
      limit?: number;
    };
    /**
     * The Kubernetes API the log views read workflow and challenge pod logs
     * from. Unset: the worker's cluster when it uses the Kubernetes driver,
     * otherwise those views answer 404.
     */
    kubernetes?: {
      /**
       * The cluster, by its `name` in Backstage's `kubernetes` block
       * (`kubernetes.clusterLocatorMethods[]` of `type: config`), whose
       * service account may list pods and read `pods/log` in `argo` and the
       * `fs-*` namespaces. Default: the worker's
       * (`deploymentWorker.kubernetes.cluster`), else the in-cluster service
       * account.
       */
      cluster?: string;
      /** Namespace of the Argo Workflows. Default: the worker's `argoNamespace`, else argo */
      argoNamespace?: string;
    };
    /**
     * OpenTelemetry export of spans (HTTP requests, deployment jobs) over
     * OTLP/HTTP. Unset: OTEL_EXPORTER_OTLP_ENDPOINT, else no export.
     */
    otlp?: {
      /** Collector base URL, e.g. http://otel-collector.monitoring:4318 */
      endpoint?: string;
    };
  };
}
