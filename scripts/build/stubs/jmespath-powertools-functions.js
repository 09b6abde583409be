// Stands in for Powertools' own JMESPath functions (powertools_json and the base64 decoders),
// which extend the built-in ones (stubbed too): our expressions call none.
import { Functions } from "./Functions.js";

export { Functions };
export class PowertoolsFunctions extends Functions {}
