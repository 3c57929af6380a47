/**
 * Agent configuration: `loadConfig(env)` parses, validates, applies defaults and freezes (house
 * style 8.8). The CLI maps `cordon agent` flags onto these env names.
 */
import { resolve } from 'node:path';

export interface AgentConfig {
  /** Onboarding package to enroll with (needed only once). */
  onboardingPath: string | undefined;
  /** Identity, journal and executor state (0700). */
  stateDir: string;
  /** `linux` for real executors; `fake` records what would happen (tests only, never the default). */
  platform: 'linux' | 'fake';
  transport: 'websocket' | 'long-poll';
  /** Reconnect backoff bounds (ms). */
  backoffMinMs: number;
  backoffMaxMs: number;
  /** Overrides the computer name reported (tests run several agents on one host). */
  computerDnsName: string | undefined;
  /** utmp-format login record files reported as logon users (history, then current sessions); empty: none. */
  logonRecordFiles: readonly string[];
  /** How often the logon users are reported again after the one following each hello (ms). */
  logonReportIntervalMs: number;
  fake: {
    /** Default run time of a fake executor (ms). */
    delayMs: number;
    /** Per action type run time (ms). */
    delays: Readonly<Record<string, number>>;
    /** Action types whose fake executor fails. */
    fail: readonly string[];
    /** Action types advertised (default: all). */
    capabilities: readonly string[] | undefined;
    /**
     * Directories a RunAntiVirusScan really scans (the real scan executor, built-in and tenant hash
     * signatures) instead of simulating; empty: simulated like every other type. Lets a test drop
     * the EICAR file and see the whole detection → alert → investigation path without root.
     */
    scanPaths: readonly string[];
  };
}

export class AgentConfigError extends Error {
  override name = 'AgentConfigError';
}

export function loadAgentConfig(env: Record<string, string | undefined> = process.env): Readonly<AgentConfig> {
  const platform = env.CORDON_AGENT_PLATFORM ?? 'linux';
  if (platform !== 'linux' && platform !== 'fake') throw new AgentConfigError(`CORDON_AGENT_PLATFORM must be linux or fake, got '${platform}'`);
  const transport = env.CORDON_AGENT_TRANSPORT ?? 'websocket';
  if (transport !== 'websocket' && transport !== 'long-poll') throw new AgentConfigError(`CORDON_AGENT_TRANSPORT must be websocket or long-poll, got '${transport}'`);
  const config: AgentConfig = {
    onboardingPath: env.CORDON_AGENT_ONBOARDING || undefined,
    stateDir: resolve(env.CORDON_AGENT_STATE ?? '/var/lib/cordon-agent'),
    platform,
    transport,
    backoffMinMs: int(env, 'CORDON_AGENT_BACKOFF_MIN_MS', 500), // first retry after ~0.5 s
    backoffMaxMs: int(env, 'CORDON_AGENT_BACKOFF_MAX_MS', 30_000), // never wait over 30 s
    computerDnsName: env.CORDON_AGENT_NAME || undefined,
    logonRecordFiles: (env.CORDON_AGENT_LOGON_FILES ?? '/var/log/wtmp,/run/utmp').split(',').filter(Boolean).map((f) => resolve(f)),
    logonReportIntervalMs: int(env, 'CORDON_AGENT_LOGON_REPORT_SECONDS', 300) * 1000, // every 5 minutes
    fake: {
      delayMs: int(env, 'CORDON_FAKE_DELAY_MS', 50),
      delays: json(env, 'CORDON_FAKE_DELAYS', {}),
      fail: (env.CORDON_FAKE_FAIL ?? '').split(',').filter(Boolean),
      capabilities: env.CORDON_FAKE_CAPABILITIES === undefined ? undefined : env.CORDON_FAKE_CAPABILITIES.split(',').filter(Boolean),
      scanPaths: (env.CORDON_FAKE_SCAN_PATHS ?? '').split(',').filter(Boolean).map((p) => resolve(p)),
    },
  };
  return Object.freeze(config);
}

function int(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < 0) throw new AgentConfigError(`${name} must be a non-negative integer, got '${raw}'`);
  return v;
}

function json<T>(env: Record<string, string | undefined>, name: string, fallback: T): T {
  const raw = env[name];
  if (!raw) return fallback;
  try {
    return JSON.parse(raw) as T;
  } catch {
    throw new AgentConfigError(`${name} must be JSON`);
  }
}
