import { predictExamples, trainingSteps, type Model, type ParamList, type Predictions } from "@crossprop/core";
import { stepPlan, type Experiment } from "@crossprop/config";
import { nonFiniteParameter } from "./divergence.ts";

/**
 * What a finished run leaves for its report, computed while the model is alive: the final
 * parameters' predictions on the validation set (predictions.csv) and the gradients of the loss on
 * step 1's batch at the start and at the end (gradients.safetensors).
 */
export interface EndOfRun {
  predictions: Predictions;
  /** start.layers.0.weight, start.layers.0.bias, …, then end.layers.…: same shapes and dtype as the parameters. */
  gradients: ParamList;
}

/**
 * Predicts the validation set and takes the end gradients at the model's current (final)
 * parameters, then sets `initial` and takes the start gradients. The model's parameters are the
 * initial ones afterwards: take the final parameters before. Null if a parameter is not finite
 * (a diverged run), since nothing it would predict or differentiate means anything.
 */
export async function endOfRun(model: Model, experiment: Experiment, initial: ParamList, final: ParamList): Promise<EndOfRun | null> {
  if (nonFiniteParameter(final) !== null) return null;
  const { dataset, spec, encoding } = experiment;
  const predictions = await predictExamples(model, dataset.valid, spec, encoding);
  // Step 1's batch, rebuilt from the plan: the same rows and encoding the run's first step trained on.
  const first = trainingSteps(stepPlan(experiment)).next();
  if (first.done) return { predictions, gradients: [] };
  const batch = first.value.batch;
  const end = await model.lossAndGradients(batch);
  await model.setParams(initial);
  const start = await model.lossAndGradients(batch);
  const named = (prefix: string, gradients: ParamList) => gradients.map((g) => ({ ...g, name: `${prefix}.${g.name}` }));
  return { predictions, gradients: [...named("start", start.gradients), ...named("end", end.gradients)] };
}
