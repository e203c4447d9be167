/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The functions handed to page.evaluate run in the browser: they are typed against the DOM.
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser } from "puppeteer-core";

export interface ChartAudit {
  id: string;
  /** <svg> elements in the figure (a chart is exactly one). */
  svgs: number;
  /** Items of the chart's data marks: the children of vega's mark containers (`g.role-mark`), axes and legends not counted. */
  marks: number;
  /** The same items by vega's mark type (`line`, `symbol`, `rect`, …: the container's `mark-<type>` class). */
  marksByType: Record<string, number>;
  /** The text of the chart's text marks (cell labels and the like, not axis labels), in document order. */
  markTexts: string[];
  /** Of those, the items the browser laid out with a non-empty box (a line or rule has one side > 0). */
  drawnMarks: number;
  width: number;
  height: number;
}

export interface ImageAudit {
  alt: string;
  decoded: boolean;
  naturalWidth: number;
}

export interface PageAudit {
  title: string;
  consoleErrors: string[];
  pageErrors: string[];
  /** Every request other than the page's own file (data: URIs excepted: they are not fetched); each was refused. */
  requests: string[];
  /** Navigation start to the end of the load event, per load, in ms (the page's own timing). */
  loadMs: number[];
  scripts: number;
  charts: ChartAudit[];
  images: ImageAudit[];
  /** The page's text as rendered (document.body.innerText). */
  text: string;
  /** Every <a href> as written (a link loads nothing until followed; the tests check where it points). */
  links: string[];
  /** The full-page screenshot. */
  screenshot: string;
}

export interface AuditOptions {
  /** Where the full-page screenshot goes (as `<name>.png`). */
  screenshotDir: string;
  name: string;
  /** How often the page is loaded (the first load, then reloads): the timings of each are returned. */
  loads?: number;
  /** Also write the top of the page (1200 × at most 1600 px) here, for the README. */
  docsScreenshot?: string;
}

const WIDTH = 1200;
const DOCS_HEIGHT = 1600;

/** Opens an HTML file from disk in `browser` with every other request refused, and reports what the page did and shows. */
export async function auditPage(browser: Browser, file: string, options: AuditOptions): Promise<PageAudit> {
  const url = pathToFileURL(file).href;
  const page = await browser.newPage();
  const audit: PageAudit = { title: "", consoleErrors: [], pageErrors: [], requests: [], loadMs: [], scripts: 0, charts: [], images: [], text: "", links: [], screenshot: join(options.screenshotDir, `${options.name}.png`) };
  try {
    await page.setViewport({ width: WIDTH, height: 900, deviceScaleFactor: 1 });
    page.on("console", (message) => {
      if (message.type() === "error") audit.consoleErrors.push(message.text());
    });
    page.on("pageerror", (error) => audit.pageErrors.push(String(error)));
    await page.setRequestInterception(true);
    page.on("request", (request) => {
      const requested = request.url();
      if (requested === url || requested.startsWith("data:")) return void request.continue();
      audit.requests.push(requested);
      void request.abort();
    });
    for (let load = 0; load < (options.loads ?? 1); load++) {
      if (load === 0) await page.goto(url, { waitUntil: "load" });
      else await page.reload({ waitUntil: "load" });
      audit.loadMs.push(await page.evaluate(() => (performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming).loadEventEnd));
    }
    Object.assign(audit, await page.evaluate(inspectDocument));
    await page.screenshot({ path: audit.screenshot, fullPage: true });
    if (options.docsScreenshot) {
      const height = Math.min(DOCS_HEIGHT, await page.evaluate(() => document.documentElement.scrollHeight));
      await page.screenshot({ path: options.docsScreenshot, clip: { x: 0, y: 0, width: WIDTH, height } });
    }
    return audit;
  } finally {
    await page.close();
  }
}

/** Runs in the page: its charts and images as the browser rendered them. */
async function inspectDocument(): Promise<Pick<PageAudit, "title" | "scripts" | "charts" | "images" | "text" | "links">> {
  const charts = [...document.querySelectorAll("figure.chart")].map((figure) => {
    const items = [...figure.querySelectorAll("svg g.role-mark > :not(g)")] as SVGGraphicsElement[];
    const box = figure.querySelector("svg")?.getBoundingClientRect();
    const marksByType: Record<string, number> = {};
    for (const item of items) {
      const type = /\bmark-(\w+)/.exec(item.parentElement?.getAttribute("class") ?? "")?.[1] ?? "unknown";
      marksByType[type] = (marksByType[type] ?? 0) + 1;
    }
    return {
      id: figure.id,
      svgs: figure.querySelectorAll("svg").length,
      marks: items.length,
      marksByType,
      markTexts: items.filter((item) => item.tagName === "text").map((item) => item.textContent ?? ""),
      drawnMarks: items.filter((item) => {
        const { width, height } = item.getBBox();
        return width > 0 || height > 0;
      }).length,
      width: box?.width ?? 0,
      height: box?.height ?? 0,
    };
  });
  // decode() settles once the image is decoded (or cannot be): complete alone is also true for a broken image.
  const images = await Promise.all(
    [...document.images].map(async (image) => {
      const decoded = await image.decode().then(() => true, () => false);
      return { alt: image.alt, decoded: decoded && image.complete && image.naturalWidth > 0, naturalWidth: image.naturalWidth };
    }),
  );
  const links = [...document.querySelectorAll("a[href]")].map((link) => link.getAttribute("href") ?? "");
  return { title: document.title, scripts: document.scripts.length, charts, images, text: document.body.innerText, links };
}
