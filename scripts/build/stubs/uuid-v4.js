// Stands in for @smithy/core's UUID helper: the same version-4 generator, node:crypto's, reached
// without reading the global `crypto`, whose first read loads Web Crypto at every cold start.
import { randomUUID } from "node:crypto";

export const bindV4 = () => () => randomUUID();
