import type { TopLevelSpec } from "vega-lite";
import { escapeHtml as e } from "./escape.ts";
import { renderSvg } from "./render-svg.ts";
import { STYLE } from "./run-report.ts";

/** The pieces every page that is not a single run's (comparison, two runs) is built from. */

/** A chart as the pages hold it: one <figure class="chart"> with one inline <svg>, and a caption when the chart needs words. */
export async function chartFigure(id: string, spec: TopLevelSpec, caption?: string): Promise<string> {
  return `<figure class="chart" id="${e(id)}">${await renderSvg(spec)}${caption ? `<figcaption>${e(caption)}</figcaption>` : ""}</figure>`;
}

/** A whole self-contained page: inline CSS (run-report.ts's STYLE and `extraStyle`), no script, no URL. */
export function htmlPage(title: string, body: string, extraStyle = ""): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)}</title>
<style>${STYLE}${PAGE_STYLE}${extraStyle}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

const PAGE_STYLE = `
.final-metrics th, .final-metrics td { padding-right: 18px; } .final-metrics thead th { color: #222; }
td.number { font-variant-numeric: tabular-nums; }
.chart figcaption { max-width: 560px; color: #555; font-size: 12px; }
`;
