// A chart drawn with Observable Plot, loaded on first use (a separate file, so the app's main
// bundle does not carry it). The picture is one image named by a written summary, with a
// visible caption; the page shows the data behind it in a table right after it.
import { useEffect, useRef, useState } from 'react';

export type PlotModule = typeof import('@observablehq/plot');
let plotModule: Promise<PlotModule> | null = null;
const loadPlot = () => (plotModule ??= import('@observablehq/plot'));

/** The charts' text size: Plot's default (10px) is too small to read comfortably. */
export const CHART_STYLE = { fontSize: '13px' };

/**
 * Room for a chart's row labels: about 7.5px a character, never more than 40% of the width;
 * labels longer than that are shortened with an ellipsis (the table has them in full).
 */
export function labelRoom(labels: string[], width: number): { margin: number; format: (label: string) => string } {
  const room = Math.max(60, Math.min(220, Math.floor(width * 0.4)));
  const chars = Math.max(4, Math.floor((room - 14) / 7.5));
  const longest = Math.max(4, ...labels.map((l) => l.length));
  return {
    margin: Math.min(room, Math.ceil(Math.min(longest, chars) * 7.5) + 14),
    format: (label) => (label.length > chars ? `${label.slice(0, chars - 1)}…` : label),
  };
}

/** Draws the chart for a width in pixels. */
export type DrawChart = (Plot: PlotModule, width: number) => SVGSVGElement | HTMLElement;

export function InsightChart({ caption, summary, data, draw, height }: {
  caption: string;
  /** What the chart shows, in words (its accessible name). */
  summary: string;
  /** The data drawn: the chart is redrawn when it changes. */
  data: unknown;
  draw: DrawChart;
  /** Room kept while Plot loads, so the page does not jump. */
  height: number;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const drawRef = useRef(draw);
  drawRef.current = draw;
  const [plot, setPlot] = useState<PlotModule | null>(null);
  const [failed, setFailed] = useState(false);
  const [width, setWidth] = useState(0);

  useEffect(() => {
    let live = true;
    loadPlot().then((m) => { if (live) setPlot(m); }, () => { if (live) setFailed(true); });
    return () => { live = false; };
  }, []);

  useEffect(() => {
    const el = ref.current;
    if (!el) return undefined;
    setWidth(el.clientWidth);
    const observer = new ResizeObserver(() => setWidth(el.clientWidth));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    const el = ref.current;
    if (!plot || !el || width <= 0) return undefined;
    const chart = drawRef.current(plot, Math.max(280, width));
    // The picture is named as a whole; its text and shapes would only repeat the table.
    chart.setAttribute('aria-hidden', 'true');
    el.replaceChildren(chart);
    return () => chart.remove();
  }, [plot, width, data]);

  return (
    <figure className="insight-chart">
      <div ref={ref} role="img" aria-label={summary} className="insight-chart-canvas" style={{ minHeight: `${height}px` }} />
      <figcaption className="insight-chart-caption">
        {caption}
        {failed ? <span className="hint"> The chart could not be drawn; the table below has the same figures.</span> : null}
      </figcaption>
    </figure>
  );
}
