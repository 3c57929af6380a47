/**
 * The one-line installer `curl -fsSL <server>/cordon/agent-install/<secret>/install.sh | sudo sh`
 * and the script it runs. Over TLS both curl calls pin the server's public key (curl's
 * --pinnedpubkey: the SHA-256 of the certificate's SubjectPublicKeyInfo), so a self-signed server
 * needs no CA and a man in the middle cannot serve another package; the package's onboarding file
 * then pins the certificate itself for the agent, as every onboarding package does.
 */
import { createHash, X509Certificate } from 'node:crypto';

export const AGENT_INSTALL_PATH = '/cordon/agent-install';
export const AGENT_INSTALL_FILES = { deb: 'cordon-agent.deb', tar: 'cordon-agent.tar.gz', script: 'install.sh' } as const;

export interface InstallLinks {
  debUrl: string;
  tarUrl: string;
  installScriptUrl: string;
  installCommand: string;
}

/** `sha256//<base64>` of the certificate's public key, what curl --pinnedpubkey takes. */
export function curlPublicKeyPin(certPem: string): string {
  const spki = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return `sha256//${createHash('sha256').update(spki).digest('base64')}`;
}

/** curl options for the server: -k (no CA) with the key pin when it serves TLS, nothing over http. */
function curlOptions(tlsCertPem: string | undefined): string {
  return tlsCertPem ? ` -k --pinnedpubkey '${curlPublicKeyPin(tlsCertPem)}'` : '';
}

export function installLinks(publicUrl: string, enrollmentSecret: string, tlsCertPem: string | undefined): InstallLinks {
  const base = `${publicUrl}${AGENT_INSTALL_PATH}/${encodeURIComponent(enrollmentSecret)}`;
  return {
    debUrl: `${base}/${AGENT_INSTALL_FILES.deb}`,
    tarUrl: `${base}/${AGENT_INSTALL_FILES.tar}`,
    installScriptUrl: `${base}/${AGENT_INSTALL_FILES.script}`,
    installCommand: `curl -fsSL${curlOptions(tlsCertPem)} '${base}/${AGENT_INSTALL_FILES.script}' | sudo sh`,
  };
}

/** The script install.sh serves: the .deb where dpkg is, else the tarball and its install.sh. */
export function installScript(links: InstallLinks, tlsCertPem: string | undefined): string {
  return `#!/bin/sh
# Cordon agent installer: downloads the cordon-agent package (which carries this device's
# onboarding file) from the Cordon server and installs it; the agent then enrolls and starts.
set -eu
if [ "$(id -u)" != 0 ]; then
  echo "cordon-agent installer: run as root (| sudo sh)" >&2
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fetch() { curl -fsSL${curlOptions(tlsCertPem)} -o "$2" "$1"; }
if command -v dpkg >/dev/null 2>&1; then
  fetch '${links.debUrl}' "$tmp/cordon-agent.deb"
  if command -v apt-get >/dev/null 2>&1; then
    apt-get install -y "$tmp/cordon-agent.deb"
  else
    dpkg -i "$tmp/cordon-agent.deb"
  fi
else
  fetch '${links.tarUrl}' "$tmp/cordon-agent.tar.gz"
  tar -C "$tmp" -xzf "$tmp/cordon-agent.tar.gz"
  sh "$tmp"/cordon-agent_*/install.sh
fi
`;
}
