// The server family: the wire-level probe (reaching the server, the SSLRequest, the handshake, the TLS versions,
// direct SSL), in report order. The chain the server sent is judged by the certs family, as a file's would be.
import connection from "./connection.js";
import directSsl from "./direct-ssl.js";
import handshake from "./handshake.js";
import noRoot from "./no-root.js";
import sslRequest from "./ssl-request.js";
import versions from "./versions.js";

export const SERVER_RULES = [connection, sslRequest, handshake, noRoot, versions, directSsl] as const;
