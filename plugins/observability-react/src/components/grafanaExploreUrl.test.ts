import { grafanaExploreUrl, nsToIso } from './grafanaExploreUrl';

describe('grafanaExploreUrl', () => {
  it('builds an Explore URL with the LogQL, the range and the Loki data source', () => {
    const url = new URL(
      grafanaExploreUrl({
        grafanaUrl: 'https://grafana.example/sub/',
        expr: '{team="t1"} |= "a \\"b\\""',
        fromMs: 1000,
        toMs: 2000,
      }),
    );
    expect(url.pathname).toBe('/sub/explore');
    expect(url.searchParams.get('schemaVersion')).toBe('1');
    expect(JSON.parse(url.searchParams.get('panes')!)).toEqual({
      a: {
        datasource: 'loki',
        queries: [
          {
            refId: 'A',
            expr: '{team="t1"} |= "a \\"b\\""',
            queryType: 'range',
            datasource: { type: 'loki', uid: 'loki' },
          },
        ],
        range: { from: '1000', to: '2000' },
      },
    });
  });

  it('turns Loki nanoseconds into ISO times', () => {
    expect(nsToIso('1772366400123456789')).toBe('2026-03-01T12:00:00.123Z');
  });
});
