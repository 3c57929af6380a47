export { runAgent, ensureIdentity, type RunningAgent } from './main.js';
export { loadAgentConfig, AgentConfigError, type AgentConfig } from './config.js';
export { createLogger, type AgentLogger } from './log.js';
export { addAgentOptions, runAgentCommand, OFFBOARDED_EXIT_CODE, OFFBOARDED_MARKER, type AgentCommandOptions } from './cli-options.js';
export { AGENT_VERSION } from './device-info.js';
export { LIVE_CONSOLE_CAPABILITY } from './main.js';
export { LiveConsoleManager, type LiveConsoleDeps } from './live-console/session-manager.js';
