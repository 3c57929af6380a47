/**
 * What happens when an action changes: its machine effect (written with the final status by
 * ActionService), scan alerts, investigation steps (subscribers of ActionChangeSource) and the
 * folding of live response command reports.
 */
export * from './machine-effects.js';
export * from './command-reports.js';
export * from './scan-alerts.js';
export * from './investigation-steps.js';
