/**
 * The epoch slider each epoch view carries: a native range input (arrow keys, Page Up/Down, Home/End; the
 * screen reader hears "Epoch 3 of 10" through aria-valuetext), the same words beside it, and Play/Pause.
 * Every slider follows the one shared EpochSelection; none is rebuilt while the user moves it.
 */
import * as l10n from '@vscode/l10n';
import { h } from './dom';
import type { ViewContext } from './viewContext';

/** The slider for the view `id` (unique per view, for its label and focus), or null while fewer than two epochs are held. */
export function epochSlider(ctx: ViewContext, id: string): HTMLElement | null {
  const { s, epoch: selection, state } = ctx;
  if (selection.epochs.length < 2) return null;
  const total = Math.max(state.params.epochs, ...selection.epochs);
  const inputId = `epoch-slider-${id}`;
  const input = h('input', { className: 'epoch-range', attrs: { type: 'range', id: inputId, min: 0, step: 1, 'data-focus-key': inputId } });
  const readout = h('output', { className: 'epoch-readout', attrs: { for: inputId, 'aria-hidden': 'true' } });
  const play = h('button', { className: 'secondary epoch-play', attrs: { type: 'button', 'data-focus-key': `epoch-play-${id}` } });
  const sync = () => {
    const epochs = selection.epochs;
    const current = selection.current ?? epochs[epochs.length - 1];
    const text = l10n.t('Epoch {0} of {1}', s.int(current), s.int(total));
    input.max = String(epochs.length - 1);
    input.value = String(Math.max(0, epochs.indexOf(current)));
    input.setAttribute('aria-valuetext', text);
    readout.textContent = text;
    play.textContent = selection.playing ? `⏸ ${l10n.t('Pause')}` : `▶ ${l10n.t('Play')}`;
  };
  input.addEventListener('input', () => {
    selection.pause();
    selection.choose(selection.epochs[Number(input.value)]);
    sync();
  });
  play.addEventListener('click', () => (selection.playing ? selection.pause() : selection.play()));
  const group = h('div', { className: 'epoch-slider', attrs: { role: 'group', 'aria-label': l10n.t('Choose the epoch to show') } }, [
    play,
    h('label', { text: l10n.t('Epoch'), attrs: { for: inputId } }),
    input,
    readout,
  ]);
  sync();
  selection.watch(group, sync);
  return group;
}
