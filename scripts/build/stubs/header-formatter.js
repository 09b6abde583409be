// Stands in for @smithy/signature-v4's event-stream header formatting: DynamoDB has no streams.
const notBundled = () => {
  throw new Error("Event-stream signing is not bundled.");
};
export class HeaderFormatter {
  format() {
    notBundled();
  }
}
export class Int64 {
  constructor() {
    notBundled();
  }
}
