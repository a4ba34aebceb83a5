/**
 * "What the first layer learned", inside the model cell: every hidden unit's 784 weights drawn as a 28 × 28
 * picture on a diverging scale (theme blue for positive, theme orange for negative, the background for 0;
 * each unit on its own scale, which the legend states), redrawn after every epoch. Selecting a unit shows it
 * large with its legend, its weights into the next layer (for this model: which classes it pushes toward),
 * and the test images that excite it most. Every number is the worker's. For a conv network the view shows
 * its first Conv2D's filters instead (convFiltersView.ts).
 */
import * as l10n from '@vscode/l10n';
import { IMAGE_SIZE, NUM_CLASSES, PIXELS } from '../domain/classes';
import type { FirstLayerSnapshot } from '../domain/firstLayer';
import type { ConvFiltersSnapshot } from '../domain/convInsight';
import { convFiltersContent } from './convFiltersView';
import { h, replaceKeepingFocus, table } from './dom';
import { grayCanvas } from './pixels';
import { rovingFocus } from './rovingFocus';
import { colourAt, legend, themeScale, type Scale } from './divergingScale';
import type { ViewContext } from './viewContext';

/** Unit `u`'s weights as a picture on the diverging scale (each unit scaled to its own largest |weight|). */
function drawUnit(canvas: HTMLCanvasElement, layer: FirstLayerSnapshot, u: number, scale: Scale): void {
  const context = canvas.getContext('2d');
  if (!context) return;
  const image = context.createImageData(IMAGE_SIZE, IMAGE_SIZE);
  for (let p = 0; p < PIXELS; p++) {
    const [r, g, b] = colourAt(scale, layer.weights[p * layer.units + u] / 127);
    image.data.set([r, g, b, 255], p * 4);
  }
  context.putImageData(image, 0, 0);
  canvas.classList.add('loaded');
}

function unitCanvas(className: string): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = IMAGE_SIZE;
  canvas.height = IMAGE_SIZE;
  canvas.className = `pixel-image ${className}`;
  return canvas;
}


export class FirstLayerView {
  readonly element = h('section', { className: 'first-layer', attrs: { 'aria-labelledby': 'first-layer-title' } });
  private layer: FirstLayerSnapshot | undefined;
  private filters: ConvFiltersSnapshot | undefined;
  private selected = 0;
  private ctx: ViewContext | undefined;

  /** New weights (after an epoch): a Dense layer's, or a conv network's filters; neither: none yet (a new run). */
  setLayer(layer: FirstLayerSnapshot | undefined, filters?: ConvFiltersSnapshot): void {
    this.layer = layer;
    this.filters = filters;
    const count = filters?.filters ?? layer?.units;
    if (count !== undefined && this.selected >= count) this.selected = 0;
    this.render();
  }

  /** VS Code switched the colour theme: the pictures are drawn on the new theme's scale. */
  applyTheme(): void {
    this.render();
  }

  /** Draws into a (re)built dashboard's context. */
  attach(ctx: ViewContext): HTMLElement {
    this.ctx = ctx;
    this.render();
    return this.element;
  }

