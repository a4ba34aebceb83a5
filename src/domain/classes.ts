/** The dataset's facts: its ten classes in label order and the image size. */
/** Class index -> canonical English name, in the dataset's label order. Localized names come from l10n. */
export const CLASS_NAMES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
] as const;

export const NUM_CLASSES = 10;

export const IMAGE_SIZE = 28;

export const PIXELS = IMAGE_SIZE * IMAGE_SIZE;

/** The published training set's size: 60,000 images. */
export const TRAIN_IMAGES = 60_000;

/** The published test set's size: 10,000 images (an index outside 0..9,999 names none). */
export const TEST_IMAGES = 10_000;
