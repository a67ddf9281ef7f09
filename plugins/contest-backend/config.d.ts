export interface Config {
  contest?: {
    /** Seconds between global scoreboard recomputes (a solve also triggers one). Default: 10 */
    scoreboardIntervalSeconds?: number;
    /** Seconds between re-syncs of attached challenges from the catalog. Default: 60 */
    challengeSyncIntervalSeconds?: number;
    /** Registration closes when a contest ends (a contest's own setting can close it earlier). Default: true */
    registrationClosesAtEnd?: boolean;
    teams?: {
      /** Teams one contestant may create in a contest (leaving a team with solves is refused anyway). Default: 3 */
      maxPerContestant?: number;
    };
    /** The contestant API (`/api/contest/public`). */
    public?: {
      /**
       * Origins (`scheme://host[:port]`) whose pages may send state-changing
       * requests (POST/PUT/PATCH/DELETE) to the contestant API, besides the
       * origin the request is addressed to. Default: the origins of
       * `backend.baseUrl` and `app.baseUrl`. Never list the gateway's
       * instance domain: instance pages run contestants' code.
       */
      allowedOrigins?: string[];
      /**
       * Failed logins one client address may make per 5 minutes over all
       * accounts (spraying). Raise it when many contestants share one NAT
       * address. Default: 50
       */
      failedLoginsPerAddress?: number;
      /** Registrations one client address may make per hour. Default: 30 */
      registrationsPerAddressPerHour?: number;
    };
    /**
     * A contest kept running for local play (development config only): created
     * when missing, extended when ended, its challenges attached and visible
     * as soon as the catalog has them. Absent: no demo contest.
     */
    demo?: {
      /** Default: demo */
      slug?: string;
      /** Default: Flagstage demo contest */
      name?: string;
      /** Challenge entity refs to attach, e.g. challenge:default/web-cookie-jar. */
      challenges?: string[];
    };
  };
}
