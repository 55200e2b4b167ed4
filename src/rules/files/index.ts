// The files family: the certificate, key, CA and CRL files as libpq reads them, in report order. What the
// certificates in them say (dates, strength, the server's chain and name) is the certs family's.
import bundle from "./bundle.js";
import clientCert from "./client-cert.js";
import content from "./content.js";
import crl from "./crl.js";
import key from "./key.js";
import root from "./root.js";
import verification from "./verification.js";

export const FILES_RULES = [content, verification, root, bundle, clientCert, key, crl] as const;
