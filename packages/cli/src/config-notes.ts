import { describeReplacement, loadConfig, NO_EXPECT_SETS, type Config, type Replacement } from "@crossprop/config";

/** One `note:` line on stderr per field of the file a --set replaced (the command line wins over the file). */
export function writeReplacementNotes(replacements: readonly Replacement[], stream: NodeJS.WritableStream = process.stderr): void {
  for (const replacement of replacements) stream.write(`note: ${describeReplacement(replacement)}\n`);
}

/**
 * `sweep --no-expect`: the overrides that empty expect: and sweep.expect_best, after a note naming
 * the bounds that go unchecked (each trial's result still records its metrics).
 */
export function noExpectSets(configPath: string, sets: readonly string[], stream: NodeJS.WritableStream = process.stderr): string[] {
  const { config } = loadConfig(configPath, sets, { memoryLimit: null });
  const skipped = [
    ...describeBounds(config.expect).map((bound) => `expect ${bound}`),
    ...describeBounds(config.sweep?.expect_best ?? {}).map((bound) => `sweep.expect_best ${bound}`),
  ];
  if (skipped.length > 0) stream.write(`note: --no-expect: not checked: ${skipped.join(", ")}\n`);
  return [...sets, ...NO_EXPECT_SETS.sweep];
}

/** `valid_accuracy ≥ 0.9`, `parameters.w within 0.01`: the bounds of an expect: section, one phrase each. */
function describeBounds(expect: Config["expect"]): string[] {
  const { parameters, ...metrics } = expect;
  const phrases = Object.entries(metrics).flatMap(([metric, bounds]) => [
    ...(bounds?.min === undefined ? [] : [`${metric} ≥ ${bounds.min}`]),
    ...(bounds?.max === undefined ? [] : [`${metric} ≤ ${bounds.max}`]),
  ]);
  return [...phrases, ...Object.entries(parameters ?? {}).map(([name, { atol }]) => `parameters.${name} within ${atol}`)];
}
