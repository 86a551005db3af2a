// Hand-written SVG charts for the report tables (no chart library): lines over
// categories (the months April…March) or grouped horizontal bars per category
// (one group per row label, so 47 prefectures stay readable on a phone).
//
// The SVG is drawn at the container's real width (measured), so its text stays
// at the page's size instead of shrinking with a viewBox. It is one image for
// assistive technology (role="img") named by a summary of its data; the table
// beside it carries the figures themselves. Series are told apart by colour,
// and for lines also by dash pattern and marker shape, so colour is not the
// only cue.
import { useLayoutEffect, useRef, useState } from 'preact/hooks';

export type ChartSeries = { label: string; values: (number | null)[] };

type Props = {
  type: 'line' | 'bar';
  /** Short name of what is plotted, used in the summary ("新規ID数"). */
  title: string;
  categories: string[];
  series: ChartSeries[];
};

// Okabe–Ito hues darkened to at least 3:1 against white (WCAG 1.4.11).
export const SERIES_COLORS = ['#0b5cad', '#c2410c', '#047857', '#a3367a', '#7a5a00', '#4b5563', '#6d28d9'];
const DASHES = ['', '6 4', '2 3', '10 3 2 3', '1 5', '8 2'];

const num = (v: number) => v.toLocaleString('ja-JP', { maximumFractionDigits: 2 });

/** Ticks from 0 at a round step (1, 2 or 5 × 10^k) giving about `want` intervals up to max;
 * whole steps only when every value is whole (counts). */
function ticks(max: number, want: number, whole: boolean): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = whole ? Math.max(1, max / want) : max / want;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = 0; v <= max + step * 1e-9; v += step) out.push(+v.toPrecision(12));
  if (out[out.length - 1] < max) out.push(+(out[out.length - 1] + step).toPrecision(12));
  return out;
}

/** The Japanese summary read for the chart. */
export function chartSummary({ type, title, categories, series }: Props): string {
  const kind = type === 'line' ? '折れ線グラフ' : '横棒グラフ';
  const parts = series.map((s) => {
    let best = -1;
    s.values.forEach((v, i) => { if (v !== null && (best < 0 || v > (s.values[best] as number))) best = i; });
    return best < 0 ? `${s.label}：データなし` : `${s.label}：最大${num(s.values[best] as number)}（${categories[best]}）`;
  });
  const span = categories.length ? `${categories[0]}から${categories[categories.length - 1]}までの${categories.length}項目` : '項目なし';
  return `${title}の${kind}。${span}。${parts.join('、')}。数値は下の表のとおりです。`;
}

function useWidth(fallback: number) {
  const ref = useRef<HTMLDivElement>(null);
  const [w, setW] = useState(fallback);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => { const cw = Math.floor(el.clientWidth); if (cw > 0) setW(cw); };
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return { ref, width: w };
}

/** Cuts a label to n characters (with an ellipsis) so the axis stays narrow. */
const clip = (s: string, n: number) => (Array.from(s).length > n ? Array.from(s).slice(0, n - 1).join('') + '…' : s);

