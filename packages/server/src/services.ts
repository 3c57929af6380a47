/**
 * createServices: every core service of the server, built once from the store. buildApp, the route
 * plugins, dispatch and the jobs all take these instances; none constructs its own, so two routes
 * never see two AlertServices (or two TenantSettingsServices with different change hooks).
 */
import { isFinalStatus } from '@cordon/protocol';
import {
  ActionResultService,
  ActionService,
  AlertService,
  DEFAULT_RUN_TIMEOUTS_MS,
  InvestigationService,
  LibraryService,
  LiveResponseService,
  LiveSessionService,
  LogonUserService,
  MachineTimelineService,
  MachineService,
  TenantSettingsService,
  subscribeInvestigationSteps,
  subscribeScanAlerts,
  type Clock,
  type IdGenerator,
} from '@cordon/core';
import { KyselyUserStore, type Store, type UserStore } from '@cordon/store';
import type { ServerConfig } from './config.js';
import { ActionBus } from './events/action-bus.js';
import { SETTINGS_CHANNEL } from './events/channels.js';
import { createSigningKeys, type SigningKeys } from './auth/signing-keys.js';
import { DownloadLinks } from './downloads/link-signer.js';
import { createBlobPackageReader } from './investigations/package-reader.js';
import { randomIds, systemClock } from './system.js';
import { LiveLink } from './events/live-link.js';

/** The logger services report background failures to (Fastify's `app.log` satisfies it). */
export interface ServiceLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface ServicesDeps {
  store: Store;
  config: Pick<Readonly<ServerConfig>, 'actionExpiryMs' | 'resultRetentionDays' | 'downloadLinkTtlMs'>;
  clock?: Clock;
  ids?: IdGenerator;
}

export interface Services {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  /** Every action change; dispatch, investigations, result cleanup and live UI updates subscribe here. */
  bus: ActionBus;
  actions: ActionService;
  machines: MachineService;
  /** Result uploads, orphan deletion and retention (the retention job runs its sweep). */
  results: ActionResultService;
  /** Logon users agents report (`agent/logons`), served by `/machines/{id}/logonusers`. */
  logonUsers: LogonUserService;
  /** The device timeline (`/machines/{id}/timeline`). */
  timeline: MachineTimelineService;
  alerts: AlertService;
  /** Tenant response settings; a change is announced on SETTINGS_CHANNEL for the dispatch hubs. */
  settings: TenantSettingsService;
  library: LibraryService;
  liveResponse: LiveResponseService;
  /** Live response console sessions (`/api/cordon/liveresponse/sessions`). */
  liveSessions: LiveSessionService;
  /** How console sessions reach devices and wake their readers; the dispatcher binds its hub to it. */
  liveLink: LiveLink;
  investigations: InvestigationService;
  downloadLinks: DownloadLinks;
  users: UserStore;
  keys: SigningKeys;
  /**
   * Where the services' background failures are logged. Services are built before the Fastify
   * instance whose logger carries the configured level and redaction, so buildApp points this at
   * app.log; until then (and in tests that never build an app) failures are dropped.
   */
  log: ForwardingLog;
}

/** Logs to its current target (none until buildApp sets one). */
export class ForwardingLog implements ServiceLog {
  target: ServiceLog | undefined;
  info(obj: object, msg: string): void {
    this.target?.info(obj, msg);
  }
  error(obj: object, msg: string): void {
    this.target?.error(obj, msg);
  }
}

