/**
 * A small SVG line-chart writer: log or linear axes, decade ticks, one polyline per series with
 * its points marked, a legend. Enough for the scaling charts in docs/; no dependency.
 */

const COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"];

const esc = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function fmt(v) {
  if (v >= 1e6) return `${+(v / 1e6).toPrecision(3)}M`;
  if (v >= 1e3) return `${+(v / 1e3).toPrecision(3)}k`;
  return `${+v.toPrecision(3)}`;
}

function axis(lo, hi, log) {
  if (log) {
    const a = Math.floor(Math.log10(lo));
    const b = Math.ceil(Math.log10(hi));
    const ticks = [];
    for (let e = a; e <= b; e++) ticks.push(10 ** e);
    return { min: 10 ** a, max: 10 ** b, ticks, map: (v) => (Math.log10(v) - a) / (b - a || 1) };
  }
  const span = hi - 0 || 1;
  const step = 10 ** Math.floor(Math.log10(span / 4));
  const nice = [1, 2, 5, 10].map((m) => m * step).find((s) => span / s <= 6) ?? step * 10;
  const max = Math.ceil(hi / nice) * nice;
  const ticks = [];
  for (let v = 0; v <= max + 1e-9; v += nice) ticks.push(v);
  return { min: 0, max, ticks, map: (v) => v / max };
}

/**
 * @param {{ title: string, xLabel: string, yLabel: string, logX?: boolean, logY?: boolean,
 *   xTickLabel?: (v: number) => string, yTickLabel?: (v: number) => string,
 *   series: { name: string, points: [number, number][], dashed?: boolean }[], note?: string }} c
 * @returns {string} the SVG document
 */
export function lineChart(c) {
  const W = 720;
  const H = 440;
  const L = 80;
  const R = 20;
  const T = 44;
  const B = 96;
  const pw = W - L - R;
  const ph = H - T - B;
  const xs = c.series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = c.series.flatMap((s) => s.points.map((p) => p[1])).filter((v) => v > 0);
  const ax = axis(Math.min(...xs), Math.max(...xs), c.logX ?? true);
  const ay = axis(Math.min(...ys), Math.max(...ys), c.logY ?? true);
  const X = (v) => L + ax.map(v) * pw;
  const Y = (v) => T + ph - ay.map(v) * ph;
  const xl = c.xTickLabel ?? fmt;
  const yl = c.yTickLabel ?? fmt;
  const out = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  out.push(`<text x="${W / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${esc(c.title)}</text>`);
  for (const t of ax.ticks) {
    out.push(`<line x1="${X(t).toFixed(1)}" y1="${T}" x2="${X(t).toFixed(1)}" y2="${T + ph}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${X(t).toFixed(1)}" y="${T + ph + 16}" text-anchor="middle">${esc(xl(t))}</text>`);
  }
  for (const t of ay.ticks) {
    out.push(`<line x1="${L}" y1="${Y(t).toFixed(1)}" x2="${L + pw}" y2="${Y(t).toFixed(1)}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${L - 6}" y="${(Y(t) + 4).toFixed(1)}" text-anchor="end">${esc(yl(t))}</text>`);
  }
  out.push(`<rect x="${L}" y="${T}" width="${pw}" height="${ph}" fill="none" stroke="#888"/>`);
  out.push(`<text x="${L + pw / 2}" y="${T + ph + 36}" text-anchor="middle">${esc(c.xLabel)}</text>`);
  out.push(`<text transform="translate(18 ${T + ph / 2}) rotate(-90)" text-anchor="middle">${esc(c.yLabel)}</text>`);
  c.series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    const pts = s.points.filter((p) => p[1] > 0);
    const d = pts.map((p) => `${X(p[0]).toFixed(1)},${Y(p[1]).toFixed(1)}`).join(" ");
    out.push(`<polyline points="${d}" fill="none" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ""}/>`);
    if (!s.dashed) for (const p of pts) out.push(`<circle cx="${X(p[0]).toFixed(1)}" cy="${Y(p[1]).toFixed(1)}" r="3" fill="${color}"/>`);
    const lx = L + (i % 3) * 210;
    const ly = T + ph + 56 + Math.floor(i / 3) * 18;
    out.push(`<line x1="${lx}" y1="${ly - 4}" x2="${lx + 24}" y2="${ly - 4}" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ""}/>`);
    out.push(`<text x="${lx + 30}" y="${ly}">${esc(s.name)}</text>`);
  });
  if (c.note) out.push(`<text x="${W - R}" y="${H - 6}" text-anchor="end" font-size="10" fill="#666">${esc(c.note)}</text>`);
  out.push("</svg>");
  return out.join("\n") + "\n";
}