  private render(): void {
    const ctx = this.ctx;
    if (!ctx) return;
    const { s } = ctx;
    const layer = this.layer;
    const title = h('h3', { text: l10n.t('What the first layer learned'), attrs: { id: 'first-layer-title' } });
    if (this.filters) {
      replaceKeepingFocus(this.element, [title, ...convFiltersContent(s, this.filters, this.selected, themeScale(), (f) => this.select(f))]);
      return;
    }
    if (!layer) {
      replaceKeepingFocus(this.element, [title, h('p', { className: 'waiting', text: l10n.t('The weights appear after the first epoch.') })]);
      return;
    }
    const scale = themeScale();
    const buttons = Array.from({ length: layer.units }, (_, u) => {
      const canvas = unitCanvas('unit-image');
      drawUnit(canvas, layer, u, scale);
      const button = h('button', {
        className: 'unit',
        attrs: { type: 'button', 'aria-label': l10n.t('Unit {0}', u), 'aria-pressed': u === this.selected ? 'true' : 'false', 'data-focus-key': `unit-${u}` },
        on: { click: () => this.select(u) },
      }, [canvas]);
      return button;
    });
    const grid = h('div', { className: 'unit-grid', attrs: { role: 'group', 'aria-label': l10n.t('Hidden units of the first Dense layer') } }, buttons);
    rovingFocus(grid, buttons, () => Math.max(1, Math.round(grid.clientWidth / 46) || 16), this.selected);
    replaceKeepingFocus(this.element, [
      title,
      h('p', { className: 'cell-explain', text: l10n.t('Each picture shows one hidden unit’s 784 weights as a 28 × 28 image: blue where a bright pixel raises the unit’s activation, orange where it lowers it. Weights after epoch {0}; select a unit to see more.', s.int(layer.epoch)) }),
      h('div', { className: 'first-layer-body' }, [grid, this.unitDetail(ctx, layer, scale)]),
    ]);
  }

  private select(u: number): void {
    this.selected = u;
    this.render();
  }

  private unitDetail(ctx: ViewContext, layer: FirstLayerSnapshot, scale: Scale): HTMLElement {
    const { s, images } = ctx;
    const u = this.selected;
    const big = unitCanvas('unit-large');
    drawUnit(big, layer, u, scale);
    big.setAttribute('role', 'img');
    const max = s.fixed(layer.unitScale[u], 3);
    big.setAttribute('aria-label', l10n.t('Colour scale of unit {0}: orange −{1}, background 0, blue +{1}', u, max));
    const row = Array.from({ length: layer.nextUnits }, (_, j) => ({ j, w: layer.next[u * layer.nextUnits + j] })).sort((a, b) => b.w - a.w);
    const name = (j: number) => (layer.nextIsClasses && layer.nextUnits === NUM_CLASSES ? s.className(j) : l10n.t('Unit {0}', j));
    const tops = Array.from(layer.topImages.subarray(u * layer.topK, (u + 1) * layer.topK));
    const topCanvases = tops.map((index) => {
      const canvas = grayCanvas(undefined, 0, 'pixel-image unit-top');
      canvas.setAttribute('role', 'img');
      canvas.setAttribute('aria-label', l10n.t('Test image {0}:', index));
      images.drawInto(index, canvas);
      return canvas;
    });
    images.request(tops);
    return h('div', { className: 'unit-detail' }, [
      h('h4', { text: l10n.t('Unit {0}', u) }),
      h('div', { className: 'unit-picture' }, [
        big,
        h('div', { className: 'weight-legend' }, [
          legend(scale),
          h('div', { className: 'weight-legend-labels', attrs: { 'aria-hidden': 'true' } }, [h('span', { text: `−${max}` }), h('span', { text: '0' }), h('span', { text: `+${max}` })]),
          h('p', { className: 'visually-hidden', text: l10n.t('Colour scale of unit {0}: orange −{1}, background 0, blue +{1}', u, max) }),
        ]),
      ]),
      table(layer.nextIsClasses ? l10n.t('Classes it pushes toward (its weights into the output layer)') : l10n.t('Its weights into the next layer’s units'), [layer.nextIsClasses ? l10n.t('Class') : l10n.t('Next unit'), l10n.t('Weight')],
        row.slice(0, layer.nextIsClasses ? NUM_CLASSES : 10).map(({ j, w }) => [name(j), `${w >= 0 ? '+' : '−'}${s.fixed(Math.abs(w), 3)}`]), 'data-table unit-next', [1]),
      h('p', { className: 'unit-top-title', text: l10n.t('Test images that excite it most') }),
      h('div', { className: 'unit-tops' }, topCanvases),
    ]);
  }
}
