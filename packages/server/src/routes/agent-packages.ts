/**
 * @extension Cordon: agent packages with an enrollment secret baked in.
 *   POST /api/cordon/agentPackages {maxUses, expiresInHours}: issues a fresh enrollment secret
 *     and answers the links of the package made for it (.deb, .tar.gz) and the one-line installer.
 *   GET /cordon/agent-install/<secret>/(cordon-agent.deb|cordon-agent.tar.gz|install.sh): public,
 *     like a signed download link: the enrollment secret is the authorization, and it works while
 *     the secret could still enroll a device (not expired, uses left). Downloading spends no use.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { DomainError, type AgentStore, type Clock, type IdentityStore } from '@cordon/core';
import { callerOf } from '../caller-of.js';
import { loadActionSigner } from '../dispatch/action-signer.js';
import { createOnboardingPackage, onboardingPackageOf, usableEnrollmentSecret } from '../dispatch/enrollment.js';
import { AgentPackageError, buildAgentPackage, checkAgentArtifact, type AgentPackageFormat } from '../agent-package/build.js';
import { AGENT_INSTALL_FILES, AGENT_INSTALL_PATH, installLinks, installScript } from '../agent-package/installer.js';

export interface AgentPackageRoutesOptions {
  agents: AgentStore;
  identity: IdentityStore;
  clock: Clock;
  publicUrl: string;
  /** What onboarding packages name for agents to connect to, in order (the public URL unless configured). */
  agentServerUrls: readonly string[];
  /** PEM of the certificate the server serves, when it serves TLS (pinned by installer and agent). */
  tlsCertPem: string | undefined;
  artifactDir?: string;
}

export const AgentPackageBody = Type.Object(
  {
    maxUses: Type.Integer({ minimum: 1, maximum: 10_000, description: 'Devices that may enroll with the secret' }),
    expiresInHours: Type.Integer({ minimum: 1, maximum: 720, description: 'Hours until the secret (and its downloads) expire' }),
  },
  { additionalProperties: false },
);

const AgentPackageReply = Type.Object({
  expiresAt: Type.String(),
  maxUses: Type.Integer(),
  debUrl: Type.String(),
  tarUrl: Type.String(),
  installScriptUrl: Type.String(),
  installCommand: Type.String(),
});

const FORMAT_OF_FILE: Record<string, AgentPackageFormat> = { [AGENT_INSTALL_FILES.deb]: 'deb', [AGENT_INSTALL_FILES.tar]: 'tar' };

/** The issuing half, under /api (permission-checked). */
export const agentPackageApiRoutes: FastifyPluginAsync<AgentPackageRoutesOptions> = async (app, options) => {
  app.post<{ Body: Static<typeof AgentPackageBody> }>(
    '/cordon/agentPackages',
    {
      config: { operation: 'createAgentPackage' },
      schema: { summary: 'Create an agent package (Cordon extension)', body: AgentPackageBody, response: { 201: AgentPackageReply } },
    },
    async (request, reply) => {
      // Refused before a secret is minted: links to packages the server cannot build would fail on every device.
      try {
        await checkAgentArtifact(options.artifactDir);
      } catch (err) {
        if (err instanceof AgentPackageError) throw new DomainError('ServiceUnavailable', `The server cannot build agent packages: ${err.message}`, { forClient: true });
        throw err;
      }
      const signer = await loadActionSigner(options.identity, options.clock);
      const pkg = await createOnboardingPackage(
        { agents: options.agents, signer, clock: options.clock },
        { tenantId: callerOf(request).tenantId, serverUrls: options.agentServerUrls, tlsCertPem: options.tlsCertPem, ttlMs: request.body.expiresInHours * 3_600_000, maxUses: request.body.maxUses },
      );
      return reply.code(201).send({ expiresAt: pkg.expiresAt, maxUses: request.body.maxUses, ...installLinks(options.publicUrl, pkg.enrollmentSecret, options.tlsCertPem) });
    },
  );
};

/** The download half, public. Builds run one at a time: each copies and compresses ~100 MB. */
export const agentInstallRoutes: FastifyPluginAsync<AgentPackageRoutesOptions> = async (app, options) => {
  let builds: Promise<unknown> = Promise.resolve();

  app.get<{ Params: { secret: string; file: string } }>(`${AGENT_INSTALL_PATH}/:secret/:file`, { schema: { tags: ['Downloads'] } }, async (request, reply) => {
    const { secret, file } = request.params;
    if (file !== AGENT_INSTALL_FILES.script && !FORMAT_OF_FILE[file]) throw new DomainError('ResourceNotFound', `No file ${file} here: ${Object.values(AGENT_INSTALL_FILES).join(', ')}`);
    const record = await usableEnrollmentSecret(options.agents, secret, options.clock.now());
    if (!record) throw new DomainError('Forbidden', 'The enrollment secret of this link is not valid, has expired or has no uses left; create a new agent package');
    reply.header('cache-control', 'private, no-store');
    const links = installLinks(options.publicUrl, secret, options.tlsCertPem);
    if (file === AGENT_INSTALL_FILES.script) return reply.type('text/x-shellscript; charset=utf-8').send(installScript(links, options.tlsCertPem));

    const signer = await loadActionSigner(options.identity, options.clock);
    const onboarding = onboardingPackageOf({ tenantId: record.tenantId, enrollmentSecret: secret, expiresAt: record.expiresAt }, { serverUrls: options.agentServerUrls, tlsCertPem: options.tlsCertPem }, signer);
    const outDir = await mkdtemp(join(tmpdir(), 'cordon-agent-download-'));
    const build = builds.then(() => buildAgentPackage({ format: FORMAT_OF_FILE[file]!, outDir, onboardingJson: `${JSON.stringify(onboarding, null, 2)}\n`, ...(options.artifactDir ? { artifactDir: options.artifactDir } : {}) }));
    builds = build.catch(() => undefined);
    let path: string;
    try {
      path = await build;
    } catch (err) {
      await rm(outDir, { recursive: true, force: true });
      if (err instanceof AgentPackageError) throw new DomainError('ServiceUnavailable', `The server cannot build agent packages: ${err.message}`, { forClient: true });
      throw err;
    }
    const stream = createReadStream(path);
    stream.once('close', () => void rm(outDir, { recursive: true, force: true }));
    return reply
      .type(file === AGENT_INSTALL_FILES.deb ? 'application/vnd.debian.binary-package' : 'application/gzip')
      .header('content-disposition', `attachment; filename="${path.slice(path.lastIndexOf('/') + 1)}"`)
      .send(stream);
  });
};
