import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

/**
 * A Vega-Lite spec rendered to an SVG string in Node, by vega's headless view (no DOM, no canvas).
 * The namespace attributes are dropped: inline in HTML the parser puts <svg> in its namespace, and
 * the page then holds no URL at all.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  // No loader access: every chart's data is inline, so a spec never reads a file or the network.
  const loader = vega.loader();
  loader.load = async (uri: string) => {
    throw new Error(`a report chart may not load ${uri}`);
  };
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none", loader });
  try {
    const svg = await view.toSVG();
    return svg.replace(/ xmlns(:xlink)?="[^"]*"/g, "");
  } finally {
    view.finalize();
  }
}
