export interface Config {
  contest?: {
    /** Seconds between global scoreboard recomputes (a solve also triggers one). Default: 10 */
    scoreboardIntervalSeconds?: number;
    /** Seconds between re-syncs of attached challenges from the catalog. Default: 60 */
    challengeSyncIntervalSeconds?: number;
  };
}
