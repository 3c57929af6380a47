export * from './app.js';
export * from './config.js';
export * from './main.js';
export * from './bootstrap.js';
export type { Caller, CordonRouteConfig, RateFamily } from './plugins/caller.js';
