// The facts the conninfo stage hands the rules: measured here (file existence, libpq's keyword table, the
// did-you-mean, how parsers misread a URL, the environment), masked like the report's facts.
import { describe, expect, it } from "vitest";
import { analyzeConninfo } from "../../../src/conninfo/analyze.js";
import { argument, context, fromEnvFile } from "../../helpers/conninfo.js";

describe("URL style", () => {
  it("reads SKILLFLAW_DATABASE_URL and +driver URLs as SQLAlchemy, plain arguments as libpq", () => {
    expect(analyzeConninfo(fromEnvFile("postgresql://h/db"), context()).urlStyle).toBe("sqlalchemy");
    expect(analyzeConninfo(argument("postgresql+psycopg://h/db"), context()).urlStyle).toBe("sqlalchemy");
    expect(analyzeConninfo(argument("postgresql://h/db"), context()).urlStyle).toBe("libpq");
    expect(analyzeConninfo(argument("postgresql://h/db?ssl=true"), context()).facts.params.sslmode).toBe("require");
    expect(analyzeConninfo(fromEnvFile("postgresql://h/db?ssl=true"), context()).facts.valid).toBe(false);
    expect(analyzeConninfo(argument("postgresql://h/db"), context({ urlStyle: "sqlalchemy" })).urlStyle).toBe(
      "sqlalchemy",
    );
  });
});

describe("conninfo rule facts", () => {
  it("measures whether the root file exists, on the path libpq would open", () => {
    const seen: string[] = [];
    const ctx = context({
      home: "/home/app",
      fileExists: (p) => {
        seen.push(p);
        return p === "ca.pem";
      },
    });
    expect(analyzeConninfo(argument("host=db sslrootcert=ca.pem"), ctx).ruleFacts.conninfo.rootFile).toEqual({
      path: "ca.pem",
      exists: true,
    });
    expect(seen).toContain("ca.pem");
    expect(analyzeConninfo(argument("host=db"), ctx).ruleFacts.conninfo.rootFile).toEqual({
      path: "/home/app/.postgresql/root.crt",
      exists: false,
    });
    expect(analyzeConninfo(argument("host=db sslrootcert=system"), ctx).ruleFacts.conninfo.rootFile).toBeNull();
    expect(analyzeConninfo(argument("host=db"), context()).ruleFacts.conninfo.rootFile).toBeNull();
  });

  it("annotates libpq's errors with the keyword table and the closest spelling", () => {
    const typo = analyzeConninfo(argument("host=db ssl_mode=require"), context({ libpq: 15 })).ruleFacts.conninfo;
    expect(typo.errors[0]?.unknownKeyword).toEqual({ introducedIn: null, removedIn: null, closest: "sslmode" });
    const tooNew = analyzeConninfo(argument("host=db sslcertmode=require"), context({ libpq: 15 })).ruleFacts.conninfo;
    expect(tooNew.errors[0]?.unknownKeyword).toMatchObject({ introducedIn: 16, removedIn: null });
    const value = analyzeConninfo(argument("host=db sslmode=verify_full"), context()).ruleFacts.conninfo;
    expect(value.errors[0]?.enumValue).toEqual({
      value: "verify_full",
      accepted: ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"],
      closest: "verify-full",
    });
    const other = analyzeConninfo(argument("host=a,b port=1,2,3"), context()).ruleFacts.conninfo;
    expect(other.errors[0]?.enumValue).toBeUndefined();
  });

  it("gives the value written for ssl, never one inside a password", () => {
    const plain = analyzeConninfo(argument("postgresql://h/db?ssl=1"), context()).ruleFacts.conninfo;
    expect(plain.errors[0]?.unknownKeyword?.given).toBe("1");
    const hidden = analyzeConninfo(argument("password='x ssl=hunter2' ssl=1 host=h"), context()).ruleFacts;
    expect(hidden.conninfo.errors[0]?.unknownKeyword?.given).toBe("1");
    expect(JSON.stringify(hidden)).not.toContain("hunter2");
  });

  it("says whether a string that libpq rejects starts with a scheme", () => {
    expect(analyzeConninfo(argument("jdbc:postgresql://h/db"), context()).ruleFacts.conninfo.schemeUrl).toBe(false);
    expect(
      analyzeConninfo(argument("postgresql+psycopg://h/db"), context({ urlStyle: "libpq" })).ruleFacts.conninfo
        .schemeUrl,
    ).toBe(true);
  });

  it("lists variables only a newer libpq reads, with where they are set", () => {
    const input = argument("host=db", { PGSSLNEGOTIATION: { value: "direct", file: ".env", line: 4 } });
    const c = analyzeConninfo(input, context({ libpq: 16 })).ruleFacts.conninfo;
    expect(c.unreadEnv).toEqual([
      { variable: "PGSSLNEGOTIATION", file: ".env", line: 4, keyword: "sslnegotiation", since: 17, value: "direct" },
    ]);
    expect(c.effective.sslnegotiation).toBeUndefined();
    expect(analyzeConninfo(input, context({ libpq: 17 })).ruleFacts.conninfo.unreadEnv).toEqual([]);
  });
});

