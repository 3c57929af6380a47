/**
 * Composition root of the agent: config -> identity (enroll once) -> platform + executors ->
 * journal -> transport -> runner. The only place that constructs adapters.
 */
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ACTION_TYPES, AGENT_METHODS, AGENT_PROTOCOL_VERSION, type DispatchedAction, type HelloParams, type HelloResult, type LiveCommandParams, type OnboardingPackage } from '@cordon/protocol';
import type { AgentConfig } from './config.js';
import { publicKeyOf, privateKeyOf } from './crypto.js';
import { readDeviceInfo } from './device-info.js';
import { availableExecutors, createExecutorRegistry } from './executors/index.js';
import { createFakeExecutors } from './executors/fake/index.js';
import { createOffboardExecutor } from './executors/offboard/index.js';
import type { ActionExecutor, AgentSettings, ExecutorContext, ServerFiles } from './executors/types.js';
import { refreshIsolation } from './executors/isolate/isolation.js';
import { deviceSignatureSources } from './executors/run-antivirus-scan/builtin-signatures.js';
import { createRunAntivirusScanExecutor } from './executors/run-antivirus-scan/index.js';
import { deleteIdentity, enroll, loadIdentity, type AgentIdentity } from './identity.js';
import { KnownServers } from './known-servers.js';
import { createSettingsSaver, loadSavedSettings, settingsPath } from './saved-settings.js';
import { createLogger, type AgentLogger } from './log.js';
import type { Platform } from './platform/types.js';
import { readLogonUsers } from './platform/logons.js';
import { LiveConsoleManager } from './live-console/session-manager.js';
import { Runner } from './runner.js';
import { ActionJournal } from './state.js';
import { createLongPollTransport } from './transport/long-poll-transport.js';
import { createServerFiles } from './transport/server-files.js';
import { pinnedTlsOptions } from './transport/tls-pin.js';
import type { AgentTransport } from './transport/types.js';
import { createWebSocketTransport } from './transport/websocket-transport.js';

export interface RunningAgent {
  identity: AgentIdentity;
  /** Settles when the agent stops: `offboarded` after an Offboard, `stopped` after stop(). */
  done: Promise<'offboarded' | 'stopped'>;
  stop(): Promise<void>;
}

/** Enrolls if needed and returns the identity. */
export async function ensureIdentity(config: Readonly<AgentConfig>, log: AgentLogger): Promise<AgentIdentity> {
  const existing = await loadIdentity(config.stateDir);
  if (existing) return existing;
  if (!config.onboardingPath) throw new Error(`no identity in ${config.stateDir}: run once with --onboarding <onboarding.json>`);
  const pkg = JSON.parse(await readFile(config.onboardingPath, 'utf8')) as OnboardingPackage;
  await mkdir(config.stateDir, { recursive: true, mode: 0o700 });
  const identity = await enroll(pkg, readDeviceInfo(config.computerDnsName ? { computerDnsName: config.computerDnsName } : {}), config.stateDir);
  log.info({ machineId: identity.machineId, tenantId: identity.tenantId }, 'enrolled');
  return identity;
}

