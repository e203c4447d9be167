import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "../cli/helpers.ts";
import { launchChromium, requireChromium, skipBrowser } from "./chromium.ts";
import { auditPage } from "./page-audit.ts";

requireChromium();

// A valid 1×1 PNG, and bytes that are not one.
const PIXEL = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
const NOT_A_PNG = "data:image/png;base64,AAAA";

const drawnChart = `<figure class="chart" id="drawn"><svg width="40" height="20"><g class="mark-rect role-mark"><path d="M0,0h5v5h-5Z"/><path d="M10,0h5v9h-5Z"/></g><g class="mark-text role-mark"><text y="9">7</text></g><g class="mark-rule role-axis-tick"><line x2="4"/></g><g class="mark-text role-axis-label"><text>0</text></g></svg></figure>`;

/** The audit is what the report tests trust: each thing it must catch, caught on a page made to do it. */
describe.skipIf(skipBrowser)("auditPage: what a page did and shows, as chromium saw it", () => {
  let browser: Browser;
  const dir = tempDir("crossprop-audit-");
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  const page = (name: string, body: string) => {
    const file = join(dir, `${name}.html`);
    writeFileSync(file, `<!doctype html><html><head><meta charset="utf-8"><title>${name}</title></head><body>${body}</body></html>`);
    return file;
  };

  it("a self-contained page: no request, no error, its marks counted by type, its data: image decoded", async () => {
    const audit = await auditPage(browser, page("clean", `${drawnChart}<img alt="one pixel" src="${PIXEL}"><a href="trials/a/report.html">a</a>`), { screenshotDir: dir, name: "clean", loads: 2 });
    expect(audit).toMatchObject({ title: "clean", consoleErrors: [], pageErrors: [], requests: [], scripts: 0, links: ["trials/a/report.html"] });
    // innerText includes the SVG's text: the cell label, the axis label, then the link.
    expect(audit.text).toBe("7\n0\na");
    expect(audit.loadMs).toHaveLength(2);
    for (const ms of audit.loadMs) expect(ms).toBeGreaterThan(0);
    // The axis's tick and label are not data marks: two rects and a cell label.
    expect(audit.charts).toEqual([{ id: "drawn", svgs: 1, marks: 3, marksByType: { rect: 2, text: 1 }, markTexts: ["7"], drawnMarks: 3, width: 40, height: 20 }]);
    expect(audit.images).toEqual([{ alt: "one pixel", decoded: true, naturalWidth: 1 }]);
  });

  it("every request other than the file is caught and refused: images, stylesheets, fonts in CSS", async () => {
    const file = page("fetching", `<link rel="stylesheet" href="https://cdn.example.invalid/a.css"><style>@font-face { font-family: x; src: url(http://fonts.example.invalid/x.woff2); } p { font-family: x; }</style><p>text</p><img alt="remote" src="http://example.invalid/x.png">`);
    const audit = await auditPage(browser, file, { screenshotDir: dir, name: "fetching" });
    expect(audit.requests.sort()).toEqual(["http://example.invalid/x.png", "http://fonts.example.invalid/x.woff2", "https://cdn.example.invalid/a.css"]);
    expect(audit.images).toEqual([{ alt: "remote", decoded: false, naturalWidth: 0 }]);
    // Chromium reports each refused load on the console too.
    expect(audit.consoleErrors.length).toBeGreaterThan(0);
  });

  it("script errors, a script at all, an undecodable image and a chart without marks are all seen", async () => {
    const body = `<script>throw new Error("boom")</script><script>console.error("logged")</script><img alt="" src="${NOT_A_PNG}"><figure class="chart" id="empty"><svg width="10" height="10"><g class="mark-line role-mark"></g></svg></figure>`;
    const audit = await auditPage(browser, page("broken", body), { screenshotDir: dir, name: "broken" });
    expect(audit.pageErrors).toEqual([expect.stringContaining("boom")]);
    expect(audit.consoleErrors).toContain("logged");
    expect(audit.scripts).toBe(2);
    expect(audit.requests).toEqual([]);
    expect(audit.images).toEqual([{ alt: "", decoded: false, naturalWidth: 0 }]);
    expect(audit.charts).toEqual([{ id: "empty", svgs: 1, marks: 0, marksByType: {}, markTexts: [], drawnMarks: 0, width: 10, height: 10 }]);
  });
});
