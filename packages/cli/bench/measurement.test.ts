import { describe, expect, it } from "vitest";
import { fmt, ratioByRound, summarise, type Outcome } from "./measurement.ts";

const run = (secondsPerEpoch: number, epochSeconds = [secondsPerEpoch]): Outcome => ({
  engine: "wasm", secondsPerEpoch, epochSeconds, samplesPerSecond: 1000 / secondsPerEpoch, peakRssMb: 170, validAccuracy: 0.85,
});

describe("ratioByRound", () => {
  it("divides each round by the same round's base, and takes the median of those", () => {
    // Round 3 is the machine's faster state for both: the ratio of medians would pair 0.196 with 0.206.
    const rows = [run(0.2), run(0.196), run(0.168)];
    const bases = [run(0.21), run(0.206), run(0.145)];
    const r = ratioByRound(rows, bases)!;
    expect(r.rounds.map((x) => x.toFixed(4))).toEqual(["0.9524", "0.9515", "1.1586"]);
    expect(r.median).toBe(0.2 / 0.21);
    expect(fmt.ratioByRound(r)).toBe("0.95× (0.95, 0.95, 1.16)");
  });

  it("leaves out a round where either run failed, and gives null when no round has both", () => {
    const failed: Outcome = { failed: "exit 2" };
    const r = ratioByRound([run(0.2), failed, run(0.3)], [run(0.1), run(0.1), failed])!;
    expect(r.rounds).toEqual([2]);
    expect(r.median).toBe(2);
    expect(ratioByRound([failed], [run(1)])).toBeNull();
    expect(ratioByRound([run(1)], [])).toBeNull();
    expect(fmt.ratioByRound(null)).toBe("–");
  });

  it("writes ratios of ten and more with one decimal", () => {
    expect(fmt.ratioByRound({ median: 12.25, rounds: [12.25, 9.5] })).toBe("12.3× (12.3, 9.50)");
  });
});

describe("summarise", () => {
  it("takes medians over the rounds, the first epoch apart from the later ones", () => {
    const s = summarise([run(0.2, [0.21, 0.19]), run(0.3, [0.32, 0.28]), run(0.25, [0.26, 0.24])]);
    expect(s).toMatchObject({ secondsPerEpoch: 0.25, rounds: [0.2, 0.3, 0.25], firstEpoch: 0.26, laterEpochs: 0.24 });
  });

  it("reports the first failure when no round measured anything", () => {
    expect(summarise([{ failed: "diverged" }])).toEqual({ failed: "diverged" });
    expect(summarise([])).toBeNull();
  });
});