export async function runAgent(config: Readonly<AgentConfig>, log: AgentLogger = createLogger({ name: 'cordon-agent' })): Promise<RunningAgent> {
  const identity = await ensureIdentity(config, log);
  const { platform, executors } = await loadPlatform(config, log);
  const journal = await ActionJournal.open(config.stateDir);
  const interrupted = await journal.recoverAfterRestart();
  if (interrupted.length > 0) log.warn({ actions: interrupted.map((e) => e.id) }, 'actions interrupted by a restart will be reported as failed, not re-run');
  await journal.prune(Date.now());

  const key = privateKeyOf(identity.privateJwk);
  const tls = pinnedTlsOptions(identity.tlsCertPem, identity.tlsCertSha256);
  const transportOptions = { serverUrl: identity.serverUrl, machineId: identity.machineId, key, tls, backoff: { minMs: config.backoffMinMs, maxMs: config.backoffMaxMs }, log: (msg: string) => log.info({}, msg) };
  const transport: AgentTransport = config.transport === 'long-poll' ? createLongPollTransport(transportOptions) : createWebSocketTransport(transportOptions);

  // What the server last sent: restore below runs before the server is reached, maybe with it down.
  const saved = await loadSavedSettings(config.stateDir);
  const saveSettings = createSettingsSaver(config.stateDir, (err) => log.error({ err }, 'could not save the settings received'));
  let settings: AgentSettings = saved.settings;
  const servers = new KnownServers(identity.serverUrl);
  servers.update(saved.serverUrls);
  // Library downloads and result uploads over HTTP(S), signed as this device; results are bound to the running action.
  const filesFor = (actionId: string | undefined): ServerFiles => createServerFiles({ serverUrl: identity.serverUrl, machineId: identity.machineId, key, tls }, actionId);
  const files = filesFor(undefined);
  const baseContext = (signal: AbortSignal) => ({ signal, log, platform, files, now: () => Date.now(), stateDir: config.stateDir, settings, serverUrls: () => servers.urls() });
  // A server process appeared or went away: an isolated device's allow-list follows at once.
  const serversChanged = (advertised: unknown) => {
    if (!servers.update(advertised)) return;
    log.info({ serverUrls: servers.urls() }, 'server processes changed');
    refreshIsolation(baseContext(new AbortController().signal)).catch((err: unknown) => log.warn({ err }, 'isolation: refreshing the server addresses failed'));
  };
  /** The hello answer or a settings push: used by actions started from now on, and kept for the next start. */
  const received = (next: AgentSettings, serverUrls: unknown) => {
    settings = next;
    serversChanged(serverUrls);
    void saveSettings({ settings, serverUrls: [...servers.advertised()] });
  };
  for (const executor of executors.values()) {
    if (executor.restore) await executor.restore(baseContext(new AbortController().signal)).catch((err: unknown) => log.error({ err, type: executor.type }, 'restore failed'));
  }

  let resolveDone!: (v: 'offboarded' | 'stopped') => void;
  const done = new Promise<'offboarded' | 'stopped'>((r) => (resolveDone = r));
  let heartbeat: NodeJS.Timeout | undefined;
  let logonReports: NodeJS.Timeout | undefined;
  const stopTimers = () => {
    clearInterval(heartbeat);
    clearInterval(logonReports);
  };
  // A snapshot of who logged on, for GET /machines/{id}/logonusers. A server without the method
  // answers an error; the agent carries on without it.
  const reportLogons = async () => {
    if (config.logonRecordFiles.length === 0) return;
    try {
      await transport.request(AGENT_METHODS.logons.method, { users: await readLogonUsers(config.logonRecordFiles) });
    } catch (err) {
      log.warn({ err }, 'logon report failed');
    }
  };

  const actionKeys = new Map(identity.actionSigningKeys.map((k) => [k.keyId, publicKeyOf(k.publicKey)]));
  // Console sessions: commands verified with the action keys, run for real on this device.
  const liveConsole = new LiveConsoleManager({
    machineId: identity.machineId,
    keys: actionKeys,
    transport,
    platform,
    executorContext: (actionId, signal): ExecutorContext => ({ ...baseContext(signal), actionId: actionId ?? 'live-console', files: filesFor(actionId ?? undefined), log: log.child({ actionId }), progress: () => {} }),
    now: () => Date.now(),
    log,
  });
  const runner = new Runner({
    machineId: identity.machineId,
    keys: actionKeys,
    journal,
    executors,
    transport,
    context: (actionId, signal, progress): ExecutorContext => ({ ...baseContext(signal), actionId, files: filesFor(actionId), log: log.child({ actionId }), progress }),
    now: () => Date.now(),
    log,
    async onOffboarded() {
      log.warn({ machineId: identity.machineId }, 'offboarded: deleting identity and stopping');
      stopTimers();
      liveConsole.stopAll();
      await transport.stop();
      await deleteIdentity(config.stateDir);
      await rm(join(config.stateDir, 'journal.json'), { force: true });
      await rm(settingsPath(config.stateDir), { force: true });
      resolveDone('offboarded');
    },
  });

  const helloParams = async (): Promise<HelloParams> => {
    const info = readDeviceInfo(config.computerDnsName ? { computerDnsName: config.computerDnsName } : {});
    const params: HelloParams = { ...info, protocolVersion: AGENT_PROTOCOL_VERSION, capabilities: [...executors.keys(), LIVE_CONSOLE_CAPABILITY] };
    // Read at every connect: a ClamAV database may have been installed since.
    if (executors.has('RunAntiVirusScan')) params.avSignatureSources = deviceSignatureSources((await platform.clamav.systemDatabaseDir()) !== undefined);
    return params;
  };

  transport.start({
    onConnected() {
      helloParams()
        .then((params) => transport.request<HelloResult>(AGENT_METHODS.hello.method, params))
        .then(async (hello) => {
          received(hello.settings, hello.serverUrls);
          clearInterval(heartbeat);
          heartbeat = setInterval(() => transport.request(AGENT_METHODS.heartbeat.method, {}).catch(() => {}), hello.heartbeatIntervalMs);
          heartbeat.unref();
          clearInterval(logonReports);
          logonReports = setInterval(() => void reportLogons(), config.logonReportIntervalMs);
          logonReports.unref();
          void reportLogons();
          log.info({ transport: transport.kind, capabilities: executors.size }, 'connected');
          await runner.resendFinished();
        })
        .catch((err: unknown) => log.warn({ err }, 'hello failed'));
    },
    onMessage(message) {
      const p = message.params as Record<string, unknown>;
      if (message.method === AGENT_METHODS.dispatch.method) runner.onDispatch(p.action as DispatchedAction);
      else if (message.method === AGENT_METHODS.cancel.method) runner.onCancel(String(p.actionId), p.reason === 'TimeOut' ? 'TimeOut' : 'Cancelled');
      else if (message.method === AGENT_METHODS.liveCommand.method) liveConsole.onCommand(p as unknown as LiveCommandParams);
      else if (message.method === AGENT_METHODS.liveCancel.method) liveConsole.onCancel(String(p.sessionId), Number(p.commandId));
      else if (message.method === AGENT_METHODS.liveClose.method) liveConsole.onClose(String(p.sessionId));
      // The tenant changed its settings, or a server process came or went.
      else if (message.method === AGENT_METHODS.settings.method && p.settings !== null && typeof p.settings === 'object') {
        received(p.settings as AgentSettings, p.serverUrls);
        log.info({}, 'tenant settings updated');
      }
    },
    onDisconnected(reason) {
      stopTimers();
      // The server fails a disconnected device's commands and closes its sessions: nothing here outlives them.
      liveConsole.stopAll();
      log.warn({ reason }, 'disconnected');
    },
  });

  return {
    identity,
    done,
    async stop() {
      stopTimers();
      liveConsole.stopAll();
      await transport.stop();
      resolveDone('stopped');
    },
  };
}

