import { describe, expect, it } from "vitest";
import { classifyNetworkOrTls, classifyServerError, errorShape, HOSTNAME_ERROR } from "../../../src/modes/classify.js";

const nodeError = (message: string, code?: string) => Object.assign(new Error(message), code ? { code } : {});

describe("classifying how an attempt ended", () => {
  it("maps OpenSSL verify codes to causes with libpq's message", () => {
    const c = classifyNetworkOrTls(
      errorShape(nodeError("unable to get local issuer certificate", "UNABLE_TO_GET_ISSUER_CERT_LOCALLY")),
      "db",
      5432,
    );
    expect(c).toMatchObject({
      end: "tls",
      stage: "verify",
      cause: "unknown-ca",
      message: "SSL error: certificate verify failed",
    });
    expect(classifyNetworkOrTls(errorShape(nodeError("x", "CERT_HAS_EXPIRED")), "db", 1).cause).toBe("cert-expired");
    expect(classifyNetworkOrTls(errorShape(nodeError("x", "DEPTH_ZERO_SELF_SIGNED_CERT")), "db", 1).cause).toBe(
      "self-signed",
    );
  });

  it("keeps libpq's host-name message from our own matcher", () => {
    const msg = 'server certificate for "db.wrong.example" does not match host name "localhost"';
    expect(classifyNetworkOrTls(errorShape(nodeError(msg, HOSTNAME_ERROR)), "localhost", 5432)).toMatchObject({
      stage: "hostname",
      cause: "hostname-mismatch",
      message: msg,
    });
  });

  it("treats DNS, refusal and timeouts as network ends (libpq moves to the next host, not the next channel)", () => {
    expect(
      classifyNetworkOrTls(errorShape(nodeError("getaddrinfo ENOTFOUND x", "ENOTFOUND")), "x", 5432),
    ).toMatchObject({
      end: "network",
      stage: "dns",
      message: 'could not translate host name "x" to address: Name or service not known',
    });
    const refused = classifyNetworkOrTls(errorShape(nodeError("connect ECONNREFUSED", "ECONNREFUSED")), "h", 1);
    expect(refused.cause).toBe("refused");
    expect(refused.message).toContain("Is the server running on that host and accepting TCP/IP connections?");
    expect(
      classifyNetworkOrTls(errorShape(nodeError("Connection terminated due to connection timeout")), "h", 1).cause,
    ).toBe("timeout");
  });

  it("reads pg's SSLRequest refusals", () => {
    expect(
      classifyNetworkOrTls(errorShape(nodeError("The server does not support SSL connections")), "h", 1),
    ).toMatchObject({
      end: "ssl-refused",
      message: "server does not support SSL, but SSL was required",
    });
    expect(
      classifyNetworkOrTls(errorShape(nodeError("There was an error establishing an SSL connection")), "h", 1).end,
    ).toBe("ssl-error");
  });

  it("recognises a TLS alert about the client certificate", () => {
    const e = nodeError(
      "C0:error:0A000418:SSL routines:ssl3_read_bytes:tlsv1 alert unknown ca:../deps/openssl",
      "ERR_SSL_TLSV1_ALERT_UNKNOWN_CA",
    );
    expect(classifyNetworkOrTls(errorShape(e), "h", 1)).toMatchObject({
      cause: "client-cert-rejected",
      message: "SSL error: tlsv1 alert unknown ca",
    });
  });

  it("reads server ErrorResponses by SQLSTATE and text, printed as libpq does", () => {
    const server = (message: string, code: string) => Object.assign(new Error(message), { code, severity: "FATAL" });
    expect(
      classifyServerError(errorShape(server('password authentication failed for user "app"', "28P01"))),
    ).toMatchObject({
      cause: "wrong-password",
      message: 'FATAL:  password authentication failed for user "app"',
    });
    expect(
      classifyServerError(
        errorShape(server('no pg_hba.conf entry for host "127.0.0.1", user "a", database "b", no encryption', "28000")),
      ).cause,
    ).toBe("hba-reject");
    expect(classifyServerError(errorShape(server('database "nope" does not exist', "3D000"))).cause).toBe(
      "database-missing",
    );
    expect(classifyServerError(errorShape(server("sorry, too many clients already", "53300"))).cause).toBe(
      "too-many-connections",
    );
    expect(classifyServerError(errorShape(server('role "ghost" does not exist', "28000"))).cause).toBe("role-missing");
  });
});
