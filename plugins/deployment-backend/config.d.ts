export interface Config {
  /**
   * Instances. Start-up refuses values that contradict each other (see the
   * plugin README): queue expiry < instance TTL, cache TTL < queue expiry,
   * workflow TTL ≥ the longest instance life + the deploy deadline.
   */
  deployment?: {
    /** Longest an instance runs before it expires (a challenge's runtime.ttlSeconds may shorten it). Default: 3600 */
    instanceTtlSeconds?: number;
    /** Active instances a team may have at once. Default: 3 */
    maxActivePerTeam?: number;
    extend?: {
      /** Extending opens this many minutes before expiry. Default: 10 */
      windowMinutes?: number;
      /** Times an instance may be extended. Default: 2 */
      maxTimes?: number;
      /** Seconds each extension adds. Default: 1800 */
      bySeconds?: number;
    };
    queue?: {
      /** A deploy job not picked up within this time is dead-lettered and its instance fails. Default: 120 */
      expirySeconds?: number;
      /**
       * RabbitMQ URL. Absent: the in-process queue (embedded default, one backend process).
       * @visibility secret
       */
      amqpUrl?: string;
      /** Prefix for exchange and queue names. Default: '' */
      prefix?: string;
      /** Deliveries before a failing job is dead-lettered. Default: 5 */
      deliveryLimit?: number;
      /** Jobs waiting before publishes are refused (503 + Retry-After). Default: 10000 */
      maxLength?: number;
    };
    /** Seconds the status of an instance is cached for polling. Default: 30 */
    cacheTtlSeconds?: number;
    workflow?: {
      /** Seconds Argo keeps a workflow (TTL strategy). Default: 10800 */
      ttlSeconds?: number;
      /** Seconds a deploy may take before it fails. Default: 120 */
      deadlineSeconds?: number;
    };
    /**
     * Service principals allowed on each group of routes, as Backstage names
     * them: `plugin:<pluginId>`, or `external:<subject>` for a static token.
     * Any other service is refused with 403 (users need the routes'
     * permissions instead).
     */
    serviceCallers?: {
      /** Start, stop, extend, read instances on a team's behalf. Default: [plugin:contest] */
      instances?: string[];
      /** `/internal/*`: the worker's reports and claims. Default: [plugin:deployment-worker] */
      worker?: string[];
      /** Request and list builds (staff do so as users). Default: none */
      builds?: string[];
    };
    /** Where contestants reach instances: the Challenge Gateway. */
    gateway?: {
      /** Signing keys, newest first (the first signs; the gateway must know them all). */
      keys?: Array<{
        kid: string;
        /**
         * Base64, at least 32 bytes.
         * @visibility secret
         */
        secret: string;
      }>;
      /** Default: http://{instance}.gateway.localhost:8080 */
      httpUrlTemplate?: string;
      /** Default: gateway.localhost */
      tcpHost?: string;
      /** Default: 8081 */
      tcpPort?: number;
      /** Default: ws://gateway.localhost:8080/tcp */
      wsTcpUrl?: string;
      /** Seconds an access token lives (never past the instance's expiry). Default: 3600 */
      tokenTtlSeconds?: number;
    };
    /** Challenge image builds (the build-challenge workflow). */
    builds?: {
      /**
       * Base URL the build workflow's exit handler calls back
       * (`<base>/builds/<id>/callback`), reachable from the cluster.
       * Default: this plugin's external base URL from discovery.
       */
      callbackBaseUrl?: string;
    };
  };
}
