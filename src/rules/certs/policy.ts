// The certificate policy dbdoctor applies: which client it models, and what counts as too weak. The stages take the
// security level as an input (the engine passes this one), so the measurement and the judgment use the same.
import { securityLevelBits } from "../../pki/chain.js";

/**
 * The OpenSSL security level of the client dbdoctor models. OpenSSL 3.0 built as upstream defaults to 1, but
 * Debian/Ubuntu build it with 2 (psql 15 here refuses an RSA-1024 server key), and so does upstream OpenSSL from
 * 3.2: model 2.
 */
export const CLIENT_SECURITY_LEVEL = 2;

/** A key or signature hash below this many security bits is refused at the client's level (RSA < 2048, SHA-1, MD5). */
export const MIN_SECURITY_BITS = securityLevelBits(CLIENT_SECURITY_LEVEL);

/** Below this, even security level 1 refuses a key (RSA < 1024). */
export const LEVEL1_SECURITY_BITS = securityLevelBits(1);
