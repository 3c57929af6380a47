/**
 * Signed download links (mde-api.md §4.7, §4.10): `/downloads/<blobId>?se=<expiry>&fn=<name>&sig=<hex>`,
 * downloadable without an Authorization header, like MDE's SAS URLs. The signature is
 * HMAC-SHA256, under a deployment secret kept in the store (so every server process accepts every
 * other's links), over the blob id, the expiry and the file name; any change to one of them, or an
 * expiry in the past, is refused.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock, SecretStore } from '@cordon/core';

/** MDE's live response links are valid 30 minutes (mde-api.md §4.10); Cordon uses the same for packages. */
export const DOWNLOAD_LINK_TTL_MS = 30 * 60_000;
export const DOWNLOADS_PATH = '/downloads';
const SECRET_NAME = 'download-link-hmac-v1';

export interface LinkParams {
  blobId: string;
  /** Expiry, epoch seconds. */
  se: number;
  /** File name for Content-Disposition. */
  fn: string;
}

export type LinkCheck = { ok: true } | { ok: false; reason: 'expired' | 'bad-signature' };

export class DownloadLinks {
  readonly #secrets: SecretStore;
  readonly #clock: Clock;
  readonly #ttlMs: number;
  #key: Promise<Buffer> | undefined;

  constructor(options: { secrets: SecretStore; clock: Clock; ttlMs?: number }) {
    this.#secrets = options.secrets;
    this.#clock = options.clock;
    this.#ttlMs = options.ttlMs ?? DOWNLOAD_LINK_TTL_MS;
  }

  /** A new link each call (a fresh expiry), as MDE re-creates it on every call (§4.10). */
  async mint(baseUrl: string, blobId: string, fileName: string): Promise<string> {
    const se = Math.floor((this.#clock.now() + this.#ttlMs) / 1000);
    const sig = await this.#sign({ blobId, se, fn: fileName });
    const query = new URLSearchParams({ se: String(se), fn: fileName, sig });
    return `${baseUrl}${DOWNLOADS_PATH}/${blobId}?${query.toString()}`;
  }

  async check(params: { blobId: string; se: string | undefined; fn: string | undefined; sig: string | undefined }): Promise<LinkCheck> {
    const { blobId, se, fn, sig } = params;
    if (se === undefined || fn === undefined || sig === undefined || !/^\d{1,12}$/.test(se) || !/^[0-9a-f]{64}$/.test(sig)) return { ok: false, reason: 'bad-signature' };
    const expected = Buffer.from(await this.#sign({ blobId, se: Number(se), fn }), 'hex');
    // Signature first, so an altered expiry is "altered", never "expired".
    if (!timingSafeEqual(expected, Buffer.from(sig, 'hex'))) return { ok: false, reason: 'bad-signature' };
    if (Number(se) * 1000 <= this.#clock.now()) return { ok: false, reason: 'expired' };
    return { ok: true };
  }

  async #sign(p: LinkParams): Promise<string> {
    this.#key ??= this.#secrets.getOrCreate(SECRET_NAME, () => randomBytes(32).toString('hex')).then(
      (hex) => Buffer.from(hex, 'hex'),
      (err: unknown) => {
        this.#key = undefined; // a database hiccup must not poison every later link
        throw err;
      },
    );
    const key = await this.#key;
    // Newline-separated: none of the fields can hold one (blob ids are hex, se digits, fn a checked name).
    return createHmac('sha256', key).update(`cordon-download-v1\n${p.blobId}\n${p.se}\n${p.fn}`).digest('hex');
  }
}
