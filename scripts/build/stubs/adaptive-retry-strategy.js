// Stands in for @smithy/core's adaptive retry strategy: our clients set `retryMode: "standard"`.
export class AdaptiveRetryStrategy {
  constructor() {
    throw new Error("Adaptive retry is not bundled.");
  }
}
