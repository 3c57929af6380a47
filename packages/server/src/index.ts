export * from './app.js';
export * from './services.js';
export * from './system.js';
export * from './config.js';
export * from './main.js';
export * from './bootstrap.js';
export * from './events/action-bus.js';
export { createApplication, hashSecret, verifySecret } from './auth/index.js';
export type { Caller, CordonRouteConfig, RateFamily } from './caller.js';
export { wireDispatch } from './wire-dispatch.js';
export { issueOnboardingPackage } from './dispatch/onboarding-package.js';
export { createDispatcher, createOnboardingPackage, certFingerprint, enrollDevice, DeviceAuthenticator } from './dispatch/index.js';
export { createTlsFiles, loadTls } from './tls.js';
export * from './people/index.js';
export { buildAgentPackage, AgentPackageError, AGENT_PACKAGE_FORMATS, type AgentPackageFormat } from './agent-package/build.js';
export * from './admin.js';
/** The logger `cordon server` runs with, for processes that stand in for it (bench/api-queries.ts). */
export { loggerOptions } from './logging.js';
