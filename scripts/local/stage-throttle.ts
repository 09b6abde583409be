/**
 * The `$default` stage's throttle as API Gateway applies it: a token bucket that holds at most
 * `burstLimit` requests and refills at `rateLimit` a second. A request that finds it empty is
 * answered 429 by the gateway and never reaches a function. The clock is injected, so tests
 * decide exactly how much time passes.
 */
import type { ThrottleSettings } from "../../common/gateway-settings.ts";

/** A token bucket; starts full, as a fresh stage takes a whole burst. */
export class StageThrottle {
  readonly #settings: ThrottleSettings;
  readonly #now: () => number;
  #tokens: number;
  #updatedAt: number;

  constructor(settings: ThrottleSettings, now: () => number = Date.now) {
    this.#settings = settings;
    this.#now = now;
    this.#tokens = settings.burstLimit;
    this.#updatedAt = now();
  }

  /** Takes one request's token; false when the bucket is empty (answer 429). */
  tryTake(): boolean {
    const now = this.#now();
    const elapsedSeconds = Math.max(0, now - this.#updatedAt) / 1000;
    const { burstLimit, rateLimit } = this.#settings;
    this.#tokens = Math.min(burstLimit, this.#tokens + elapsedSeconds * rateLimit);
    this.#updatedAt = Math.max(this.#updatedAt, now);
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
