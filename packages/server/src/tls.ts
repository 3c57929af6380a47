/**
 * TLS material for the server. With `--tls-cert/--tls-key` the operator's files are used; with
 * `--tls-self-signed` a pair is generated once under `<dataDir>/tls/` and reused afterwards
 * (agents pin its fingerprint through their onboarding package, so it must not change).
 *
 * Generated with the `openssl` CLI rather than an npm package: Node cannot create X.509
 * certificates itself, the maintained JS options (selfsigned/node-forge) do RSA key generation in
 * pure JS, and openssl is present wherever the server runs (Debian `openssl`).
 */
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TlsFiles {
  cert: string;
  key: string;
  certPath: string;
  keyPath: string;
}

export async function loadTls(options: { certPath?: string | undefined; keyPath?: string | undefined; selfSigned?: boolean; dataDir: string; hostnames?: string[] }): Promise<TlsFiles | undefined> {
  if (options.certPath && options.keyPath) return read(options.certPath, options.keyPath);
  if (!options.selfSigned) return undefined;
  const dir = join(options.dataDir, 'tls');
  const certPath = join(dir, 'cert.pem');
  const keyPath = join(dir, 'key.pem');
  if (!(await exists(certPath))) await generateSelfSigned(dir, certPath, keyPath, options.hostnames ?? ['localhost']);
  return read(certPath, keyPath);
}

export async function generateSelfSigned(dir: string, certPath: string, keyPath: string, hostnames: string[]): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const san = ['IP:127.0.0.1', 'IP:::1', ...hostnames.map((h) => (/^[\d.]+$|:/.test(h) ? `IP:${h}` : `DNS:${h}`))];
  // P-256: accepted by every TLS client; 10 years, since agents pin it rather than trust a CA.
  await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '3650', '-subj', '/CN=cordon-server', '-addext', `subjectAltName=${[...new Set(san)].join(',')}`], { timeout: 30_000 });
  const { chmod } = await import('node:fs/promises');
  await chmod(keyPath, 0o600);
}

/**
 * `cordon tls create`: a self-signed pair in `dir` for several nodes to serve, so agents' one pin
 * matches whichever node (or load balancer passing TLS through) they reach. Never overwrites: a
 * new certificate would strand every agent enrolled with the old pin.
 */
export async function createTlsFiles(dir: string, hostnames: string[]): Promise<{ certPath: string; keyPath: string; sha256: string }> {
  const certPath = join(dir, 'cert.pem');
  const keyPath = join(dir, 'key.pem');
  if ((await exists(certPath)) || (await exists(keyPath))) throw new Error(`${certPath} or ${keyPath} exists already; agents pin it, so it is not replaced (remove it first to start over)`);
  await generateSelfSigned(dir, certPath, keyPath, hostnames);
  return { certPath, keyPath, sha256: new X509Certificate(await readFile(certPath)).fingerprint256.replaceAll(':', '').toLowerCase() };
}

async function read(certPath: string, keyPath: string): Promise<TlsFiles> {
  return { cert: await readFile(certPath, 'utf8'), key: await readFile(keyPath, 'utf8'), certPath, keyPath };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
