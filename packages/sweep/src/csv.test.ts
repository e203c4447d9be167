import { describe, expect, it } from "vitest";
import { csvCell, resultsCsv } from "./csv.ts";
import { fixtureResults, trialRecord } from "./records.fixture.ts";

describe("resultsCsv", () => {
  it("has a header and one row per trial in plan order, with a column per swept path", () => {
    const csv = resultsCsv(fixtureResults([trialRecord(2), trialRecord(1, { status: "diverged", passed: false, error: 'diverged: "NaN", at step 3' })]));
    const lines = csv.trimEnd().split("\n");
    expect(lines[0]).toBe("index,id,status,passed,optimizer.lr,model.hidden,train_loss,valid_loss,valid_accuracy,objective,rank,wall_seconds,run_dir,error");
    expect(lines[1]).toBe('1,000000000001,diverged,false,0.1,[16],1,2,0.51,,,1.5,trials/000000000001,"diverged: ""NaN"", at step 3"');
    expect(lines[2]).toBe("2,000000000002,completed,true,0.2,[16],0.5,1,0.52,0.52,1,1.5,trials/000000000002,");
  });

  it("quotes only what RFC 4180 requires", () => {
    expect([null, 3, "a", "[128,64]", 'say "hi"', "two\nlines"].map(csvCell)).toEqual(["", "3", "a", '"[128,64]"', '"say ""hi"""', '"two\nlines"']);
  });
});
