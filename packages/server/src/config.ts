/**
 * Server configuration: `loadConfig(env)` parses, validates, applies defaults and freezes
 * (house style 8.8). The CLI maps its flags onto the same env names, so every flag has an env
 * fallback. Nothing else in the server reads the environment.
 */
import { resolve } from 'node:path';
import { DEFAULT_PENDING_EXPIRY_MS, DEFAULT_RESULT_RETENTION_DAYS } from '@cordon/core';
import { DEFAULT_RATE_LIMITS, type RateLimitRule } from './caller.js';
import { parseRoles, type UserRole } from './roles.js';


export interface TrustedIssuer {
  issuer: string;
  audience: string;
  jwksUri?: string;
}

export interface ServerConfig {
  port: number;
  host: string;
  /** Embedded data directory (SQLite file, keys, blobs, credentials.json). */
  dataDir: string;
  /** `postgres://...` to use PostgreSQL; undefined for embedded SQLite under dataDir. */
  databaseUrl: string | undefined;
  /** Address clients use to reach us (links, token issuer); derived from host/port when unset. */
  publicUrl: string;
  /**
   * The server URLs onboarding packages give agents, in the order they try them (they fail over
   * between them): CORDON_AGENT_SERVER_URLS, comma-separated, e.g. each node's own address when no
   * load balancer sits in front; the public URL alone when unset.
   */
  agentServerUrls: readonly string[];
  /** A Pending action not picked up by then becomes TimeOut (default 3 days). */
  actionExpiryMs: number;
  /** How often the reaper looks for expired actions. */
  reaperIntervalMs: number;
  /** A machine silent for this long reads Inactive. */
  inactiveAfterMs: number;
  /** Largest JSON body accepted (bytes). */
  bodyLimitBytes: number;
  /** Largest request head, request line plus headers (bytes); over it: 431. */
  maxHeaderBytes: number;
  /** Time allowed to receive a whole request (ms); slower senders get 408. The bound of authenticated device uploads. */
  requestTimeoutMs: number;
  /** Time allowed to receive any other request's body (ms); slower senders get 408 and are disconnected. */
  bodyTimeoutMs: number;
  /** Access-token audience (`aud`), as MDE's. */
  audience: string;
  trustedIssuers: readonly TrustedIssuer[];
  rateLimits: Readonly<Record<string, RateLimitRule>>;
  logLevel: string;
  tlsCert: string | undefined;
  tlsKey: string | undefined;
  /** Generate (once, under dataDir/tls) and serve a self-signed certificate when no cert is given. */
  tlsSelfSigned: boolean;
  /** How often agents send heartbeats. */
  heartbeatIntervalMs: number;
  /** How often the health job marks silent machines Inactive. */
  healthCheckIntervalMs: number;
  /** How long a download link stays valid (MDE: 30 minutes, mde-api.md §4.10). */
  downloadLinkTtlMs: number;
  /** Result blobs (investigation packages, live response results) are deleted this many days after upload (MDE: 180). */
  resultRetentionDays: number;
  /** Optional OIDC sign-in for people in the web UI; undefined when CORDON_OIDC_ISSUER is unset. */
  oidc: OidcConfig | undefined;
}

