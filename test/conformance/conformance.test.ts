import { BACKENDS_UNDER_TEST, REFERENCE } from "./backends.ts";
import { describeConformance } from "./suite.ts";

for (const entry of BACKENDS_UNDER_TEST) describeConformance(entry, REFERENCE);
