/**
 * The prose of an exported notebook, in the user's language: the host (after shareHostBundleWithCore) and
 * the CLI (after configureLocale) both localize through core's `t()`. The notebook builder takes these as
 * data, so it stays a pure function and its tests can hand it any language.
 */
import { localizedClassNames } from '../text/format';
import type { ChartStrings } from './charts';
import { t } from '../text/l10n';

export interface NotebookStrings {
  title: string;
  intro: string;
  /** {0} date, {1} backend. */
  runFacts: string;
  settingsHeading: string;
  colSetting: string;
  colValue: string;
  settingEpochs: string;
  settingBatchSize: string;
  settingLearningRate: string;
  settingConv: string;
  settingLayers: string;
  settingDropout: string;
  settingL2: string;
  settingValidation: string;
  /** {0} split as a percentage. */
  validationSplit: string;
  validationTest: string;
  /** {0} monitor, {1} patience. */
  settingEarlyStopping: string;
  settingRestoreBest: string;
  settingRestoreBestOnly: string;
  settingImages: string;
  none: string;
  setupHeading: string;
  setupText: string;
  dataHeading: string;
  dataText: string;
  colLabel: string;
  colClass: string;
  preprocessHeading: string;
  preprocessText: string;
  modelHeading: string;
  modelText: string;
  trainHeading: string;
  trainText: string;
  noHistory: string;
  chartsHeading: string;
  chartsText: string;
  evaluateHeading: string;
  evaluateText: string;
  /** {0} training accuracy, {1} test accuracy, {2} gap in points. */
  overfittingGap: string;
  predictHeading: string;
  predictText: string;
  confusionHeading: string;
  confusionText: string;
  notRecorded: string;
  nextHeading: string;
  nextText: string;
  /** Names of the ten classes in the user's language. */
  classNames: string[];
  /** The words on the charts. */
  chart: ChartStrings;
}

export function notebookStrings(): NotebookStrings {
  return {
    title: t('Fashion-MNIST: basic classification, as trained in VS Code'),
    intro: t('This notebook repeats one run of the Fashion-MNIST Trainer extension in TensorFlow/Keras. The outputs below are that run\'s own results (trained with TensorFlow.js); running the cells again trains the same model with the same settings, and the numbers come out close to these, not identical.'),
    runFacts: t('Run of {0}, trained on the {1} backend.'),
    settingsHeading: t('Settings of this run'),
    colSetting: t('Setting'),
    colValue: t('Value'),
    settingEpochs: t('Epochs'),
    settingBatchSize: t('Batch size'),
    settingLearningRate: t('Learning rate (Adam)'),
    settingConv: t('Conv blocks (filters:kernel, each Conv2D + 2 x 2 MaxPooling2D)'),
    settingLayers: t('Hidden layers (ReLU units)'),
    settingDropout: t('Dropout after each hidden layer'),
    settingL2: t('L2 weight penalty'),
    settingValidation: t('Validation'),
    validationSplit: t('{0} of the training images held out'),
    validationTest: t('the test set, after every epoch'),
    settingEarlyStopping: t('Early stopping: watches {0}, patience {1} epochs'),
    settingRestoreBest: t('The model ends with the weights of the best epoch (restore_best_weights).'),
    settingRestoreBestOnly: t('No early stopping; the model ends with the weights of the best epoch by {0} (restore_best_weights).'),
    settingImages: t('Images (training / test)'),
    none: t('none'),
    setupHeading: t('Set up'),
    setupText: t('TensorFlow with its Keras API, NumPy and matplotlib.'),
    dataHeading: t('Import the Fashion-MNIST dataset'),
    dataText: t('60,000 grayscale pictures of clothing train the network and 10,000 more test it; each is 28 × 28 pixels and belongs to one of 10 classes:'),
    colLabel: t('Label'),
    colClass: t('Class'),
    preprocessHeading: t('Preprocess the data'),
    preprocessText: t('Pixel values run from 0 to 255; dividing by 255 scales them to 0 to 1, the same way for the training and the test images.'),
    modelHeading: t('Build and compile the model'),
    modelText: t('Flatten unrolls each image into 784 numbers, the Dense layers learn from them, and the last Dense layer gives one probability per class. Adam adjusts the weights to reduce the sparse categorical cross-entropy.'),
    trainHeading: t('Train the model'),
    trainText: t('Each epoch is one pass over the training images. The log shows the loss and accuracy on the training images and on the validation images (val_).'),
    noHistory: t('This run\'s per-epoch metrics were not recorded where it was exported from, so the cell has no output yet; run it to see them.'),
    chartsHeading: t('Accuracy and loss per epoch'),
    chartsText: t('Training (solid line, discs) against validation (dashed line, squares). When training accuracy keeps rising while validation accuracy stays flat or falls, the model is over-fitting: it learns the training images rather than clothing in general.'),
    evaluateHeading: t('Evaluate accuracy'),
    evaluateText: t('How well the model classifies the 10,000 test images it has never seen.'),
    overfittingGap: t('Training accuracy {0}, test accuracy {1}: a gap of {2} points.'),
    predictHeading: t('Make predictions'),
    predictText: t('The model gives each test image ten probabilities, one per class; the largest (argmax) is its prediction. Here are test image 0\'s.'),
    confusionHeading: t('Confusion matrix'),
    confusionText: t('Rows are the true classes, columns the predicted ones (numbered as in the table above); the diagonal counts the correct answers.'),
    notRecorded: t('Not recorded for this run; run the cell to compute it.'),
    nextHeading: t('Next steps'),
    nextText: t('Change a setting in the code cells (the hidden units, the epochs, a Dropout layer) and run the notebook again to compare with the results above.'),
    classNames: localizedClassNames(),
    chart: chartStrings(),
  };
}

/** The words on the exported charts (the notebook's, and the dashboard's saved pictures). */
export function chartStrings(): ChartStrings {
  return {
    epoch: t('Epoch'),
    accuracy: t('Accuracy'),
    loss: t('Loss'),
    training: t('Training'),
    validation: t('Validation'),
    test: t('Test'),
    accuracyTitle: t('Accuracy per epoch'),
    lossTitle: t('Loss per epoch'),
    confusionTitle: t('Confusion matrix'),
    predicted: t('Predicted class'),
    truth: t('True class'),
  };
}
