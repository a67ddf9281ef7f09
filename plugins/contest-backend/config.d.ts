export interface Config {
  contest?: {
    /** Seconds between global scoreboard recomputes (a solve also triggers one). Default: 10 */
    scoreboardIntervalSeconds?: number;
    /** Seconds between re-syncs of attached challenges from the catalog. Default: 60 */
    challengeSyncIntervalSeconds?: number;
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
