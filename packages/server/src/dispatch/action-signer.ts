/**
 * Signs actions sent to agents with the server's Ed25519 action key (IdentityStore, use 'action').
 * The key is created once per deployment: `ensureSigningKey` is first-writer-wins, so several
 * server processes starting together end up with the same key.
 */
import { randomUUID } from 'node:crypto';
import { canonicalActionText, canonicalLiveCommandText, toMdeTimestamp, type DispatchedAction, type LiveCommandFields, type LiveCommandParams, type SignedActionFields } from '@cordon/protocol';
import type { Clock, IdentityStore } from '@cordon/core';
import { generateEd25519, privateKeyFromJwk, rawFromPublicKey, signText, publicKeyFromRaw } from './ed25519.js';
import { createPublicKey } from 'node:crypto';

export interface ActionSigner {
  keyId: string;
  /** Raw Ed25519 public key, base64 (what onboarding packages carry). */
  publicKey: string;
  sign(fields: SignedActionFields): DispatchedAction;
  /** A console command, signed with the same key over canonicalLiveCommandText. */
  signLiveCommand(fields: LiveCommandFields): LiveCommandParams;
}

export async function loadActionSigner(identity: IdentityStore, clock: Clock): Promise<ActionSigner> {
  const pair = generateEd25519();
  const record = await identity.ensureSigningKey({
    kid: randomUUID(),
    use: 'action',
    alg: 'EdDSA',
    publicJwk: pair.publicKey.export({ format: 'jwk' }) as Record<string, unknown>,
    privateJwk: pair.privateKey.export({ format: 'jwk' }) as Record<string, unknown>,
    createdAt: toMdeTimestamp(clock.now()),
  });
  const privateKey = privateKeyFromJwk(record.privateJwk);
  const publicKey = rawFromPublicKey(createPublicKey(privateKey));
  // Sanity: the stored public half must match the private half we sign with.
  publicKeyFromRaw(publicKey);
  return {
    keyId: record.kid,
    publicKey,
    sign(fields) {
      return { ...fields, signature: signText(privateKey, canonicalActionText(fields)), keyId: record.kid };
    },
    signLiveCommand(fields) {
      return { ...fields, signature: signText(privateKey, canonicalLiveCommandText(fields)), keyId: record.kid };
    },
  };
}
