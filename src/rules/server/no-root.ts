// Without a root file the probe has nothing to judge the chain against: say so, so that silence is never read as a
// verified chain (the chain's own dates and strength are still judged, by the certs family).
import { endpointLabel } from "../../probe/label.js";
import { defineRule } from "../rule.js";
import { tlsEndpoints } from "./text.js";

export default defineRule({
  id: "server/no-root",
  family: "server",
  codes: {
    "server.cert-no-root": {
      severity: "info",
      title: "No root certificate: chain not judged",
      description:
        "Without sslrootcert (or with a file that does not exist) libpq verifies nothing below verify-ca, and dbdoctor cannot judge the chain.",
      hint: "Give the CA with sslrootcert=/path/to/root.crt (or --sslrootcert) to have the chain judged.",
    },
  },
  check(facts, { report }) {
    for (const ep of tlsEndpoints(facts)) {
      const trust = ep.chain?.trust;
      if (trust?.kind !== "none") continue;
      const s = endpointLabel(ep);
      report("server.cert-no-root", s, `The chain ${s} sent was not judged: ${trust.reason}.`);
    }
  },
});
