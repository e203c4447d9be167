import { confusionSectionHtml } from "./confusion-section.ts";
import { digitGalleryHtml, WORST_DIGITS } from "./digit-gallery.ts";
import { histogramSectionHtml } from "./histogram-section.ts";
import { regressionSectionHtml } from "./regression-section.ts";
import { runConfig, runData } from "./run-data.ts";
import type { RunFiles } from "./run-files.ts";
import type { Experiment } from "@crossprop/config";

export interface RunPageOptions {
  /**
   * The run's data, when the caller holds it already (the CLI, right after training): the digits
   * are then taken from it instead of loading the dataset again — same bytes, no second copy in memory.
   */
  data?: Experiment;
}
import { weightImagesHtml } from "./weight-images.ts";

/**
 * The run page's sections about what the model learned: for a classifier its validation predictions
 * (confusion matrix, accuracy per class, most-confused pairs, the surest mistakes as images) and its
 * first layer's weights as images; for a regression the learned against the true parameters and
 * predicted against actual; for both, weight and gradient histograms per layer. A section whose file
 * is absent (an older run) says so in a sentence.
 */
export async function modelSectionsHtml(files: RunFiles, options: RunPageOptions = {}): Promise<string> {
  const config = runConfig(files);
  const { predictions, tensors } = files;
  const classNames = files.summary.data.classes;
  const histograms = `<section id="histograms"><h2>weights and gradients per layer</h2>${await histogramSectionHtml(tensors)}</section>`;
  if (classNames.length === 0) {
    const values = predictions?.kind === "values" ? predictions : null;
    return `<section id="regression"><h2>regression</h2>${await regressionSectionHtml(config, tensors, values)}</section>\n${histograms}`;
  }
  let validation: string;
  if (predictions === null) validation = "<p>predictions.csv is absent (a run from before predictions were saved), so there is no confusion matrix and no misclassified digits.</p>";
  else if (predictions.kind !== "classes") validation = "<p>predictions.csv holds regression targets, but this run is a classifier.</p>";
  else {
    const gallery = digitGalleryHtml(predictions, classNames, () => (options.data ? { value: options.data } : runData(files, config)));
    validation = `${await confusionSectionHtml(predictions, classNames)}\n<h3>the ${WORST_DIGITS} most confidently wrong validation examples</h3>\n${gallery}`;
  }
  return `<section id="predictions"><h2>validation predictions</h2>${validation}</section>
<section id="first-layer"><h2>first layer's weights</h2>${weightImagesHtml(tensors)}</section>
${histograms}`;
}

/** The CSS of these sections, added to the run page's STYLE. */
export const SECTIONS_STYLE = `
h3 { font-size: 1em; margin: 1em 0 0.3em; }
main section .chart { vertical-align: top; }
.gallery { display: flex; flex-wrap: wrap; gap: 6px; }
.gallery img { image-rendering: pixelated; display: block; border: 1px solid #ddd; }
.digit { width: 104px; } .digit img { margin: 0 auto; }
.digit, .unit { margin: 0; font-size: 11px; text-align: center; color: #444; }
.unit img + img { margin-top: 2px; }
table.numbers td:not(:first-child) { text-align: right; font-variant-numeric: tabular-nums; }
`;
