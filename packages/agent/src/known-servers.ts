/**
 * The Cordon server URLs this device may be sent to: the server URLs of its identity (from the
 * onboarding package, every one it fails over between) and every live server process's public URL
 * the server advertised (hello answer, settings push). Isolation keeps each of them reachable.
 */
export class KnownServers {
  readonly #own: readonly string[];
  #advertised: readonly string[] = [];

  constructor(identityServerUrls: readonly string[]) {
    this.#own = [...identityServerUrls];
  }

  /** Replaces the advertised list (ignored unless an array of strings); true when it changed. */
  update(advertised: unknown): boolean {
    if (!Array.isArray(advertised) || !advertised.every((u) => typeof u === 'string')) return false;
    const next = [...new Set(advertised as string[])].sort();
    if (next.join('\n') === this.#advertised.join('\n')) return false;
    this.#advertised = next;
    return true;
  }

  /** The identity's URLs first, then the advertised ones, without duplicates. */
  urls(): readonly string[] {
    return [...new Set([...this.#own, ...this.#advertised])];
  }

  advertised(): readonly string[] {
    return this.#advertised;
  }
}
