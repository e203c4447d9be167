import { existsSync } from "node:fs";
import puppeteer, { type Browser } from "puppeteer-core";

/** Debian's chromium package: the one browser these tests drive (puppeteer-core downloads none). */
export const CHROMIUM = "/usr/bin/chromium";

/** `CROSSPROP_SKIP_BROWSER=1` is the only way to leave the browser tests out; a missing chromium otherwise fails the suite. */
export const skipBrowser = process.env.CROSSPROP_SKIP_BROWSER === "1";

/** Throws one line saying how to install chromium, unless it is installed (or the browser tests are skipped). */
export function requireChromium(): void {
  if (skipBrowser || existsSync(CHROMIUM)) return;
  throw new Error(
    `the browser tests need Debian's chromium at ${CHROMIUM}: install it with \`apt-get install -y --no-install-recommends chromium\` (as root), or set CROSSPROP_SKIP_BROWSER=1 to skip them`,
  );
}

/** Headless chromium; --no-sandbox only as root, where chromium refuses to start with its sandbox. */
export function launchChromium(): Promise<Browser> {
  const asRoot = process.getuid?.() === 0;
  return puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: asRoot ? ["--no-sandbox"] : [] });
}