export function Chart(props: Props) {
  const { ref, width } = useWidth(640);
  const summary = chartSummary(props);
  const w = Math.max(280, width);
  return (
    <figure class="chart">
      <div class="chart-box" ref={ref}>
        {props.type === 'line' ? <LineChart {...props} width={w} summary={summary} /> : <BarChart {...props} width={w} summary={summary} />}
      </div>
      <figcaption>
        <ul class="chart-legend" aria-label="凡例">
          {props.series.map((s, k) => (
            <li key={s.label}>
              <svg width="32" height="14" aria-hidden="true" focusable="false">
                {props.type === 'line' ? (
                  <>
                    <line x1="1" y1="7" x2="31" y2="7" stroke={SERIES_COLORS[k % SERIES_COLORS.length]} stroke-width="3" stroke-dasharray={DASHES[k % DASHES.length] || undefined} />
                    <Marker k={k} x={16} y={7} />
                  </>
                ) : (
                  <rect x="4" y="1" width="24" height="12" rx="2" fill={SERIES_COLORS[k % SERIES_COLORS.length]} />
                )}
              </svg>
              <span>{s.label}</span>
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}

/** A marker shape per series: circle, square, triangle, diamond, … */
function Marker({ k, x, y }: { k: number; x: number; y: number }) {
  const c = SERIES_COLORS[k % SERIES_COLORS.length];
  switch (k % 4) {
    case 0: return <circle cx={x} cy={y} r="4" fill={c} />;
    case 1: return <rect x={x - 4} y={y - 4} width="8" height="8" fill={c} />;
    case 2: return <path d={`M${x} ${y - 5}L${x + 5} ${y + 4}L${x - 5} ${y + 4}Z`} fill={c} />;
    default: return <path d={`M${x} ${y - 5}L${x + 5} ${y}L${x} ${y + 5}L${x - 5} ${y}Z`} fill="#fff" stroke={c} stroke-width="2" />;
  }
}

type Drawn = Props & { width: number; summary: string };

function maxOf(series: ChartSeries[]) {
  let m = 0;
  for (const s of series) for (const v of s.values) if (v !== null && v > m) m = v;
  return m;
}

const allWhole = (series: ChartSeries[]) => series.every((s) => s.values.every((v) => v === null || Number.isInteger(v)));

function LineChart({ categories, series, width, summary }: Drawn) {
  const h = width < 480 ? 240 : 300;
  const yt = ticks(maxOf(series), width < 480 ? 4 : 5, allWhole(series));
  const top = yt[yt.length - 1] || 1;
  const left = 12 + 8 * Math.max(...yt.map((t) => num(t).length));
  const m = { l: left, r: 12, t: 12, b: 28 };
  const pw = width - m.l - m.r, ph = h - m.t - m.b;
  const x = (i: number) => m.l + (categories.length <= 1 ? pw / 2 : (pw * i) / (categories.length - 1));
  const y = (v: number) => m.t + ph - (ph * v) / top;
  const every = width < 420 ? 2 : 1;
  return (
    <svg class="chart-svg" width={width} height={h} viewBox={`0 0 ${width} ${h}`} role="img" aria-label={summary}>
      <title>{summary}</title>
      <g class="chart-grid">
        {yt.map((t) => (
          <g key={t}>
            <line x1={m.l} x2={width - m.r} y1={y(t)} y2={y(t)} />
            <text x={m.l - 6} y={y(t)} dy="0.32em" text-anchor="end">{num(t)}</text>
          </g>
        ))}
      </g>
      <g class="chart-axis">
        <line x1={m.l} x2={width - m.r} y1={m.t + ph} y2={m.t + ph} />
        {categories.map((c, i) => (
          <g key={c + i}>
            <line x1={x(i)} x2={x(i)} y1={m.t + ph} y2={m.t + ph + 4} />
            {i % every === 0 && <text x={x(i)} y={m.t + ph + 18} text-anchor="middle">{clip(c, 6)}</text>}
          </g>
        ))}
      </g>
      {series.map((s, k) => {
        const color = SERIES_COLORS[k % SERIES_COLORS.length];
        // A gap (null) breaks the line instead of dropping to zero.
        let d = '';
        let pen = false;
        s.values.forEach((v, i) => {
          if (v === null) { pen = false; return; }
          d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)} ${y(v).toFixed(1)}`;
          pen = true;
        });
        return (
          <g key={s.label}>
            <path d={d} fill="none" stroke={color} stroke-width="2.5" stroke-linejoin="round" stroke-dasharray={DASHES[k % DASHES.length] || undefined} />
            {s.values.map((v, i) => (v === null ? null : <Marker key={i} k={k} x={x(i)} y={y(v)} />))}
          </g>
        );
      })}
    </svg>
  );
}

function BarChart({ categories, series, width, summary }: Drawn) {
  const n = Math.max(1, series.length);
  const bar = n === 1 ? 16 : n === 2 ? 11 : 8;
  const gap = 10;
  const group = n * bar + gap;
  const labelChars = width < 480 ? 7 : 12;
  const longest = Math.max(2, ...categories.map((c) => Math.min(labelChars, Array.from(c).length)));
  const xt = ticks(maxOf(series), width < 480 ? 3 : 5, allWhole(series));
  const top = xt[xt.length - 1] || 1;
  const m = { l: 14 + 13 * longest, r: 8 + 4 * num(top).length, t: 8, b: 28 };
  const pw = Math.max(40, width - m.l - m.r);
  const h = m.t + m.b + group * categories.length;
  const x = (v: number) => m.l + (pw * v) / top;
  return (
    <svg class="chart-svg" width={width} height={h} viewBox={`0 0 ${width} ${h}`} role="img" aria-label={summary}>
      <title>{summary}</title>
      <g class="chart-grid">
        {xt.map((t) => (
          <g key={t}>
            <line x1={x(t)} x2={x(t)} y1={m.t} y2={h - m.b} />
            <text x={x(t)} y={h - m.b + 18} text-anchor="middle">{num(t)}</text>
          </g>
        ))}
      </g>
      {categories.map((c, i) => {
        const gy = m.t + i * group + gap / 2;
        return (
          <g key={c + i}>
            <text class="chart-cat" x={m.l - 6} y={gy + (n * bar) / 2} dy="0.32em" text-anchor="end">{clip(c, labelChars)}</text>
            {series.map((s, k) => {
              const v = s.values[i];
              if (v === null || v === undefined) return null;
              return <rect key={k} x={m.l} y={gy + k * bar} width={Math.max(v > 0 ? 1 : 0, x(v) - m.l)} height={bar - 1} fill={SERIES_COLORS[k % SERIES_COLORS.length]} />;
            })}
          </g>
        );
      })}
      <g class="chart-axis">
        <line x1={m.l} x2={m.l} y1={m.t} y2={h - m.b} />
        <line x1={m.l} x2={m.l + pw} y1={h - m.b} y2={h - m.b} />
      </g>
    </svg>
  );
}
