/**
 * The device identity: enrolled once with an onboarding package, then kept in
 * `<stateDir>/identity.json` (0600). It holds the device's own private key, the server's URL, TLS
 * pin and action-signing keys; nothing else is trusted afterwards.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { AGENT_PATHS, canonicalEnrollText, type DeviceInfo, type EnrollResponse, type OnboardingPackage } from '@cordon/protocol';
import { generateDeviceKey, privateKeyOf, signText } from './crypto.js';
import { readJsonFile, writeFileAtomic } from './atomic-file.js';
import { httpCall, type HttpResponse } from './transport/http.js';
import { TransportError } from './transport/types.js';
import { pinnedTlsOptions } from './transport/tls-pin.js';

export interface AgentIdentity {
  version: 1;
  machineId: string;
  tenantId: string;
  /** The first of `serverUrls` (what identities written before there were several hold alone). */
  serverUrl: string;
  /** Every server URL from the onboarding package, in order; absent in older identities. */
  serverUrls?: string[];
  privateJwk: Record<string, unknown>;
  publicKey: string;
  tlsCertSha256: string | null;
  tlsCertPem: string | null;
  actionSigningKeys: { keyId: string; publicKey: string }[];
  enrolledAt: string;
}

export function identityPath(stateDir: string): string {
  return join(stateDir, 'identity.json');
}

export async function loadIdentity(stateDir: string): Promise<AgentIdentity | undefined> {
  return readJsonFile<AgentIdentity>(identityPath(stateDir));
}

export async function deleteIdentity(stateDir: string): Promise<void> {
  await rm(identityPath(stateDir), { force: true });
}

export class EnrollmentError extends Error {
  override name = 'EnrollmentError';
}

/** The URLs a transport connects to, in order: the identity's list, or its one URL. */
export function serverUrlsOf(identity: Pick<AgentIdentity, 'serverUrl' | 'serverUrls'>): string[] {
  return identity.serverUrls && identity.serverUrls.length > 0 ? [...identity.serverUrls] : [identity.serverUrl];
}

/** The package's server URLs, checked: an old package names one, a newer one may list several. */
function packageServerUrls(pkg: OnboardingPackage): string[] {
  const urls = pkg.serverUrls === undefined ? [pkg.serverUrl] : pkg.serverUrls;
  if (!Array.isArray(urls) || urls.length === 0 || !urls.every((u) => typeof u === 'string' && /^https?:\/\/[^/]/.test(u))) {
    throw new EnrollmentError('the onboarding package has an invalid server URL list (serverUrls)');
  }
  if (urls[0] !== pkg.serverUrl) throw new EnrollmentError('the onboarding package names a serverUrl that is not the first of its serverUrls');
  return [...new Set(urls)];
}

/** Registers this device with the server named in the package, and stores the identity. */
export async function enroll(pkg: OnboardingPackage, device: DeviceInfo, stateDir: string): Promise<AgentIdentity> {
  if (pkg.version !== 1 || !pkg.serverUrl || !pkg.enrollmentSecret) throw new EnrollmentError('not a Cordon onboarding package');
  const serverUrls = packageServerUrls(pkg);
  if (serverUrls.some((u) => u.startsWith('https:')) && !pkg.tlsCertSha256) throw new EnrollmentError('the onboarding package has no TLS pin for an https server');
  const key = generateDeviceKey();
  const secretId = pkg.enrollmentSecret.split('.')[0] ?? '';
  const body = JSON.stringify({ enrollmentSecret: pkg.enrollmentSecret, publicKey: key.publicKey, proof: signText(privateKeyOf(key.privateJwk), canonicalEnrollText(secretId, key.publicKey)), device });
  const res = await firstAnswer(serverUrls, (serverUrl) =>
    httpCall(new URL(AGENT_PATHS.enroll, serverUrl).toString(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      tls: pinnedTlsOptions(pkg.tlsCertPem, pkg.tlsCertSha256),
    }),
  );
  if (res.status !== 200) {
    let message = res.body;
    try {
      message = (JSON.parse(res.body) as { error?: { message?: string } }).error?.message ?? res.body;
    } catch {
      // not JSON: keep the raw text
    }
    throw new EnrollmentError(`enrollment refused (HTTP ${res.status}): ${message}`);
  }
  const answer = JSON.parse(res.body) as EnrollResponse;
  const identity: AgentIdentity = {
    version: 1,
    machineId: answer.machineId,
    tenantId: answer.tenantId,
    serverUrl: pkg.serverUrl,
    serverUrls,
    privateJwk: key.privateJwk,
    publicKey: key.publicKey,
    tlsCertSha256: pkg.tlsCertSha256,
    tlsCertPem: pkg.tlsCertPem,
    actionSigningKeys: pkg.actionSigningKeys,
    enrolledAt: new Date().toISOString(),
  };
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  await writeFileAtomic(identityPath(stateDir), JSON.stringify(identity, null, 2), 0o600);
  return identity;
}

/**
 * The answer of the first server that answers at all: a node that is down (or presents another
 * certificate) is skipped; a refusal is an answer, since every node shares one database.
 */
async function firstAnswer(urls: readonly string[], call: (url: string) => Promise<HttpResponse>): Promise<HttpResponse> {
  const failures: string[] = [];
  for (const url of urls) {
    try {
      return await call(url);
    } catch (err) {
      if (!(err instanceof TransportError)) throw err;
      failures.push(`${url}: ${err.message}`);
    }
  }
  throw new EnrollmentError(`no server answered: ${failures.join('; ')}`);
}
