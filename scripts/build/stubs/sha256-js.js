// Stands in for @smithy/core's pure-JavaScript SHA-256: Node's crypto always has one.
export class Sha256Js {
  constructor() {
    throw new Error("The JavaScript SHA-256 is not bundled.");
  }
}