describe("url rule facts", () => {
  it("records each parser's misreading with the password pieces masked", () => {
    const u = analyzeConninfo(fromEnvFile("postgresql://app:hunter@22@db.internal:5432/app"), context()).ruleFacts.url;
    expect(u.userinfo?.passwordChars).toEqual(["@"]);
    expect(u.userinfo?.template).toBe("postgresql://app:********@db.internal:5432/app");
    expect(u.userinfo?.misreadings).toEqual([
      {
        parser: "sqlalchemy",
        parsed: true,
        fields: [{ field: "host", read: "********@db.internal", meant: "db.internal" }],
        passwordDiffers: true,
      },
    ]);
    expect(u.passwordInString).toBe(true);
  });

  it("records what make_url and get_dialect made of the URL", () => {
    const comma = analyzeConninfo(fromEnvFile("postgresql://u@h1:5432,h2:5433/db"), context()).ruleFacts.url;
    expect(comma.sqlalchemy?.parse).toEqual({ ok: false, kind: "port", hostListInNetloc: true });
    const pg = analyzeConninfo(fromEnvFile("postgres://u@h/db"), context()).ruleFacts.url;
    expect(pg.sqlalchemy?.parse).toEqual({ ok: true, drivername: "postgres" });
    expect(pg.sqlalchemy?.dialect?.dialect).toBe("postgres");
    expect(analyzeConninfo(argument("host=h"), context()).ruleFacts.url.sqlalchemy).toBeUndefined();
  });
});

describe("env rule facts", () => {
  it("describes how the value is written without copying it", () => {
    const e = analyzeConninfo(fromEnvFile("'postgresql://u:pw1234@h/db '"), context()).ruleFacts.env;
    expect(e.shape).toEqual({
      url: true,
      leadingQuote: "'",
      trailingQuote: "'",
      whitespace: { leading: false, trailing: false, lineBreak: false, inner: true },
    });
  });

  it("keeps every password out: URL, PGPASSWORD, the password file", () => {
    const a = analyzeConninfo(
      argument("postgresql://app:Url5ecret@h/db"),
      context({
        env: { PGPASSWORD: "Env5ecret", SKILLFLAW_SSL_CERT_FILE: "/srv/web.crt" },
        home: "/home/u",
        fileExists: (p) => p === "/home/u/.pgpass",
        readFile: () => "*:*:*:*:File5ecret\n",
        statFile: () => ({ isFile: true, mode: 0o600 }),
      }),
    );
    const json = JSON.stringify(a.ruleFacts);
    for (const s of ["Url5ecret", "Env5ecret", "File5ecret"]) expect(json).not.toContain(s);
    expect(a.ruleFacts.env.webServerTls).toEqual([{ variable: "SKILLFLAW_SSL_CERT_FILE", value: "/srv/web.crt" }]);
  });

  it("gives the password file's status per host, never its password", () => {
    const a = analyzeConninfo(
      argument("host=h user=u dbname=d"),
      context({
        home: "/home/u",
        fileExists: (p) => p === "/home/u/.pgpass",
        readFile: () => "*:*:*:*:File5ecret\n",
        statFile: () => ({ isFile: true, mode: 0o644 }),
      }),
    );
    expect(a.ruleFacts.env.passfile).toEqual({
      path: "/home/u/.pgpass",
      perHost: [{ host: "h", status: "insecure", mode: 0o644 }],
    });
  });
});
