/**
 * Colours for what is drawn on canvas (charts), read from VS Code's theme variables at run time, so dark,
 * light and high-contrast themes all apply. VS Code swaps the body class when the theme changes; we listen.
 */
export interface ChartColors {
  train: string;
  test: string;
  validation: string;
  /** One colour per run in the compare view, in order. */
  series: string[];
  text: string;
  grid: string;
  font: string;
}

let probe: CanvasRenderingContext2D | null | undefined;

/**
 * A CSS colour without its transparency, as `#rrggbb` or `rgb(r, g, b)`. Recent VS Code themes derive
 * charts.orange from the find-match highlight, a translucent #EA5C0055: drawn as it is, a line, a swatch or a
 * weight picture in it is too faint to read against the editor background.
 */
export function opaque(css: string): string {
  probe ??= document.createElement('canvas').getContext('2d');
  if (!probe) return css;
  // The canvas normalises any colour syntax: #rrggbb when opaque, rgba(r, g, b, a) otherwise.
  probe.fillStyle = '#000000';
  probe.fillStyle = css;
  const value = String(probe.fillStyle);
  const rgba = /^rgba\((\d+),\s*(\d+),\s*(\d+),\s*[\d.]+\)$/.exec(value);
  return rgba ? `rgb(${rgba[1]}, ${rgba[2]}, ${rgba[3]})` : value;
}

function cssVar(style: CSSStyleDeclaration, name: string, fallback: string): string {
  const value = style.getPropertyValue(name).trim();
  return value.length > 0 ? value : fallback;
}

/** A theme colour to draw with: the variable's value made opaque, or the fallback. */
function drawColor(style: CSSStyleDeclaration, name: string, fallback: string): string {
  return opaque(cssVar(style, name, fallback));
}

export function chartColors(): ChartColors {
  const style = getComputedStyle(document.body);
  const highContrast = document.body.classList.contains('vscode-high-contrast') || document.body.classList.contains('vscode-high-contrast-light');
  const text = cssVar(style, '--vscode-foreground', '#cccccc');
  return {
    train: drawColor(style, '--vscode-charts-blue', '#3794ff'),
    test: drawColor(style, '--vscode-charts-orange', '#d18616'),
    validation: drawColor(style, '--vscode-charts-purple', '#b180d7'),
    series: [
      drawColor(style, '--vscode-charts-blue', '#3794ff'),
      drawColor(style, '--vscode-charts-orange', '#d18616'),
      drawColor(style, '--vscode-charts-green', '#89d185'),
      drawColor(style, '--vscode-charts-purple', '#b180d7'),
      drawColor(style, '--vscode-charts-red', '#f14c4c'),
      drawColor(style, '--vscode-charts-yellow', '#cca700'),
    ],
    text,
    grid: highContrast ? cssVar(style, '--vscode-contrastBorder', text) : cssVar(style, '--vscode-charts-lines', 'rgba(128,128,128,0.35)'),
    font: cssVar(style, '--vscode-font-family', 'sans-serif'),
  };
}

/** Calls `onChange` when VS Code switches the colour theme (it rewrites the body's class list). */
export function watchTheme(onChange: () => void): () => void {
  const observer = new MutationObserver(() => onChange());
  observer.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
  return () => observer.disconnect();
}
