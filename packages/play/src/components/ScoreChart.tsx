import type { ScoreSeries } from '@flagstage/plugin-contest-common';

const COLORS = [
  '#2f6fde',
  '#d9480f',
  '#2b8a3e',
  '#ae3ec9',
  '#e8590c',
  '#1098ad',
  '#c2255c',
  '#5f3dc4',
  '#868e96',
  '#a98e00',
];
const W = 640;
const H = 260;
const PAD = { left: 44, right: 12, top: 12, bottom: 28 };

/** Score over time of the top 10 teams: step lines in inline SVG. */
export function ScoreChart(props: { series: ScoreSeries[]; until: string }) {
  const series = props.series.filter(s => s.points.length > 0);
  if (series.length === 0) {
    return <p className="muted">The chart appears after the first solve.</p>;
  }
  const times = series.flatMap(s => s.points.map(p => Date.parse(p.at)));
  const t0 = Math.min(...times);
  const t1 = Math.max(Date.parse(props.until) || 0, ...times, t0 + 60_000);
  const maxScore = Math.max(
    1,
    ...series.flatMap(s => s.points.map(p => p.score)),
  );
  const x = (t: number) =>
    PAD.left + ((t - t0) / (t1 - t0)) * (W - PAD.left - PAD.right);
  const y = (s: number) =>
    H - PAD.bottom - (s / maxScore) * (H - PAD.top - PAD.bottom);
  const path = (s: ScoreSeries) => {
    let d = `M${x(t0).toFixed(1)},${y(0).toFixed(1)}`;
    for (const p of s.points) {
      const px = x(Date.parse(p.at)).toFixed(1);
      d += ` H${px} V${y(p.score).toFixed(1)}`;
    }
    return `${d} H${x(t1).toFixed(1)}`;
  };
  const ticks = [0, 0.5, 1].map(f => Math.round(maxScore * f));
  const label = (t: number) =>
    new Date(t).toLocaleTimeString(undefined, {
      hour: '2-digit',
      minute: '2-digit',
    });
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby="chart-title">
        <title id="chart-title">
          Score over time of the top {series.length} teams
        </title>
        {ticks.map(v => (
          <g key={v}>
            <line
              className="grid-line"
              x1={PAD.left}
              x2={W - PAD.right}
              y1={y(v)}
              y2={y(v)}
            />
            <text
              className="axis"
              x={PAD.left - 6}
              y={y(v) + 4}
              textAnchor="end"
            >
              {v}
            </text>
          </g>
        ))}
        <text className="axis" x={PAD.left} y={H - 8}>
          {label(t0)}
        </text>
        <text className="axis" x={W - PAD.right} y={H - 8} textAnchor="end">
          {label(t1)}
        </text>
        {series.map((s, i) => (
          <path
            key={s.teamId}
            d={path(s)}
            fill="none"
            stroke={COLORS[i % COLORS.length]}
            strokeWidth={2}
          />
        ))}
      </svg>
      <figcaption>
        <ul className="legend">
          {series.map((s, i) => (
            <li key={s.teamId}>
              <span
                className="swatch"
                style={{ background: COLORS[i % COLORS.length] }}
                aria-hidden="true"
              />
              {s.team}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
