import { defineConfig } from "vitest/config";

// One root config: unit tests sit beside their sources, cross-package tests in test/.
export default defineConfig({
  test: {
    include: ["packages/*/src/**/*.test.ts", "packages/*/bench/**/*.test.ts", "test/**/*.test.ts"],
    pool: "forks",
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
