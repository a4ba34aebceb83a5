/** The commands the manifest contributes (package.json `contributes.commands`), by what they do. */
export const COMMANDS = {
  train: 'fashionMnist.train',
  stop: 'fashionMnist.stop',
  openDashboard: 'fashionMnist.openDashboard',
  classifyImage: 'fashionMnist.classifyImage',
  exportModel: 'fashionMnist.exportModel',
  importModel: 'fashionMnist.importModel',
  runsRefresh: 'fashionMnist.runs.refresh',
  runsOpen: 'fashionMnist.runs.open',
  runsCompare: 'fashionMnist.runs.compare',
  runsRerun: 'fashionMnist.runs.rerun',
  runsPin: 'fashionMnist.runs.pin',
  runsUnpin: 'fashionMnist.runs.unpin',
  runsDelete: 'fashionMnist.runs.delete',
  runsExportNotebook: 'fashionMnist.runs.exportNotebook',
  /** Registered by host/nativeBackendSetup.ts. */
  setUpNativeBackend: 'fashionMnist.setUpNativeBackend',
  exportNotebook: 'fashionMnist.exportNotebook',
  getData: 'fashionMnist.getData',
  showOverfitting: 'fashionMnist.showOverfitting',
  showPredictions: 'fashionMnist.showPredictions',
  showModel: 'fashionMnist.showModel',
} as const;
