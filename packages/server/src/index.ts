export * from './app.js';
export * from './config.js';
export * from './main.js';
export * from './bootstrap.js';
export * from './events/action-bus.js';
export { createApplication, hashSecret, verifySecret } from './auth/index.js';
export type { Caller, CordonRouteConfig, RateFamily } from './plugins/caller.js';
