// A worker thread's entry must be JavaScript: Node cannot start one on a .ts file, and hooks
// registered in the parent do not reach it. So register tsx here, as bin/crossprop.js does.
import { register } from "tsx/esm/api";

register();
await import("./worker.ts");
