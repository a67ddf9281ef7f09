export interface Config {
  gatewayAdmin?: {
    /**
     * Redis shared with the Challenge Gateway. Absent (the embedded default):
     * limits and revocations are only stored in the database, the API answers
     * `published: false` with a warning, and live connections are empty.
     */
    redis?: {
      /**
       * e.g. redis://:password@redis:6379/0 (may carry a password).
       * @visibility secret
       */
      url?: string;
      /**
       * Prepended verbatim to every key and channel of the gateway Redis
       * contract (e.g. `ctf1:` gives `ctf1:flagstage:gateway:limits`). Every
       * gateway must use the same prefix (its GATEWAY_REDIS_KEY_PREFIX).
       * Default: '' (the contract's keys as they are).
       */
      keyPrefix?: string;
    };
    /**
     * Seconds between republishing the database state to Redis, so Redis
     * converges after a restart or a lost write. Default: 30
     */
    resyncIntervalSeconds?: number;
  };
}
