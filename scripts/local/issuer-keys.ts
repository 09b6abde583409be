/**
 * An issuer's signing keys, as the JWT authorizer keeps them: found through the issuer's
 * discovery document (`/.well-known/openid-configuration`, then its `jwks_uri`), cached, fetched
 * again when they are older than `maxAgeMs` (AWS caches them for up to two hours) or when a
 * token names a `kid` the cached set lacks, at most once per `refetchCooldownMs`: a stream of
 * tokens with made-up key ids cannot make the gateway hammer the issuer.
 */
import {
  createLocalJWKSet,
  errors,
  type FlattenedJWSInput,
  type JSONWebKeySet,
  type JWSHeaderParameters,
} from "jose";

export interface IssuerKeysOptions {
  readonly issuer: string;
  readonly now: () => number;
  /** Shortest time between two fetches of the keys; default 30 s. */
  readonly refetchCooldownMs?: number;
  /** Keys older than this are fetched again before use; default 2 hours. */
  readonly maxAgeMs?: number;
  /** How long one fetch may take; default 5 s. */
  readonly fetchTimeoutMs?: number;
}

type KeySet = ReturnType<typeof createLocalJWKSet>;

class KeySetUnavailableError extends Error {}

/** The keys of one issuer; `keyFor` is what `jwtVerify` takes as its key. */
export class IssuerKeys {
  static readonly UnavailableError = KeySetUnavailableError;
  readonly #options: Required<IssuerKeysOptions>;
  #keySet: KeySet | undefined;
  #fetchedAt = Number.NEGATIVE_INFINITY;
  #attemptedAt = Number.NEGATIVE_INFINITY;
  #fetching: Promise<void> | undefined;

  constructor(options: IssuerKeysOptions) {
    this.#options = {
      refetchCooldownMs: 30_000,
      maxAgeMs: 2 * 60 * 60 * 1000,
      fetchTimeoutMs: 5_000,
      ...options,
    };
  }

  readonly keyFor = async (header: JWSHeaderParameters, token: FlattenedJWSInput) => {
    // AWS matches the token's `kid` to a key of the set; a token without one matches none.
    if (typeof header.kid !== "string") throw new errors.JWKSNoMatchingKey();
    const { now, maxAgeMs } = this.#options;
    if (this.#keySet === undefined || now() - this.#fetchedAt >= maxAgeMs) await this.#refresh();
    try {
      return await this.#current()(header, token);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey) || !this.#mayFetch()) throw error;
      await this.#refresh();
      return this.#current()(header, token);
    }
  };

  #current(): KeySet {
    if (this.#keySet === undefined)
      throw new KeySetUnavailableError("the issuer's keys are unavailable");
    return this.#keySet;
  }

  #mayFetch(): boolean {
    return this.#options.now() - this.#attemptedAt >= this.#options.refetchCooldownMs;
  }

  /**
   * One fetch at a time, and none within the cooldown of the last attempt: while the issuer is
   * down, stale keys keep serving and requests do not each wait for a fetch to fail.
   */
  async #refresh(): Promise<void> {
    if (this.#fetching === undefined && this.#mayFetch()) {
      this.#attemptedAt = this.#options.now();
      this.#fetching = this.#fetchKeySet()
        .then((jwks) => {
          this.#keySet = createLocalJWKSet(jwks);
          this.#fetchedAt = this.#options.now();
        })
        .catch((error: unknown) => {
          console.error(`local gateway: JWT authorizer: ${(error as Error).message}`);
        })
        .finally(() => {
          this.#fetching = undefined;
        });
    }
    await this.#fetching;
  }

  async #fetchKeySet(): Promise<JSONWebKeySet> {
    const issuer = this.#options.issuer.replace(/\/$/, "");
    const discovery = await this.#getJson(`${issuer}/.well-known/openid-configuration`);
    const jwksUri = (discovery as { jwks_uri?: unknown }).jwks_uri;
    if (typeof jwksUri !== "string") {
      throw new KeySetUnavailableError(`${issuer}'s discovery document has no jwks_uri`);
    }
    const jwks = (await this.#getJson(jwksUri)) as JSONWebKeySet;
    if (!Array.isArray(jwks?.keys)) throw new KeySetUnavailableError(`${jwksUri} has no keys`);
    return jwks;
  }

  async #getJson(url: string): Promise<unknown> {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), this.#options.fetchTimeoutMs);
    try {
      const response = await fetch(url, { signal: abort.signal, redirect: "error" });
      if (!response.ok) throw new Error(`answered ${response.status}`);
      return await response.json();
    } catch (error) {
      throw new KeySetUnavailableError(`cannot fetch ${url}: ${(error as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
  }
}
