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

function cssVar(style: CSSStyleDeclaration, name: string, fallback: string): string {
  const value = style.getPropertyValue(name).trim();
  return value.length > 0 ? value : fallback;
}

export function chartColors(): ChartColors {
  const style = getComputedStyle(document.body);
  const highContrast = document.body.classList.contains('vscode-high-contrast') || document.body.classList.contains('vscode-high-contrast-light');
  const text = cssVar(style, '--vscode-foreground', '#cccccc');
  return {
    train: cssVar(style, '--vscode-charts-blue', '#3794ff'),
    test: cssVar(style, '--vscode-charts-orange', '#d18616'),
    validation: cssVar(style, '--vscode-charts-purple', '#b180d7'),
    series: [
      cssVar(style, '--vscode-charts-blue', '#3794ff'),
      cssVar(style, '--vscode-charts-orange', '#d18616'),
      cssVar(style, '--vscode-charts-green', '#89d185'),
      cssVar(style, '--vscode-charts-purple', '#b180d7'),
      cssVar(style, '--vscode-charts-red', '#f14c4c'),
      cssVar(style, '--vscode-charts-yellow', '#cca700'),
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
