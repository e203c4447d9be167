import * as tf from "@tensorflow/tfjs";
import type { FloatArray, OptimizerSpec } from "@crossprop/core";
import { readState, writeState } from "./optimizer-state.ts";

/** A tf.train optimizer whose rate can change between steps. */
type RateOptimizer = tf.Optimizer & { setLearningRate(learningRate: number): void };

/**
 * tf.train.adam's optimizer with a rate setter. tfjs's Adam computes the contract's
 * p ← p − lr·(m/(1−β1ᵗ)) / (√(v/(1−β2ᵗ)) + ε) (ε outside the root, unscaled) and reads
 * `learningRate` on every applyGradients, but keeps the field protected and has no setter. Its β1ᵗ,
 * β2ᵗ are float32 running products of float32 β's: with β2 = 0.999 steps come out ~6e-6 relatively
 * short of float64's (optimizer.test.ts).
 */
class AdamOptimizer extends tf.AdamOptimizer {
  setLearningRate(learningRate: number): void {
    this.learningRate = learningRate;
  }
}

/** tf.train.momentum's optimizer; its dispose() frees the slots and μ but forgets SGD's −lr scalar. */
class MomentumOptimizer extends tf.MomentumOptimizer {
  override dispose(): void {
    super.dispose();
    this.c.dispose();
  }
}

/**
 * OptimizerSpec's update rules (core's doc comment) on tf.variables: tf.train's sgd, momentum (no
 * Nesterov) and adam apply the update; the weight decay is added here with tf ops, coupled
 * (g ← g + weightDecay·p) for sgd, momentum and adam, decoupled (p ← p·(1 − lr·weightDecay), before
 * adam's update, like torch.optim.AdamW) for adamw. The rate arrives with each step.
 */
export class TfjsOptimizer {
  /** The rate `optimizer` holds (0 until the first step): set again only when a step brings another. */
  private learningRate = 0;

  private constructor(
    private readonly type: OptimizerSpec["type"],
    private readonly optimizer: RateOptimizer,
    private readonly weightDecay: number,
    private readonly decoupled: boolean,
  ) {}

  /** Creates tfjs's optimizer, and so its tensors, on the active engine. Not inside tf.tidy: momentum's μ would be freed. */
  static create(spec: OptimizerSpec): TfjsOptimizer {
    switch (spec.type) {
      case "sgd":
        return new TfjsOptimizer(spec.type, tf.train.sgd(0), spec.weightDecay, false);
      case "momentum":
        return new TfjsOptimizer(spec.type, new MomentumOptimizer(0, spec.momentum, false), spec.weightDecay, false);
      case "adam":
      case "adamw":
        return new TfjsOptimizer(spec.type, new AdamOptimizer(0, spec.beta1, spec.beta2, spec.epsilon), spec.weightDecay, spec.type === "adamw");
    }
  }

  /**
   * One update of `variables` from `grads` = d(loss)/dp taken at their current values. Call inside
   * tf.tidy. Slots (velocities, moments) are created on the first step and kept until dispose().
   */
  step(variables: readonly tf.Variable[], grads: tf.NamedTensorMap, lr: number): void {
    if (lr !== this.learningRate) {
      this.optimizer.setLearningRate(lr);
      this.learningRate = lr;
    }
    // tf.train optimizers key their slots by position in this map, so it lists every variable, in
    // model order, every step (a parameter that did not reach the loss would get its gradient, 0).
    const coupled = this.weightDecay !== 0 && !this.decoupled;
    const gradients: tf.NamedTensorMap = {};
    for (const variable of variables) {
      const grad = grads[variable.name] ?? tf.zerosLike(variable);
      gradients[variable.name] = coupled ? tf.add(grad, tf.mul(variable, this.weightDecay)) : grad;
    }
    if (this.decoupled && this.weightDecay !== 0) {
      // The gradients above were taken before this decay, as in torch.optim.AdamW.
      const shrink = 1 - lr * this.weightDecay;
      for (const variable of variables) variable.assign(tf.mul(variable, shrink));
    }
    this.optimizer.applyGradients(gradients);
  }

  /** Copies of the state for `variables` (optimizer-state.ts: core's entries, then tfjs's own). */
  state(variables: readonly tf.Variable[]): FloatArray[] {
    return readState(this.type, this.optimizer, variables);
  }

  /** Restores what state() returned; the slots are replaced, the rate is set by the next step. */
  restore(variables: readonly tf.Variable[], arrays: readonly FloatArray[]): void {
    writeState(this.type, this.optimizer, variables, arrays);
  }

  /** Frees the optimizer's scalars and slots. */
  dispose(): void {
    this.optimizer.dispose();
  }
}
