export interface Config {
  /** The Challenge Gateway as the portal backend sees it. */
  gateway?: {
    /**
     * Development: run the gateway inside the portal backend (loopback only),
     * with the signing keys of `deployment.gateway.keys` and gateway-admin's
     * Redis (`gatewayAdmin.redis`). Production runs the gateway image,
     * configured by `GATEWAY_*` environment variables.
     */
    embedded?: {
      /** Start the embedded gateway. Default: false */
      enabled?: boolean;
      /** HTTP, WebSocket and TCP over WebSocket. Default: 8080 */
      httpPort?: number;
      /** Raw TCP (first line: the token). Default: 8081 */
      tcpPort?: number;
      /** /healthz, /readyz, /metrics. Default: 9091 */
      adminPort?: number;
      /** Instances are served at `<instance id>.<domain>`. Default: gateway.localhost */
      domain?: string;
      /**
       * Where tokens may send the embedded gateway; anything else is refused
       * (403 / `ERR target_not_allowed`). Default: loopback ports
       * 32768-65535 only (the local driver's instances), no CIDRs, no hosts.
       */
      allowedTargets?: {
        /** IPv4/IPv6 networks, e.g. `10.42.0.0/16`. */
        cidrs?: string[];
        /** Host patterns: a leading `.` matches a suffix, `*` one label's characters (`.fs-*.svc.cluster.local`). */
        hosts?: string[];
        /** Loopback ports or ranges (`32768-65535`). */
        loopbackPorts?: string[];
      };
    };
  };
}
