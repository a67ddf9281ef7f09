/**
 * A Grafana Explore URL showing `expr` (the LogQL the portal searched) over
 * the same time range, in the Loki data source `datasource` (a uid or name).
 * Uses the `panes` URL format of Grafana 10 and later.
 *
 * @public
 */
export function grafanaExploreUrl(options: {
  grafanaUrl: string;
  expr: string;
  fromMs: number;
  toMs: number;
  datasource?: string;
}): string {
  const datasource = options.datasource ?? 'loki';
  const panes = {
    a: {
      datasource,
      queries: [
        {
          refId: 'A',
          expr: options.expr,
          queryType: 'range',
          datasource: { type: 'loki', uid: datasource },
        },
      ],
      range: { from: String(options.fromMs), to: String(options.toMs) },
    },
  };
  const params = new URLSearchParams({
    schemaVersion: '1',
    panes: JSON.stringify(panes),
  });
  return `${options.grafanaUrl.replace(/\/+$/, '')}/explore?${params}`;
}

/** A Loki nanosecond timestamp as an ISO time (millisecond precision). */
export function nsToIso(ns: string): string {
  return new Date(Number(BigInt(ns) / 1_000_000n)).toISOString();
}
