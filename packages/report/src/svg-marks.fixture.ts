/** Reading the marks back out of a report's inline SVG, for tests that assert what a chart draws. */

/** The content of <figure class="chart" id=`id`>, or throws (a missing chart fails the test that asked). */
export function figureById(html: string, id: string): string {
  const match = new RegExp(`<figure class="chart" id="${id}">([\\s\\S]*?)</figure>`).exec(html);
  if (!match) throw new Error(`no chart figure with id ${id}`);
  return match[1]!;
}

/** How many marks vega drew with this role: "rect mark", "text mark", "line mark", "bar", "tick", "point". */
export function markCount(svg: string, role: string): number {
  return svg.split(`aria-roledescription="${role}"`).length - 1;
}

/** The strings drawn by the chart's text marks, in drawing order. */
export function markTexts(svg: string): string[] {
  return [...svg.matchAll(/aria-roledescription="text mark"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);
}
