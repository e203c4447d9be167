import { supports as autogradSupports } from "@crossprop/backend-autograd/supports";
import { supports as manualSupports } from "@crossprop/backend-manual/supports";
import { supports as tfjsSupports } from "@crossprop/backend-tfjs/supports";
import { checkSpec, type Backend, type BackendSupport, type DType, type ModelSpec, type OptimizerSpec } from "@crossprop/core";
import type { KernelBytes } from "@crossprop/kernels";

/**
 * How closely a backend follows another in one dtype; a pair uses the looser of its two entries.
 * `loss`: |a − b| / |b| of a batch's loss. `rtol`: every tensor element, relative to
 * max(|b_i|, floor · max|b|) — elements far below the tensor's largest magnitude come out of
 * cancelling sums, so their rounding follows the terms summed, not the element.
 */
export interface BackendTolerance {
  loss: number;
  rtol: number;
  floor: number;
}

/** One backend, declared once: everything the runner, the schema, check and the tests derive. */
export interface BackendEntry {
  /** One line for help and docs: where its gradients come from. */
  summary: string;
  /** Its package, so docs and versions can name it. */
  packageName: string;
  supports: BackendSupport;
  /** Its settings section of the config (a JSON Schema fragment, at the config key of the backend's name), or null. */
  options: { readonly type: "object"; readonly properties: Readonly<Record<string, unknown>> } | null;
  /** Loads the backend's module (only when used) and builds it from its config section and the thread count. */
  load(options: BackendOptions | undefined): Promise<Backend>;
  /** Per dtype it supports: its rounding against another backend (check, conformance suite). */
  tolerances: Partial<Record<DType, BackendTolerance>>;
  /** Per engine whose rounding differs from `tolerances`, per dtype. */
  engineTolerances?: Partial<Record<string, Partial<Record<DType, BackendTolerance>>>>;
  /** Per dtype: the finite-difference check's largest relative error (against a float64 reference forward). */
  finiteDifference: Partial<Record<DType, number>>;
  /** The configurations the conformance suite runs, e.g. each engine this machine loads; absent = the default one. */
  variants?(): Promise<{ label: string; options: BackendOptions }[]>;
  /** Engines `check` compares by default, each as `<name>:<engine>`; empty = the backend once, on its configured engine. */
  checkEngines: readonly string[];
  /**
   * The third-party library it computes with, whose installed versions a result records (provenance):
   * its packages, and per engine the package that engine adds. Absent for the backends written here.
   */
  library?: { packages: readonly string[]; engines: Readonly<Record<string, string>> };
  /**
   * Engines that read a dataset's pixels in place from memory of their own, and that memory: a run
   * reads the files into it, so no batch is copied on its way in.
   */
  exampleBytes?: { engines: readonly string[]; load(): Promise<KernelBytes> };
}

// float32: the two TypeScript backends differ by rounding only — up to 1.3e-6·max|ref| (measured by
// the conformance suite), so 1e-5 relative holds down to 0.2·max|ref|. float64: ~30 ulps. The
// finite-difference check passes float32 gradients (≈1e-6 rounding) at 1e-3 and catches a 1% mistake;
// float64 gradients agree with central differences (h = 1e-6) to ~1e-8, so 1e-6.
const TYPESCRIPT_TOLERANCES = {
  float32: { loss: 1e-6, rtol: 1e-5, floor: 0.2 },
  float64: { loss: 1e-12, rtol: 1e-12, floor: 1e-2 },
} as const;
const TYPESCRIPT_FINITE_DIFFERENCE = { float32: 1e-3, float64: 1e-6 } as const;
// The wasm engines sum every product in float32 (strict mul then add, k ascending) where the
// TypeScript loops accumulate in float64: over a 784-term pixel sum that is ~√784·6e-8 ≈ 2e-6 of
// a gradient's scale, and AdamW's first step (update ≈ lr·g/(|g| + ε)) magnifies it for gradients
// near ε: on tanh-adamw.yaml a first-layer weight lands 5.9e-5 (of 0.2·max|p|) from the float64-
// summed reference — as tfjs, which also sums in float32, lands 4.4e-5. So 1e-4 for tensors, as tfjs.
// The losses are summed in float64 by the same TypeScript code in both engines: 1e-6 holds.
const KERNEL_TOLERANCES = { wasm: { float32: { loss: 1e-6, rtol: 1e-4, floor: 0.2 } } } as const;
// The wasm engines' kernels compress a batch's pixel bytes where they lie when those are in the kernels' memory.
const KERNEL_BYTES = { engines: ["wasm"], load: async () => (await import("@crossprop/kernels")).loadKernelBytes() } as const;

/** A backend's `engine:` section of the config, its choices those its support declares. */
function engineSection<const E extends readonly [string, ...string[]]>(backend: string, engines: E, description: string) {
  return {
    type: "object",
    description: `Settings of the ${backend} backend.`,
    default: {},
    additionalProperties: false,
    properties: { engine: { type: "string", enum: engines, default: engines[0], description } },
  } as const;
}

