/** The prose of a sweep's notebook, in the user's language (the tutorial's own headings come from notebookStrings.ts). */
import { t } from '../text/l10n';

export interface SweepNotebookStrings {
  title: string;
  intro: string;
  /** {0} sweep id, {1} date, {2} trials, {3} grid points. */
  facts: string;
  alternativesHeading: string;
  colParameter: string;
  colAlternatives: string;
  pruneText: string;
  gridHeading: string;
  gridText: string;
  loopHeading: string;
  loopText: string;
  /** {0} trial number, {1} its configuration, {2} monitored metric, {3} its value, {4} epoch. */
  bestText: string;
  nextText: string;
}

export function sweepNotebookStrings(): SweepNotebookStrings {
  return {
    title: t('Fashion-MNIST: a hyper-parameter sweep, as run in VS Code'),
    intro: t('This notebook repeats a sweep of the Fashion-MNIST Trainer extension in TensorFlow/Keras: one model per configuration of the alternatives below, each trained and judged by the monitored metric. The outputs are the sweep\'s own results (trained with TensorFlow.js); running the cells again trains every configuration anew, and the numbers come out close to these, not identical.'),
    facts: t('Sweep {0} of {1}: {2} trials of a grid of {3} configurations.'),
    alternativesHeading: t('The alternatives'),
    colParameter: t('Setting'),
    colAlternatives: t('Alternatives'),
    pruneText: t('The sweep pruned: after each epoch, a trial whose best value so far was worse than the median of the other trials at that epoch was stopped, once two of them had reached it (Optuna\'s median rule). The loop below does the same with a Keras callback.'),
    gridHeading: t('The grid'),
    gridText: t('The settings every trial shares, the alternatives, and their product: one configuration per trial, in the order the sweep ran them. build_model makes the network of one configuration.'),
    loopHeading: t('Train one model per configuration'),
    loopText: t('Each configuration gets a fresh model with the same seed, is trained quietly, and is judged by its best epoch; the ranking follows.'),
    bestText: t('The best was trial {0}, {1}: {2} {3} at epoch {4}.'),
    nextText: t('Train the best configuration on all the training images (set its values in the tutorial\'s notebook, or re-run it from the extension), or narrow the grid around it and sweep again.'),
  };
}
