// Client profiles for rule tests: the machine is a Debian-like one where /etc/ssl/certs and /usr/lib/ssl exist and
// the wheels' build directory does not, whatever the test machine has.
import {
  type ClientName,
  type ClientProfile,
  clientProfile,
  type SystemClientFacts,
} from "../../../src/model/client.js";

export const DEBIAN_LIKE: SystemClientFacts = {
  openssldir: "/usr/lib/ssl",
  openssl: "3.0.19",
  psqlMajor: 15,
  exists: (p) => p.startsWith("/usr/lib/ssl") || p.startsWith("/etc/ssl/certs"),
};

export function clientFor(name: ClientName, env: Record<string, string>, sys = DEBIAN_LIKE): ClientProfile {
  return clientProfile(name, sys, env, "test");
}
