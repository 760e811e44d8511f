// A hand-written SVG chart of wall time against project size, one line per tool, log-log axes (sizes span
// 20k to 1M lines). No dependency: the bench must run from a plain checkout.

export interface ChartSeries {
  name: string;
  color: string;
  points: { lines: number; seconds: number }[];
}

const WIDTH = 720;
const HEIGHT = 440;
const MARGIN = { left: 70, right: 190, top: 40, bottom: 60 };

export function timeAgainstSizeSvg(title: string, series: readonly ChartSeries[]): string {
  const points = series.flatMap((s) => s.points).filter((p) => p.lines > 0 && p.seconds > 0);
  if (points.length === 0) return svg(title, ['<text x="40" y="80">no measurement yet</text>']);
  const xDomain = decades(points.map((p) => p.lines));
  const yDomain = decades(points.map((p) => p.seconds));
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (v: number) => MARGIN.left + ((Math.log10(v) - xDomain[0]) / (xDomain[1] - xDomain[0])) * plotW;
  const y = (v: number) => MARGIN.top + plotH - ((Math.log10(v) - yDomain[0]) / (yDomain[1] - yDomain[0])) * plotH;
  const parts: string[] = [];
  for (let e = xDomain[0]; e <= xDomain[1]; e++) {
    const v = 10 ** e;
    parts.push(`<line x1="${x(v).toFixed(1)}" y1="${MARGIN.top}" x2="${x(v).toFixed(1)}" y2="${MARGIN.top + plotH}" stroke="#ddd"/>`);
    parts.push(`<text x="${x(v).toFixed(1)}" y="${MARGIN.top + plotH + 18}" text-anchor="middle">${formatLines(v)}</text>`);
  }
  for (let e = yDomain[0]; e <= yDomain[1]; e++) {
    const v = 10 ** e;
    parts.push(`<line x1="${MARGIN.left}" y1="${y(v).toFixed(1)}" x2="${MARGIN.left + plotW}" y2="${y(v).toFixed(1)}" stroke="#ddd"/>`);
    parts.push(`<text x="${MARGIN.left - 8}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${formatSeconds(v)}</text>`);
  }
  parts.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#888"/>`);
  parts.push(`<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 18}" text-anchor="middle">project size (lines of TypeScript, log scale)</text>`);
  parts.push(`<text transform="translate(18 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">wall time (log scale)</text>`);
  series.forEach((s, index) => {
    const pts = s.points.filter((p) => p.lines > 0 && p.seconds > 0).sort((a, b) => a.lines - b.lines);
    if (pts.length > 1) parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${pts.map((p) => `${x(p.lines).toFixed(1)},${y(p.seconds).toFixed(1)}`).join(' ')}"/>`);
    for (const p of pts) {
      parts.push(`<circle cx="${x(p.lines).toFixed(1)}" cy="${y(p.seconds).toFixed(1)}" r="4" fill="${s.color}"><title>${escapeXml(s.name)}: ${formatSeconds(p.seconds)} at ${formatLines(p.lines)} lines</title></circle>`);
    }
    const ly = MARGIN.top + 10 + index * 22;
    parts.push(`<line x1="${WIDTH - MARGIN.right + 16}" y1="${ly}" x2="${WIDTH - MARGIN.right + 40}" y2="${ly}" stroke="${s.color}" stroke-width="3"/>`);
    parts.push(`<text x="${WIDTH - MARGIN.right + 46}" y="${ly + 4}">${escapeXml(s.name)}</text>`);
  });
  return svg(title, parts);
}

function svg(title: string, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(title)}</title>`,
    '<rect width="100%" height="100%" fill="#fff"/>',
    `<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(title)}</text>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

/** Whole decades that contain every value (at least one decade wide). */
function decades(values: number[]): [number, number] {
  const low = Math.floor(Math.log10(Math.min(...values)));
  const high = Math.ceil(Math.log10(Math.max(...values)));
  return [low, Math.max(high, low + 1)];
}

function formatLines(v: number): string {
  return v >= 1e6 ? `${v / 1e6}M` : v >= 1e3 ? `${v / 1e3}k` : String(v);
}

function formatSeconds(v: number): string {
  return v >= 1 ? `${v} s` : `${Math.round(v * 1000)} ms`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
