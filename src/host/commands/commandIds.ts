/** The commands the manifest contributes (package.json `contributes.commands`), by what they do. */
export const COMMANDS = {
  train: 'fashionMnist.train',
  stop: 'fashionMnist.stop',
  openDashboard: 'fashionMnist.openDashboard',
  classifyImage: 'fashionMnist.classifyImage',
  exportModel: 'fashionMnist.exportModel',
  importModel: 'fashionMnist.importModel',
  /** Registered by host/nativeBackendSetup.ts. */
  setUpNativeBackend: 'fashionMnist.setUpNativeBackend',
  exportNotebook: 'fashionMnist.exportNotebook',
  getData: 'fashionMnist.getData',
  showOverfitting: 'fashionMnist.showOverfitting',
  showPredictions: 'fashionMnist.showPredictions',
  showModel: 'fashionMnist.showModel',
} as const;
