/** The learning-rate schedule, shared by every backend: the training-step iterator gives each step its rate. */
export interface ScheduleSpec {
  /** The base rate. */
  lr: number;
  /** per_sample: divided by the batch's number of rows (notebook 002: lr = 0.1 / N). */
  lrScale: "none" | "per_sample";
  type: "constant" | "step";
  /** For step: after this many steps the rate is multiplied by gamma (torch's MultiStepLR). */
  milestones: readonly number[];
  gamma: number;
}

/** The learning rate of 1-based step `step`, whose batch has `rows` rows. */
export function learningRate(schedule: ScheduleSpec, step: number, rows: number): number {
  let lr = schedule.lr;
  if (schedule.type === "step") {
    for (const milestone of schedule.milestones) if (step > milestone) lr *= schedule.gamma;
  }
  return schedule.lrScale === "per_sample" ? lr / rows : lr;
}
