/**
 * The colours VS Code gives a webview, as its `--vscode-*` variables, in the dark, light and high-contrast
 * themes (the values of VS Code's default themes), and the body class VS Code sets for each.
 */
export type ThemeName = 'dark' | 'light' | 'hc';

export const THEMES: Record<ThemeName, { bodyClass: string; vars: Record<string, string> }> = {
  dark: {
    bodyClass: 'vscode-dark',
    vars: {
      'font-family': 'system-ui, "Segoe UI", Ubuntu, sans-serif', 'font-size': '13px', 'editor-font-family': 'monospace', 'editor-font-size': '13px',
      foreground: '#cccccc', 'editor-background': '#1f1f1f', 'editor-foreground': '#cccccc', descriptionForeground: '#9d9d9d',
      'editorWidget-background': '#202020', 'panel-border': '#2b2b2b', focusBorder: '#0078d4',
      'button-background': '#0078d4', 'button-foreground': '#ffffff', 'button-hoverBackground': '#026ec1',
      'button-secondaryBackground': '#313131', 'button-secondaryForeground': '#cccccc', 'button-secondaryHoverBackground': '#3c3c3c',
      'input-background': '#313131', 'input-foreground': '#cccccc', 'input-border': '#3c3c3c',
      'dropdown-background': '#313131', 'dropdown-foreground': '#cccccc', 'dropdown-border': '#3c3c3c',
      'textCodeBlock-background': '#2b2b2b', 'progressBar-background': '#0078d4',
      'charts-foreground': '#cccccc', 'charts-lines': 'rgba(204,204,204,0.25)', 'charts-blue': '#3794ff', 'charts-orange': '#d18616',
      'charts-red': '#f14c4c', 'charts-green': '#89d185', 'testing-iconPassed': '#73c991', 'testing-iconFailed': '#f14c4c',
      errorForeground: '#f85149', 'list-warningForeground': '#cca700',
      'editorWarning-foreground': '#cca700', 'inputValidation-errorBackground': '#5a1d1d', 'inputValidation-errorBorder': '#be1100',
      'inputValidation-warningBackground': '#352a05', 'inputValidation-warningBorder': '#b89500',
      'list-hoverBackground': '#2a2d2e', 'list-inactiveSelectionBackground': '#37373d',
    },
  },
  light: {
    bodyClass: 'vscode-light',
    vars: {
      'font-family': 'system-ui, "Segoe UI", Ubuntu, sans-serif', 'font-size': '13px', 'editor-font-family': 'monospace', 'editor-font-size': '13px',
      foreground: '#3b3b3b', 'editor-background': '#ffffff', 'editor-foreground': '#3b3b3b', descriptionForeground: '#616161',
      'editorWidget-background': '#f8f8f8', 'panel-border': '#e5e5e5', focusBorder: '#005fb8',
      'button-background': '#005fb8', 'button-foreground': '#ffffff', 'button-hoverBackground': '#0258a8',
      'button-secondaryBackground': '#e5e5e5', 'button-secondaryForeground': '#3b3b3b', 'button-secondaryHoverBackground': '#cccccc',
      'input-background': '#ffffff', 'input-foreground': '#3b3b3b', 'input-border': '#cecece',
      'dropdown-background': '#ffffff', 'dropdown-foreground': '#3b3b3b', 'dropdown-border': '#cecece',
      'textCodeBlock-background': '#f0f0f0', 'progressBar-background': '#005fb8',
      'charts-foreground': '#616161', 'charts-lines': 'rgba(97,97,97,0.25)', 'charts-blue': '#1a85ff', 'charts-orange': '#c25700',
      'charts-red': '#e51400', 'charts-green': '#388a34', 'testing-iconPassed': '#73c991', 'testing-iconFailed': '#f14c4c',
      errorForeground: '#a1260d', 'list-warningForeground': '#855f00',
      'editorWarning-foreground': '#bf8803', 'inputValidation-errorBackground': '#f2dede', 'inputValidation-errorBorder': '#be1100',
      'inputValidation-warningBackground': '#f6f5d2', 'inputValidation-warningBorder': '#b89500',
      'list-hoverBackground': '#f2f2f2', 'list-inactiveSelectionBackground': '#e4e6f1',
    },
  },
  hc: {
    bodyClass: 'vscode-high-contrast',
    vars: {
      'font-family': 'system-ui, "Segoe UI", Ubuntu, sans-serif', 'font-size': '13px', 'editor-font-family': 'monospace', 'editor-font-size': '13px',
      foreground: '#ffffff', 'editor-background': '#000000', 'editor-foreground': '#ffffff', descriptionForeground: '#ffffff',
      'editorWidget-background': '#0c141f', 'panel-border': '#6fc3df', focusBorder: '#f38518', contrastBorder: '#6fc3df', contrastActiveBorder: '#f38518',
      'button-background': '#000000', 'button-foreground': '#ffffff', 'button-border': '#6fc3df',
      'button-secondaryBackground': '#000000', 'button-secondaryForeground': '#ffffff',
      'input-background': '#000000', 'input-foreground': '#ffffff', 'input-border': '#6fc3df',
      'dropdown-background': '#000000', 'dropdown-foreground': '#ffffff', 'dropdown-border': '#6fc3df',
      'textCodeBlock-background': '#000000', 'progressBar-background': '#6fc3df',
      'charts-foreground': '#ffffff', 'charts-lines': '#ffffff', 'charts-blue': '#3794ff', 'charts-orange': '#d18616',
      'charts-red': '#f48771', 'charts-green': '#89d185', 'testing-iconPassed': '#73c991', 'testing-iconFailed': '#f14c4c',
      errorForeground: '#f48771', 'list-warningForeground': '#cca700',
      'editorWarning-foreground': '#ffd370', 'inputValidation-errorBackground': '#000000', 'inputValidation-errorBorder': '#f48771',
      'inputValidation-warningBackground': '#000000', 'inputValidation-warningBorder': '#ffd370',
    },
  },
};

/** The theme the query names, dark unless it names another. */
export function themeNamed(name: string | null): ThemeName {
  return name === 'light' || name === 'hc' ? name : 'dark';
}

/** VS Code's `--vscode-*` variables of the theme, as the page's stylesheet. */
export function themeCss(name: ThemeName): string {
  const theme = THEMES[name];
  const vars = Object.entries(theme.vars).map(([k, v]) => `  --vscode-${k}: ${v};`).join('\n');
  return `html {\n${vars}\n}\n`;
}
