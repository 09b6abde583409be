// Stands in for @smithy/core's timestamp parsing: none of our operations has a timestamp member.
const notBundled = () => {
  throw new Error("Timestamp parsing is not bundled: none of our operations has a timestamp.");
};
export const dateToUtcString = notBundled;
export const parseRfc3339DateTime = notBundled;
export const parseRfc3339DateTimeWithOffset = notBundled;
export const parseRfc7231DateTime = notBundled;
export const parseEpochTimestamp = notBundled;