const KERNEL_ENGINES = "wasm: products and hot loops in @crossprop/kernels (WebAssembly SIMD, on training.threads threads; float32 — float64 runs typescript); typescript: the plain TypeScript loops.";
const manualOptions = engineSection("manual", manualSupports.engines, KERNEL_ENGINES);
const autogradOptions = engineSection("autograd", autogradSupports.engines, KERNEL_ENGINES);
const tfjsOptions = engineSection(
  "tfjs",
  tfjsSupports.engines,
  "auto: tfjs-node if it loads, else wasm, else cpu; node needs @tensorflow/tfjs-node installed by hand (see docs/engines.md).",
);
type ManualEngine = (typeof manualSupports.engines)[number];
type AutogradEngine = (typeof autogradSupports.engines)[number];
type TfjsEngine = (typeof tfjsSupports.engines)[number];

/** What a backend is loaded with: its config section, and the threads of `training.threads` (resolved). */
export type BackendOptions = Record<string, unknown> & { threads?: number };

/** Every backend, in the order `--backend all` runs them; the first is the default and check's reference. */
export const REGISTRY = {
  manual: {
    summary: "formulas written by hand, layer by layer, on Float32Array",
    packageName: "@crossprop/backend-manual",
    supports: manualSupports,
    options: manualOptions,
    load: async (options) =>
      (await import("@crossprop/backend-manual")).createManualBackend({ engine: (options?.["engine"] ?? manualSupports.engines[0]) as ManualEngine, threads: options?.threads }),
    tolerances: TYPESCRIPT_TOLERANCES,
    engineTolerances: KERNEL_TOLERANCES,
    finiteDifference: TYPESCRIPT_FINITE_DIFFERENCE,
    variants: async () => manualSupports.engines.map((engine) => ({ label: `manual:${engine}`, options: { engine } })),
    checkEngines: manualSupports.engines,
    exampleBytes: KERNEL_BYTES,
  },
  autograd: {
    summary: "a reverse-mode automatic-differentiation engine over typed arrays",
    packageName: "@crossprop/backend-autograd",
    supports: autogradSupports,
    options: autogradOptions,
    load: async (options) =>
      (await import("@crossprop/backend-autograd")).createAutogradBackend({ engine: (options?.["engine"] ?? autogradSupports.engines[0]) as AutogradEngine, threads: options?.threads }),
    tolerances: TYPESCRIPT_TOLERANCES,
    engineTolerances: KERNEL_TOLERANCES,
    finiteDifference: TYPESCRIPT_FINITE_DIFFERENCE,
    variants: async () => autogradSupports.engines.map((engine) => ({ label: `autograd:${engine}`, options: { engine } })),
    checkEngines: autogradSupports.engines,
    exampleBytes: KERNEL_BYTES,
  },
  tfjs: {
    summary: "TensorFlow.js's own autodiff, the trusted reference",
    packageName: "@crossprop/backend-tfjs",
    supports: tfjsSupports,
    options: tfjsOptions,
    load: async (options) => (await import("@crossprop/backend-tfjs")).createTfjsBackend({ engine: (options?.["engine"] ?? tfjsSupports.engines[0]) as TfjsEngine }),
    // tfjs sums in other orders and fuses differently: ~10× the TypeScript backends' rounding. It sums a
    // loss in float32 (they accumulate in float64): over notebook 002's 10,000 squared errors that alone
    // differs by 2.5e-5, so 1e-4 for the loss too. Its finite-difference bound is 5e-2: it differentiates
    // σ as σ·(1 − σ) of its float32 output, quantised where σ is within 6e-8 of 1, which on notebook 004's
    // saturated std-1 network puts its gradients up to 1.3e-2 (of their scale) off the float64 truth; a 1%
    // mistake in tfjs is still caught by the pairwise comparison at 1e-4.
    tolerances: { float32: { loss: 1e-4, rtol: 1e-4, floor: 0.2 } },
    finiteDifference: { float32: 5e-2 },
    variants: async () =>
      (await (await import("@crossprop/backend-tfjs")).availableEngines()).map((engine) => ({ label: engine, options: { engine: engine.replace(/^tfjs-/, "") } })),
    // One tfjs engine (the configured one) is the independent reference; its engines agree with each other by construction of tfjs.
    checkEngines: [],
    library: { packages: ["@tensorflow/tfjs"], engines: { "tfjs-wasm": "@tensorflow/tfjs-backend-wasm", "tfjs-node": "@tensorflow/tfjs-node" } },
  },
} as const satisfies Record<string, BackendEntry>;

export type BackendName = keyof typeof REGISTRY;

export const BACKEND_NAMES = Object.keys(REGISTRY) as BackendName[];

/** The backend a config trains on unless it says otherwise, and check's reference. */
export const DEFAULT_BACKEND: BackendName = BACKEND_NAMES[0]!;

export function backendEntry(name: BackendName): BackendEntry {
  return REGISTRY[name];
}

export function isBackendName(name: string): name is BackendName {
  return Object.hasOwn(REGISTRY, name);
}

/** The config sections of backends that have settings, by backend name (`tfjs: {engine: …}`). */
export const BACKEND_OPTION_SCHEMAS = { manual: manualOptions, autograd: autogradOptions, tfjs: tfjsOptions } as const satisfies { [K in BackendName]?: NonNullable<(typeof REGISTRY)[K]["options"]> };

