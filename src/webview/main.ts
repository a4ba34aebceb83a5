// webview entry (placeholder until the dashboard lands)
export {};
