// worker entry (placeholder until the worker lands)
export {};
