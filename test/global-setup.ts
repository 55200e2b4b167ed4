// Once before any test: the lab PKI (certs/ is generated, never committed), so that no test depends on another
// having generated it first. ensureCerts is idempotent and fast when the certificates are already fresh.
import { preparePki } from "../scripts/lab/index.js";

export default async function setup(): Promise<void> {
  await preparePki();
}
