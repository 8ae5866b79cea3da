// State shared between panels: the training lab and the backprop explorer work on one
// network and one data set, so both get the same TrainingLab (created on first use).

import { TrainingLab } from "./pkg/backprop_lab.js";

let lab = null;

export function sharedLab() {
  lab ??= new TrainingLab();
  return lab;
}