export function createServices(deps: ServicesDeps): Services {
  const { store, config } = deps;
  const clock = deps.clock ?? systemClock;
  const ids = deps.ids ?? randomIds;
  const bus = new ActionBus();
  // The services below capture this logger now; buildApp points it at app.log later.
  const log = new ForwardingLog();
  const actions = new ActionService({
    actions: store.actions,
    machines: store.machines,
    clock,
    ids,
    events: bus,
    timeouts: { pendingExpiryMs: config.actionExpiryMs, runTimeoutMs: DEFAULT_RUN_TIMEOUTS_MS },
  });
  const alerts = new AlertService({ alerts: store.alerts, machines: store.machines, clock, ids });
  const settings = new TenantSettingsService({
    settings: store.tenantSettings,
    clock,
    onChange: (tenantId) => void store.notifier.notify(SETTINGS_CHANNEL, tenantId).catch((err: unknown) => log.error({ err }, 'settings change notify failed')),
  });
  const library = new LibraryService({ library: store.library, blobs: store.blobs, clock });
  const investigations = new InvestigationService({
    investigations: store.investigations,
    actions,
    machines: store.machines,
    alerts,
    packages: createBlobPackageReader(store.blobs),
    clock,
    ids,
    indicators: async (tenantId) => (await settings.get(tenantId)).scanSignatures.hashes,
    // The tenant setting (default Full, MDE's default automation level), read when an investigation
    // decides, so a change applies to investigations already running.
    remediationLevel: async (tenantId) => (await settings.get(tenantId)).remediationLevel,
    onError: (err, context) => log.error({ err, ...context }, 'automated investigation step failed'),
  });
  const liveLink = new LiveLink({
    notifier: store.notifier,
    machines: store.machines,
    commandOf: (tenantId, sessionId, id) => store.liveSessions.getCommand(tenantId, sessionId, id),
    // SQLite is one process; on PostgreSQL several may share the database and its devices.
    multiProcess: store.dialect === 'postgres',
    log: { info: (o, m) => log.info(o, m ?? ''), warn: (o, m) => log.info(o, m ?? ''), error: (o, m) => log.error(o, m ?? '') },
  });
  const liveSessions = new LiveSessionService({ sessions: store.liveSessions, machines: store.machines, actions, library, link: liveLink, clock, ids, results: store.results });
  return {
    store,
    clock,
    ids,
    bus,
    actions,
    liveSessions,
    liveLink,
    machines: new MachineService({ machines: store.machines }),
    results: new ActionResultService({ results: store.results, blobs: store.blobs, actions: store.actions, clock, retentionDays: config.resultRetentionDays }),
    logonUsers: new LogonUserService({ logonUsers: store.logonUsers, machines: store.machines }),
    timeline: new MachineTimelineService({ machines: store.machines, actions: store.actions, alerts: store.alerts, machineEvents: store.machineEvents }),
    alerts,
    settings,
    library,
    liveResponse: new LiveResponseService({ actions, library }),
    investigations,
    downloadLinks: new DownloadLinks({ secrets: store.secrets, clock, ...(config.downloadLinkTtlMs !== undefined ? { ttlMs: config.downloadLinkTtlMs } : {}) }),
    users: new KyselyUserStore(store.db),
    keys: createSigningKeys(store.identity, clock),
    log,
  };
}

/**
 * The reactions to action changes, subscribed once per built app: scan detections become alerts,
 * investigations move forward when their actions finish, and results a finished action no longer
 * references are deleted at once (the retention job's sweep catches any this process stopped
 * before deleting). Returns the unsubscribe.
 */
export function subscribeServices(services: Services): () => void {
  const { bus, results, investigations, log } = services;
  const unsubscribeResults = bus.subscribe(({ action }) => {
    if (!isFinalStatus(action.status)) return;
    results.settle(action).then(
      (deleted) => deleted > 0 && log.info({ actionId: action.id, deleted }, 'unreferenced results deleted'),
      (err: unknown) => log.error({ err, actionId: action.id }, 'deleting unreferenced results failed; the retention job will retry'),
    );
  });
  const unsubscribeAlerts = subscribeScanAlerts(bus, services.alerts, (err, actionId) => log.error({ err, actionId }, 'could not create alerts from a scan result'));
  const unsubscribeInvestigations = subscribeInvestigationSteps(bus, investigations, (err, actionId) => log.error({ err, actionId }, 'could not advance an automated investigation'));
  // Console sessions: MDE's cancel of a recorded command cancels it; an offboarded device's session ends.
  const unsubscribeLive = bus.subscribe(({ action }) => {
    const done = action.type === 'Offboard' && action.status === 'Succeeded' ? services.liveSessions.deviceGone(action.tenantId, action.machineId, 'DeviceOffboarded') : services.liveSessions.onActionChanged(action);
    done.catch((err: unknown) => log.error({ err, actionId: action.id }, 'live console reaction to an action change failed'));
  });
  return () => {
    unsubscribeLive();
    unsubscribeResults();
    unsubscribeAlerts();
    unsubscribeInvestigations();
  };
}
