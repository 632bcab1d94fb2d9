/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Html } from '../../pages/layout.js';
import type { ConsoleText } from '../text/translate.js';

export interface Series {
  label: string;
  /** A class of the stylesheet that colours its bars. */
  tone: 'primary' | 'danger';
  values: number[];
}

/**
 * A bar chart drawn on the server as SVG (no script, no inline style: the CSP allows neither),
 * with a table of the same numbers for screen readers and for copying.
 */
export function BarChart(props: { title: string; labels: string[]; series: Series[]; id: string; text: ConsoleText }): Html {
  // Numbers in the page's own digits (Arabic ones in Arabic), as the tiles above the chart.
  const number = props.text.number;
  const width = 640;
  const height = 180;
  const pad = { top: 10, bottom: 28, left: 36, right: 8 };
  const max = Math.max(1, ...props.series.flatMap((s) => s.values));
  const top = niceCeiling(max);
  const groups = props.labels.length;
  const groupWidth = (width - pad.left - pad.right) / Math.max(1, groups);
  const barWidth = Math.max(2, (groupWidth * 0.8) / props.series.length);
  const y = (value: number): number => pad.top + (height - pad.top - pad.bottom) * (1 - value / top);
  const every = Math.ceil(groups / 7);
  return (
    <figure class="chart" aria-labelledby={`${props.id}-caption`}>
      <figcaption id={`${props.id}-caption`}>{props.title}</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${props.id}-caption`} focusable="false">
        <title>{props.title}</title>
        {[0, top / 2, top].map((tick) => (
          <g class="grid">
            <line x1={pad.left} x2={width - pad.right} y1={y(tick)} y2={y(tick)} />
            <text x={pad.left - 6} y={y(tick) + 4} text-anchor="end">
              {number(tick)}
            </text>
          </g>
        ))}
        {props.labels.map((label, i) => (
          <g>
            {props.series.map((s, j) => {
              const value = s.values[i] ?? 0;
              const x = pad.left + i * groupWidth + groupWidth * 0.1 + j * barWidth;
              return (
                <rect class={`bar ${s.tone}`} x={x} y={y(value)} width={barWidth - 1} height={Math.max(0, y(0) - y(value))}>
                  <title>{props.text.t('chart.bar', { day: label, series: s.label, value })}</title>
                </rect>
              );
            })}
            {i % every === 0 ? (
              <text class="axis" x={pad.left + i * groupWidth + groupWidth / 2} y={height - 8} text-anchor="middle">
                {label}
              </text>
            ) : null}
          </g>
        ))}
      </svg>
      <ul class="legend">
        {props.series.map((s) => (
          <li>
            <span class={`swatch ${s.tone}`} aria-hidden="true" />
            {s.label}
          </li>
        ))}
      </ul>
      <details>
        <summary>{props.title}</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">{props.text.t('chart.day')}</th>
              {props.series.map((s) => (
                <th scope="col">{s.label}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {props.labels.map((label, i) => (
              <tr>
                <th scope="row">{label}</th>
                {props.series.map((s) => (
                  <td>{number(s.values[i] ?? 0)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

/** 1, 2 or 5 times a power of ten, at least `value`: round numbers on the axis. */
export function niceCeiling(value: number): number {
  const power = 10 ** Math.floor(Math.log10(Math.max(1, value)));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}
