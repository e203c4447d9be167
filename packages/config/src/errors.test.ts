import { UserError } from "@crossprop/core";
import { describe, expect, it } from "vitest";
import { ConfigError, formatIssue } from "./errors.ts";

describe("ConfigError", () => {
  const issues = [
    { path: "optimzer", line: 3, column: 1, origin: "configs/bad.yaml", message: "unknown key", suggestion: "optimizer" },
    { path: "training.batch_size", line: 9, column: 15, origin: "configs/bad.yaml", message: "expected an integer ≥ 1, got 0" },
    { path: "training.batch_size", origin: "--set training.batch_size=0", message: "expected an integer ≥ 1, got 0" },
    { path: "", origin: "configs/missing.yaml", message: "cannot read the config file: no such file" },
  ];

  it("formats one line per issue: origin[:line:column]: path: message — did you mean", () => {
    expect(issues.map(formatIssue)).toEqual([
      'configs/bad.yaml:3:1: optimzer: unknown key — did you mean "optimizer"?',
      "configs/bad.yaml:9:15: training.batch_size: expected an integer ≥ 1, got 0",
      "--set training.batch_size=0: training.batch_size: expected an integer ≥ 1, got 0",
      "configs/missing.yaml: cannot read the config file: no such file",
    ]);
  });

  it("keeps an issue on one line when a --set or a key holds a line break", () => {
    expect(formatIssue({ path: "name", origin: "--set name=a\n---\nb", message: "bad" })).toBe("--set name=a\\n---\\nb: name: bad");
  });

  it("is a UserError with exit code 2 whose message is every issue", () => {
    const error = new ConfigError(issues);
    expect(error).toBeInstanceOf(UserError);
    expect(error.exitCode).toBe(2);
    expect(error.name).toBe("ConfigError");
    expect(error.issues).toHaveLength(4);
    expect(error.format()).toBe(issues.map(formatIssue).join("\n"));
    expect(error.message).toBe(error.format());
  });
});
