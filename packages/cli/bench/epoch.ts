/**
 * The speed benchmark quoted in the README: trains a config for a few epochs on each backend,
 * each in its own process (so peak RSS is that backend's), through the real CLI, and prints a
 * Markdown table of median s/epoch, samples/s and peak RSS from each run's summary.json.
 *
 *   pnpm bench [config=configs/mlp.yaml] [epochs=3] [backends=every registered backend, comma-separated]
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BACKEND_NAMES } from "@crossprop/backends";

const [config = "configs/mlp.yaml", epochs = "3", backends = BACKEND_NAMES.join(",")] = process.argv.slice(2);
const cli = fileURLToPath(new URL("../bin/crossprop.js", import.meta.url));
const loadBefore = loadavg()[0]!;
const rows: string[] = [];
for (const backend of backends.split(",")) {
  const out = join(mkdtempSync(join(tmpdir(), "crossprop-bench-")), backend);
  const result = spawnSync(process.execPath, [cli, "run", config, "--backend", backend, "--set", `training.epochs=${epochs}`, "--quiet", "--out", out], {
    encoding: "utf8",
  });
  if (result.status !== 0 && result.status !== 1) {
    process.stderr.write(result.stderr);
    process.exit(result.status ?? 1);
  }
  const summary = JSON.parse(readFileSync(join(out, "summary.json"), "utf8"));
  rows.push(
    `| ${backend} | ${summary.engine} | ${summary.seconds_per_epoch.toFixed(2)} | ${Math.round(summary.samples_per_second).toLocaleString("en-US")} | ${summary.peak_rss_mb} | ${summary.final.valid_accuracy?.toFixed(4) ?? "–"} |`,
  );
}
process.stdout.write(`${config}, ${epochs} epochs, median s/epoch; load average before: ${loadBefore.toFixed(2)}\n\n`);
process.stdout.write("| backend | engine | s/epoch | samples/s | peak RSS (MB) | valid_accuracy |\n| --- | --- | --- | --- | --- | --- |\n");
process.stdout.write(rows.join("\n") + "\n");
