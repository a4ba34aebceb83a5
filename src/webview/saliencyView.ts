/**
 * A saliency map beside a picture: the worker's gradient × input on the same diverging scale as the first
 * layer's weights (blue raised the predicted class's probability, orange lowered it), with its legend and scale.
 */
import * as l10n from '@vscode/l10n';
import { IMAGE_SIZE, PIXELS } from '../domain/classes';
import type { SaliencyMap } from '../domain/firstLayer';
import type { UserError } from '../domain/errors';
import { h } from './dom';
import { colourAt, legend, themeScale } from './divergingScale';
import type { Strings } from './strings';

export function saliencyView(s: Strings, saliency: SaliencyMap | undefined, error: UserError | undefined): HTMLElement {
  if (!saliency) return h('p', { className: 'hint saliency', text: l10n.t('No saliency map: {0}', error?.message ?? '') });
  const scale = themeScale();
  const canvas = document.createElement('canvas');
  canvas.width = IMAGE_SIZE;
  canvas.height = IMAGE_SIZE;
  canvas.className = 'pixel-image saliency-image loaded';
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', l10n.t('Saliency map: which pixels raised or lowered the probability of {0}', s.className(saliency.predicted)));
  const context = canvas.getContext('2d');
  if (context) {
    const image = context.createImageData(IMAGE_SIZE, IMAGE_SIZE);
    for (let p = 0; p < PIXELS; p++) image.data.set([...colourAt(scale, saliency.scale > 0 ? saliency.values[p] / saliency.scale : 0), 255], p * 4);
    context.putImageData(image, 0, 0);
  }
  const max = s.fixed(saliency.scale, 4);
  return h('figure', { className: 'saliency' }, [
    h('figcaption', { className: 'saliency-title', text: l10n.t('Why this prediction') }),
    canvas,
    h('div', { className: 'weight-legend' }, [
      legend(scale),
      h('div', { className: 'weight-legend-labels', attrs: { 'aria-hidden': 'true' } }, [h('span', { text: `−${max}` }), h('span', { text: '0' }), h('span', { text: `+${max}` })]),
    ]),
    h('p', { className: 'hint', text: l10n.t('Gradient × input of the probability of {0} under the saved model: blue pixels raised it, orange ones lowered it (scale ±{1}).', s.className(saliency.predicted), max) }),
  ]);
}
