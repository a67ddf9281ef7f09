export interface Config {
  /** Observability: where the portal's log views read from and link to. */
  observability?: {
    /**
     * Grafana base URL; when set, log and instance views link into Grafana's Explore.
     * @visibility frontend
     */
    grafanaUrl?: string;
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
      /** Most lines one query returns (default 500, at most 5000). */
      limit?: number;
    };
  };
}
