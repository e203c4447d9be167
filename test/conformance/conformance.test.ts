import { BACKENDS_UNDER_TEST, REFERENCE } from "./backends.ts";
import { describeOptimizerState } from "./optimizer-state.ts";
import { describeConformance } from "./suite.ts";

for (const entry of BACKENDS_UNDER_TEST) describeConformance(entry, REFERENCE);
for (const backend of [REFERENCE, ...BACKENDS_UNDER_TEST.map((entry) => entry.backend)]) describeOptimizerState(backend);
