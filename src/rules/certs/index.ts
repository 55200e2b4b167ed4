// The certs family: the one judgment of certificates, for a file (sslrootcert, sslcert, --server-cert) and for the
// chain a server sent (server, check), in report order.
import chain from "./chain.js";
import hostname from "./hostname.js";
import strength from "./strength.js";
import validity from "./validity.js";

export const CERTS_RULES = [validity, strength, chain, hostname] as const;
