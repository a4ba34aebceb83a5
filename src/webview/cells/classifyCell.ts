/**
 * The Classify cell (shown once a classification exists): per file, the original thumbnail, the 28x28
 * input the model sees, the top class and all 10 probabilities, with visible warnings.
 */
import * as l10n from '@vscode/l10n';
import type { ClassificationResult } from '../../domain/classification';
import * as code from '../codeSnippets';
import { h } from '../dom';
import { grayCanvas, rgbaCanvas } from '../pixels';
import { probabilityChart } from '../pinnedImages';
import { probabilityBars } from '../probabilityBars';
import { cellFrame, type ViewContext } from '../viewContext';

function baseName(file: string): string {
  const parts = file.split(/[\\/]/);
  return parts[parts.length - 1] || file;
}

function warning(text: string): HTMLElement {
  return h('p', { className: 'warning', attrs: { role: 'note' } }, [h('span', { className: 'warning-icon', text: '⚠ ', attrs: { 'aria-hidden': 'true' } }), h('span', { className: 'visually-hidden', text: `${l10n.t('Warning:')} ` }), text]);
}

function resultCard(ctx: ViewContext, result: ClassificationResult): HTMLElement {
  const { s } = ctx;
  const title = h('h3', { className: 'classify-file', text: baseName(result.file), attrs: { title: result.file } });
  if (!result.ok) {
    return h('article', { className: 'classify-result failed' }, [
      title,
      h('div', { className: 'error-box', attrs: { role: 'alert' } }, [
        h('p', { text: l10n.t('Could not classify {0}.', result.file) }),
        h('p', { text: result.error.message }),
        result.error.file ? h('p', { text: l10n.t('File: {0}', result.error.file) }) : null,
        result.error.action ? h('p', { text: l10n.t('What to do: {0}', result.error.action) }) : null,
        // No model yet: offer the one action that fixes it.
        result.error.code === 'NO_MODEL'
          ? h('button', { className: 'primary', text: l10n.t('Train now'), attrs: { type: 'button' }, on: { click: () => ctx.post({ type: 'train' }) } })
          : null,
      ]),
    ]);
  }
  const thumbnail = rgbaCanvas(result.thumbnail.width, result.thumbnail.height, result.thumbnail.rgba);
  thumbnail.setAttribute('role', 'img');
  thumbnail.setAttribute('aria-label', l10n.t('Original'));
  const input = grayCanvas(result.input, 0, 'pixel-image classify-input');
  input.setAttribute('role', 'img');
  input.setAttribute('aria-label', l10n.t('What the model sees (28 × 28)'));
  const top = result.probabilities[result.predicted] ?? 0;
  return h('article', { className: 'classify-result' }, [
    title,
    h('div', { className: 'classify-body' }, [
      h('figure', {}, [thumbnail, h('figcaption', { text: l10n.t('Original') })]),
      h('span', { className: 'range-arrow', text: '→', attrs: { 'aria-hidden': 'true' } }),
      h('figure', {}, [input, h('figcaption', { text: l10n.t('What the model sees (28 × 28)') })]),
      // Filled by the host's `saliency` answer (the saved model's gradient × input of this input).
      h('div', { className: 'saliency-slot', attrs: { 'data-file': result.file } }),
      h('div', { className: 'classify-verdict' }, [
        h('p', { className: 'big-number', text: l10n.t('Top class: {0} with {1}', s.className(result.predicted), s.percent(top)) }),
        ...result.warnings.map((w) => warning(w === 'lowConfidence' ? l10n.t('Low confidence: the top probability is below 50%, so treat this answer as a guess.') : w === 'softmaxApplied' ? l10n.t('The model outputs logits (its last layer has no softmax, as in the current TensorFlow tutorial), so a softmax was applied to turn them into these probabilities.') : l10n.t('This image looks unlike the Fashion-MNIST pictures (one garment, centred, on a plain background), so the answer may well be wrong.'))),
        result.inverted ? h('p', { className: 'note', text: l10n.t('The colours were inverted because the background was light: Fashion-MNIST garments are light on black.') }) : null,
      ]),
    ]),
    probabilityBars(s, result.probabilities, result.predicted),
    followView(ctx, result.file),
  ]);
}

/**
 * Follow this file across the epochs: a toggle, and once a run has trained with it followed, its ten
 * probabilities after each epoch (the class predicted after the last epoch drawn strong).
 */
function followView(ctx: ViewContext, file: string): HTMLElement {
  const { s } = ctx;
  const followed = (ctx.state.followedFiles ?? []).find((f) => f.file === file);
  const name = baseName(file);
  const toggle = h('button', {
    className: 'secondary small follow-toggle',
    // A toggle keeps its name; aria-pressed says whether it is on.
    text: l10n.t('Follow across epochs'),
    attrs: { type: 'button', 'aria-pressed': followed ? 'true' : 'false', 'data-focus-key': `follow-${file}` },
    on: { click: () => ctx.post({ type: 'setFilePin', file, pinned: !followed }) },
  });
  const parts: (HTMLElement | SVGSVGElement)[] = [toggle];
  if (followed && followed.epochs.length > 0) {
    const last = followed.probabilities[followed.probabilities.length - 1];
    const predicted = last.indexOf(Math.max(...last));
    const first = followed.probabilities[0][predicted];
    const summary = l10n.t('{0}: the probability of {1} went from {2} after epoch {3} to {4} after epoch {5}.', name, s.className(predicted), s.percent(first), s.int(followed.epochs[0]), s.percent(last[predicted]), s.int(followed.epochs[followed.epochs.length - 1]));
    parts.push(h('figure', { className: 'pin-figure follow-figure' }, [probabilityChart(followed.epochs, followed.probabilities, predicted, ctx.epoch.current), h('figcaption', { text: summary })]));
  } else if (followed) {
    parts.push(h('p', { className: 'hint', text: l10n.t('Followed: the next training run records its ten probabilities after every epoch.') }));
  }
  return h('div', { className: 'follow' }, parts);
}

export function classifyCell(ctx: ViewContext): HTMLElement | undefined {
  const { state } = ctx;
  const results = state.classifications;
  if (!results || results.length === 0) return undefined;
  const { section, output } = cellFrame('classify', l10n.t('Classify your own images'), l10n.t('Right-click an image in the Explorer and choose Classify with Fashion-MNIST Model. The image is turned into what the model expects: grayscale, 28 × 28, a light garment on black.'), code.classifyCode());
  output.append(
    h('div', { className: 'buttons' }, [h('button', { className: 'secondary', text: l10n.t('Classify image files…'), attrs: { type: 'button' }, on: { click: () => ctx.post({ type: 'classifyFiles' }) } })]),
    ...results.map((r) => resultCard(ctx, r)),
  );
  return section;
}