export interface OidcConfig {
  /** Exact issuer identifier; discovery is `${issuer}/.well-known/openid-configuration`. */
  issuer: string;
  clientId: string;
  /** Undefined for a public client (PKCE only). */
  clientSecret: string | undefined;
  /** Claim holding the person's IdP roles or groups; a dotted path reaches nested claims (`realm_access.roles`). */
  rolesClaim: string;
  /** IdP role/group value -> Cordon roles. */
  roleMap: Readonly<Record<string, readonly UserRole[]>>;
  /** The tenant OIDC people belong to; undefined: the only tenant there is. */
  tenantId: string | undefined;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Readonly<ServerConfig> {
  const port = int(env, 'CORDON_PORT', 8080, 0, 65535);
  const host = env.CORDON_HOST ?? '127.0.0.1';
  const tlsCert = env.CORDON_TLS_CERT || undefined;
  const scheme = tlsCert || env.CORDON_TLS_SELF_SIGNED === '1' || env.CORDON_TLS_SELF_SIGNED === 'true' ? 'https' : 'http';
  const publicUrl = (env.CORDON_PUBLIC_URL ?? `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`).replace(/\/+$/, '');
  const config: ServerConfig = {
    port,
    host,
    dataDir: resolve(env.CORDON_DATA ?? '.cordon'),
    databaseUrl: env.CORDON_DATABASE_URL || undefined,
    publicUrl,
    agentServerUrls: agentServerUrls(env.CORDON_AGENT_SERVER_URLS, publicUrl),
    actionExpiryMs: int(env, 'CORDON_ACTION_EXPIRY_SECONDS', DEFAULT_PENDING_EXPIRY_MS / 1000, 1, 365 * 86400) * 1000,
    reaperIntervalMs: int(env, 'CORDON_REAPER_INTERVAL_SECONDS', 30, 1, 3600) * 1000,
    inactiveAfterMs: int(env, 'CORDON_INACTIVE_AFTER_SECONDS', 300, 10, 30 * 86400) * 1000,
    bodyLimitBytes: int(env, 'CORDON_BODY_LIMIT_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    maxHeaderBytes: int(env, 'CORDON_MAX_HEADER_BYTES', 16 * 1024, 1024, 1024 * 1024),
    // An hour: agents stream results of up to 3 GB through one request, and Node's requestTimeout
    // cannot differ per route; slow-header attacks are still cut by headersTimeout (60 s).
    requestTimeoutMs: int(env, 'CORDON_REQUEST_TIMEOUT_SECONDS', 3600, 1, 24 * 3600) * 1000,
    // Everything but an authenticated device upload (plugins/body-timeout.ts): token requests, sign-ins,
    // API bodies are small, and unauthenticated senders must not hold a connection for the hour.
    bodyTimeoutMs: int(env, 'CORDON_BODY_TIMEOUT_SECONDS', 300, 1, 24 * 3600) * 1000,
    audience: env.CORDON_AUDIENCE ?? 'https://api.securitycenter.microsoft.com',
    trustedIssuers: json<TrustedIssuer[]>(env, 'CORDON_TRUSTED_ISSUERS', []),
    rateLimits: { ...DEFAULT_RATE_LIMITS, ...json<Record<string, RateLimitRule>>(env, 'CORDON_RATE_LIMITS', {}) },
    logLevel: env.CORDON_LOG_LEVEL ?? 'info',
    tlsCert,
    tlsKey: env.CORDON_TLS_KEY || undefined,
    tlsSelfSigned: env.CORDON_TLS_SELF_SIGNED === '1' || env.CORDON_TLS_SELF_SIGNED === 'true',
    heartbeatIntervalMs: int(env, 'CORDON_HEARTBEAT_SECONDS', 30, 1, 3600) * 1000,
    healthCheckIntervalMs: int(env, 'CORDON_HEALTH_CHECK_SECONDS', 30, 1, 3600) * 1000,
    downloadLinkTtlMs: int(env, 'CORDON_DOWNLOAD_LINK_TTL_SECONDS', 1800, 1, 7 * 86400) * 1000,
    resultRetentionDays: int(env, 'CORDON_RESULT_RETENTION_DAYS', DEFAULT_RESULT_RETENTION_DAYS, 1, 3650),
    oidc: oidcConfig(env),
  };
  if (config.databaseUrl && !/^postgres(ql)?:\/\//.test(config.databaseUrl)) {
    throw new ConfigError('CORDON_DATABASE_URL must be a postgres:// URL (leave it unset for embedded SQLite)');
  }
  if (Boolean(config.tlsCert) !== Boolean(config.tlsKey)) throw new ConfigError('CORDON_TLS_CERT and CORDON_TLS_KEY go together');
  return deepFreeze(config);
}

function oidcConfig(env: Record<string, string | undefined>): OidcConfig | undefined {
  const issuer = env.CORDON_OIDC_ISSUER || undefined;
  if (!issuer) {
    if (env.CORDON_OIDC_CLIENT_ID) throw new ConfigError('CORDON_OIDC_CLIENT_ID is set but CORDON_OIDC_ISSUER is not');
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new ConfigError(`CORDON_OIDC_ISSUER must be a URL, got '${issuer}'`);
  }
  // Plain http only to a loopback provider (development, tests): codes and ID tokens cross this link.
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) throw new ConfigError('CORDON_OIDC_ISSUER must be an https:// URL');
  const clientId = env.CORDON_OIDC_CLIENT_ID;
  if (!clientId) throw new ConfigError('CORDON_OIDC_CLIENT_ID is required with CORDON_OIDC_ISSUER');
  const rawMap = json<Record<string, unknown>>(env, 'CORDON_OIDC_ROLE_MAP', {});
  if (!rawMap || typeof rawMap !== 'object' || Array.isArray(rawMap)) throw new ConfigError('CORDON_OIDC_ROLE_MAP must be a JSON object {"idp value": "Cordon role" | ["role", ...]}');
  const roleMap: Record<string, UserRole[]> = {};
  for (const [value, roles] of Object.entries(rawMap)) {
    const list = typeof roles === 'string' ? roles.split(',') : roles;
    if (!Array.isArray(list) || !list.every((r) => typeof r === 'string')) throw new ConfigError(`CORDON_OIDC_ROLE_MAP['${value}'] must be a role name or a list of them`);
    try {
      roleMap[value] = parseRoles(list.join(','));
    } catch (err) {
      throw new ConfigError(`CORDON_OIDC_ROLE_MAP['${value}']: ${(err as Error).message}`);
    }
  }
  if (Object.keys(roleMap).length === 0) throw new ConfigError('CORDON_OIDC_ROLE_MAP is required with CORDON_OIDC_ISSUER (nobody could sign in without a mapped role)');
  return {
    issuer,
    clientId,
    clientSecret: env.CORDON_OIDC_CLIENT_SECRET || undefined,
    rolesClaim: env.CORDON_OIDC_ROLES_CLAIM || 'roles',
    roleMap,
    tenantId: env.CORDON_OIDC_TENANT || undefined,
  };
}

function agentServerUrls(raw: string | undefined, publicUrl: string): string[] {
  if (raw === undefined || raw.trim() === '') return [publicUrl];
  const urls = raw.split(',').map((u) => u.trim().replace(/\/+$/, ''));
  for (const u of urls) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(u);
    } catch {
      parsed = undefined;
    }
    if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') || parsed.pathname !== '/' || parsed.search || parsed.hash) {
      throw new ConfigError(`CORDON_AGENT_SERVER_URLS must be comma-separated http(s)://host:port URLs, got '${u}'`);
    }
  }
  return [...new Set(urls)];
}

function int(env: Record<string, string | undefined>, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got '${raw}'`);
  return value;
}

function json<T>(env: Record<string, string | undefined>, name: string, fallback: T): T {
  const raw = env[name];
  if (!raw) return fallback;
  try {
    return JSON.parse(raw) as T;
  } catch {
    throw new ConfigError(`${name} must be JSON`);
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
