/**
 * @extension Cordon: per-tenant response settings (`GET/PUT /api/cordon/settings`), pushed to
 * agents (hello answer and the `agent/settings` notification). The TypeBox schema checks shape and
 * sizes; the semantic checks (CIDR, host:port, hash lines) are in core's `validateTenantSettings`.
 */
import { Type, type Static } from '@sinclair/typebox';
import { strict } from './schema-helpers.js';

export const SETTINGS_LIMITS = {
  isolationExceptions: 256,
  executionAllowList: 1024,
  hashSignatures: 100_000,
  yaraRules: 200,
  /** Per rule text. */
  yaraRuleBytes: 64 * 1024,
  /** All rule texts together. */
  yaraTotalBytes: 1024 * 1024,
  quarantineSearchPaths: 64,
  scanExclusions: 256,
  /** Per path (PATH_MAX). */
  pathLength: 4096,
} as const;


/**
 * What an automated investigation may do on its own when it has findings (MDE's automation levels,
 * reduced to the two Cordon implements): `Full` stops and quarantines the files it can identify
 * (MDE's default, "Full - remediate threats automatically"); `None` remediates nothing and ends the
 * investigation PendingApproval for an analyst.
 */
export const REMEDIATION_LEVELS = ['Full', 'None'] as const;
export type RemediationLevel = (typeof REMEDIATION_LEVELS)[number];
export const DEFAULT_REMEDIATION_LEVEL: RemediationLevel = 'Full';

export const TenantSettingsBody = Type.Object(
  {
    isolationExceptions: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 300 }), { maxItems: SETTINGS_LIMITS.isolationExceptions })),
    executionAllowList: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 4096 }), { maxItems: SETTINGS_LIMITS.executionAllowList })),
    scanSignatures: Type.Optional(
      Type.Object(
        {
          hashes: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 400 }), { maxItems: SETTINGS_LIMITS.hashSignatures })),
          yara: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: SETTINGS_LIMITS.yaraRuleBytes }), { maxItems: SETTINGS_LIMITS.yaraRules })),
        },
        strict,
      ),
    ),
    scanCpuPercent: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    quarantineSearchPaths: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 4096 }), { maxItems: SETTINGS_LIMITS.quarantineSearchPaths })),
    remediationLevel: Type.Optional(Type.Union([Type.Literal('Full'), Type.Literal('None')])),
    scanExclusions: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: SETTINGS_LIMITS.pathLength }), {
        maxItems: SETTINGS_LIMITS.scanExclusions,
        description: 'Absolute directories (with everything under them) and files that antivirus scans never read',
      }),
    ),
    // Read-only properties that GET returns: accepted and ignored, so what is read can be written back.
    '@odata.context': Type.Optional(Type.String({ maxLength: 2048 })),
    lastUpdateTime: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
  },
  strict,
);
export type TenantSettingsBody = Static<typeof TenantSettingsBody>;

/** Stored and served form: every list present (empty when unset). */
export interface TenantSettings {
  isolationExceptions: string[];
  executionAllowList: string[];
  scanSignatures: { hashes: string[]; yara: string[] };
  scanCpuPercent: number;
  quarantineSearchPaths: string[];
  /** Server-side only (not pushed to agents): read by automated investigations when they remediate. */
  remediationLevel: RemediationLevel;
  /**
   * Absolute, normalised directories or files that antivirus scans (Quick and Full) never read:
   * a directory with everything under it, a file by its exact path (Defender's folder and file
   * exclusions).
   */
  scanExclusions: string[];
  /** When the settings last changed; null before the first PUT. */
  lastUpdateTime: string | null;
}

/** MDE's scan default (a scan may use up to half the CPU). */
export const DEFAULT_SCAN_CPU_PERCENT = 50;

export const DEFAULT_TENANT_SETTINGS: TenantSettings = {
  isolationExceptions: [],
  executionAllowList: [],
  scanSignatures: { hashes: [], yara: [] },
  scanCpuPercent: DEFAULT_SCAN_CPU_PERCENT,
  quarantineSearchPaths: [],
  remediationLevel: DEFAULT_REMEDIATION_LEVEL,
  scanExclusions: [],
  lastUpdateTime: null,
};

/**
 * What agents receive of the tenant's settings (the `agent/hello` answer and `agent/settings`), and
 * the one settings type the agent's executors read: everything but server-only policy
 * (`remediationLevel`) and bookkeeping (`lastUpdateTime`).
 */
export type AgentSettings = Omit<TenantSettings, 'remediationLevel' | 'lastUpdateTime'>;

/** The server's conversion from stored settings to what it sends agents. */
export function toAgentSettings(s: TenantSettings): AgentSettings {
  return {
    isolationExceptions: s.isolationExceptions,
    executionAllowList: s.executionAllowList,
    scanSignatures: s.scanSignatures,
    scanCpuPercent: s.scanCpuPercent,
    quarantineSearchPaths: s.quarantineSearchPaths,
    scanExclusions: s.scanExclusions,
  };
}

/** What an agent uses before it has ever received settings (the tenant defaults). */
export const DEFAULT_AGENT_SETTINGS: AgentSettings = toAgentSettings(DEFAULT_TENANT_SETTINGS);
