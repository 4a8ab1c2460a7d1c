// A small line chart of recent values; its accessible name gives the latest value in words.
const WIDTH = 120;
const HEIGHT = 28;

export function Sparkline({ values, label, format }: { values: number[]; label: string; format(v: number): string }) {
  const latest = values.at(-1);
  const max = Math.max(...values, 0);
  // Flat at the bottom when everything is 0; two points at least so a single sample still draws a line.
  const series = values.length === 1 ? [values[0]!, values[0]!] : values;
  const points = series.map((v, i) => `${((i / Math.max(1, series.length - 1)) * WIDTH).toFixed(1)},${(HEIGHT - 1 - (max > 0 ? (v / max) * (HEIGHT - 2) : 0)).toFixed(1)}`);
  return (
    <figure className="sparkline">
      <svg role="img" aria-label={`${label}: ${latest === undefined ? 'no data yet' : format(latest)}`} viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width={WIDTH} height={HEIGHT}>
        {values.length > 0 && <polyline points={points.join(' ')} fill="none" stroke="currentColor" strokeWidth="1.5" vectorEffect="non-scaling-stroke" />}
      </svg>
      <figcaption>
        <span className="muted small">{label}</span> <strong>{latest === undefined ? '—' : format(latest)}</strong>
      </figcaption>
    </figure>
  );
}