/**
 * Checks `spec` against core's rules and everything each named backend declares it supports,
 * before any of them is loaded: one SpecError naming every problem at its config path.
 */
export function checkBackends(names: readonly BackendName[], spec: ModelSpec, optimizer: OptimizerSpec): void {
  checkSpec(spec, optimizer, names.map((name) => ({ name, supports: REGISTRY[name].supports })));
}

/** Loads backend `name` with its section of the config (e.g. `config.tfjs`) and a thread count. */
export function loadBackend(name: BackendName, options?: BackendOptions): Promise<Backend> {
  return REGISTRY[name].load(options);
}

/** What backend `name` is loaded with for a whole config: its section, and `threads` (already resolved). */
export function backendOptions(name: BackendName, config: Partial<Record<BackendName, unknown>>, threads?: number): BackendOptions {
  const section = REGISTRY[name].options ? (config[name] as Record<string, unknown> | undefined) : undefined;
  return { ...section, ...(threads === undefined ? {} : { threads }) };
}

/**
 * A backend on one engine, as `check` and `run --backend` name them: `manual` (its configured
 * engine) or `manual:typescript`.
 */
export interface Participant {
  label: string;
  backend: BackendName;
  engine: string | null;
}

/** Every participant name: each backend, and each backend on each of its engines. */
export const PARTICIPANT_NAMES: string[] = BACKEND_NAMES.flatMap((name) => [name, ...REGISTRY[name].supports.engines.map((engine) => `${name}:${engine}`)]);

/** What `check` compares by default: every backend, on each engine its entry lists (e.g. both manual engines). */
export const DEFAULT_CHECK_PARTICIPANTS: string[] = BACKEND_NAMES.flatMap((name) =>
  REGISTRY[name].checkEngines.length === 0 ? [name] : REGISTRY[name].checkEngines.map((engine) => `${name}:${engine}`),
);

/** check's default reference: the default backend on its last engine (manual's plain TypeScript loops, the readable derivation). */
export const DEFAULT_CHECK_REFERENCE: string = (() => {
  const engines: readonly string[] = REGISTRY[DEFAULT_BACKEND].supports.engines;
  return engines.length === 0 ? DEFAULT_BACKEND : `${DEFAULT_BACKEND}:${engines[engines.length - 1]}`;
})();

/** `manual:typescript` → its backend and engine; null unless it names a registered backend and engine. */
export function parseParticipant(label: string): Participant | null {
  if (!PARTICIPANT_NAMES.includes(label)) return null;
  const [backend, engine] = label.split(":") as [BackendName, string | undefined];
  return { label, backend, engine: engine ?? null };
}

/** Loads a participant with the config's section for its backend, its engine overriding the section's. */
export function loadParticipant(participant: Participant, config: Partial<Record<BackendName, unknown>>, threads?: number): Promise<Backend> {
  const options = backendOptions(participant.backend, config, threads);
  return loadBackend(participant.backend, participant.engine === null ? options : { ...options, engine: participant.engine });
}

/** A participant's tolerances per dtype: its engine's where the registry gives them, else its backend's. */
export function participantTolerances(participant: Participant): Partial<Record<DType, BackendTolerance>> {
  const entry: BackendEntry = REGISTRY[participant.backend];
  const own = participant.engine === null ? undefined : entry.engineTolerances?.[participant.engine];
  return { ...entry.tolerances, ...own };
}

/**
 * Memory that one of the participants' engines reads examples from in place (the first that has
 * any; every wasm engine shares one), to read the dataset into; null if none does. Release it
 * when the runs are over.
 */
export async function loadExampleBytes(participants: readonly Participant[], config: Partial<Record<BackendName, unknown>>): Promise<KernelBytes | null> {
  for (const participant of participants) {
    const entry: BackendEntry = REGISTRY[participant.backend];
    const engine = participant.engine ?? configuredEngine(participant.backend, config);
    if (engine !== undefined && entry.exampleBytes?.engines.includes(engine)) return entry.exampleBytes.load();
  }
  return null;
}

/** The engine `backend` runs on for a config: its section's `engine`, else its first (default) one. */
function configuredEngine(backend: BackendName, config: Partial<Record<BackendName, unknown>>): string | undefined {
  const section = config[backend] as Record<string, unknown> | undefined;
  return (section?.["engine"] as string | undefined) ?? REGISTRY[backend].supports.engines[0];
}

/**
 * The participant as it will run: a bare name of a backend whose engines `check` compares gets its
 * configured engine spelled out (`manual` → `manual:wasm`), so reports and tolerances say which ran.
 */
export function resolveParticipant(participant: Participant, config: Partial<Record<BackendName, unknown>>): Participant {
  const entry: BackendEntry = REGISTRY[participant.backend];
  if (participant.engine !== null || entry.checkEngines.length === 0) return participant;
  const engine = configuredEngine(participant.backend, config)!;
  return { label: `${participant.backend}:${engine}`, backend: participant.backend, engine };
}