/** The hello capability that tells the server this device runs live response console commands. */
export const LIVE_CONSOLE_CAPABILITY = 'LiveConsole';

/** Where the agent builds its helpers (the exec guard): under its state directory, like everything it writes. */
export function agentToolsDir(stateDir: string): string {
  return join(stateDir, 'tools');
}

async function loadPlatform(config: Readonly<AgentConfig>, log: AgentLogger): Promise<{ platform: Platform; executors: Map<string, ActionExecutor> }> {
  if (config.platform === 'fake') {
    log.warn({}, 'FAKE PLATFORM: actions are simulated, nothing is enforced (tests only)');
    const { createFakePlatform } = await import('./platform/fake-platform.js');
    const fakes = createFakeExecutors(config.fake);
    const registry: Record<string, ActionExecutor> = { ...fakes, Offboard: createOffboardExecutor(() => [fakes.Unisolate, fakes.UnrestrictCodeExecution]) };
    const scanPaths = config.fake.scanPaths;
    // The executor validates its own ScanType before running, as in the real registry.
    if (scanPaths.length > 0) registry.RunAntiVirusScan = createRunAntivirusScanExecutor({ locations: async () => [...scanPaths] }) as unknown as ActionExecutor;
    const advertised = config.fake.capabilities ?? ACTION_TYPES;
    return { platform: createFakePlatform(), executors: new Map(Object.entries(registry).filter(([type]) => advertised.includes(type))) };
  }
  const { createLinuxPlatform } = await import('./platform/index.js');
  const platform = createLinuxPlatform({ toolsDir: agentToolsDir(config.stateDir) });
  const probe = await platform.probe();
  log.info({ probe }, 'platform probed');
  return { platform, executors: availableExecutors(createExecutorRegistry(), probe) };
}

