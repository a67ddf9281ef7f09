export interface Config {
  gatewayAdmin?: {
    /**
     * Redis shared with the Challenge Gateway (declared with gateway-admin,
     * which writes limits and revocations there). The deployment plugin
     * publishes stopped instances through it too. Absent: only a gateway
     * embedded in the same backend hears of them.
     */
    redis?: {
      /**
       * e.g. redis://:password@redis:6379/0 (may carry a password).
       * @visibility secret
       */
      url?: string;
      /** Prepended to every key and channel of the gateway Redis contract. Default: '' */
      keyPrefix?: string;
    };
  };
}
