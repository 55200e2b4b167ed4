"""One connection attempt through a real Python PostgreSQL driver, as an oracle for dbdoctor's predictions.

Reads one JSON object on stdin and prints one JSON object on stdout. Nothing secret ever comes from argv: the
password travels in the JSON and goes into the connection string the way an application's URL carries it.

  {"driver": "psycopg" | "psycopg2", "params": {libpq keyword: value}, "password": "..."}
      -> {"ok": bool, "error": str | null, "errorType": str | null, "libpq": int, "ssl": {...} | null, ...}
  {"probe": "openssl", "lib": "/path/to/libcrypto.so.3"}   (any libcrypto: a server's, the system's)
      -> {"openssl": "OpenSSL 3.0.19 ...", "openssldir": "OPENSSLDIR: ..."}
  {"probe": "libpq", "lib": "libpq.so.5"}
      -> {"libpq": 150018}

With `--serve psycopg|psycopg2` it answers one attempt per stdin line ({"params", "password", "env", "cwd"}),
each in a fork (see serve()).

The driver is used as an application uses it (psycopg.connect / psycopg2.connect), not libpq underneath it:
psycopg 3 tries the hosts of a multi-host string one by one itself, and that is what SkillFlaw sees.
"""

import ctypes
import glob
import json
import os
import sys

# OpenSSL_version() selectors (openssl/crypto.h): the version text and the compiled-in OPENSSLDIR, where the
# library looks for its default trust store (cert.pem, certs/) when SSL_CERT_FILE/SSL_CERT_DIR are unset.
OPENSSL_VERSION = 0
OPENSSL_DIR = 4


def openssl_facts(path):
    lib = ctypes.CDLL(path)
    lib.OpenSSL_version.restype = ctypes.c_char_p
    lib.OpenSSL_version.argtypes = [ctypes.c_int]
    return {
        "openssl": lib.OpenSSL_version(OPENSSL_VERSION).decode(),
        "openssldir": lib.OpenSSL_version(OPENSSL_DIR).decode(),
    }


def bundled_lib(package_dir_name, prefix):
    """A library a binary wheel bundles (auditwheel puts them in <dist>.libs beside the package)."""
    for entry in sys.path:
        found = sorted(glob.glob(os.path.join(entry, package_dir_name, prefix + "*.so*")))
        if found:
            return found[0]
    return None


def psycopg_ssl_attribute(pgconn, name):
    """PQsslAttribute, which psycopg 3 does not expose: called on the wheel's own libpq (already loaded)."""
    path = bundled_lib("psycopg_binary.libs", "libpq")
    if not path:
        return None
    lib = ctypes.CDLL(path)
    lib.PQsslAttribute.restype = ctypes.c_char_p
    lib.PQsslAttribute.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
    value = lib.PQsslAttribute(ctypes.c_void_p(pgconn.pgconn_ptr), name.encode())
    return value.decode() if value is not None else None


def attempt_psycopg(params, password):
    import psycopg
    from psycopg.conninfo import make_conninfo

    facts = {"driver": "psycopg " + psycopg.__version__, "impl": psycopg.pq.__impl__, "libpq": psycopg.pq.version()}
    lib = bundled_lib("psycopg_binary.libs", "libcrypto")
    if lib:
        facts.update(openssl_facts(lib))
    kwargs = dict(params)
    if password is not None:
        kwargs["password"] = password
    try:
        conninfo = make_conninfo("", **kwargs)
        conn = psycopg.connect(conninfo, autocommit=True)
        conn.execute("select 1").fetchone()
    except psycopg.Error as e:  # a driver error is an outcome to record; anything else is this script's bug
        facts.update({"ok": False, "error": str(e), "errorType": type(e).__name__, "sslInUse": None, "ssl": None})
        return facts
    with conn:
        pgconn = conn.pgconn
        ssl = None
        if pgconn.ssl_in_use:
            ssl = {
                "protocol": psycopg_ssl_attribute(pgconn, "protocol"),
                "cipher": psycopg_ssl_attribute(pgconn, "cipher"),
            }
        facts.update({"ok": True, "error": None, "errorType": None, "sslInUse": bool(pgconn.ssl_in_use), "ssl": ssl})
    return facts


def attempt_psycopg2(params, password):
    import psycopg2
    import psycopg2.extensions

    facts = {"driver": "psycopg2 " + psycopg2.__version__.split(" ")[0], "libpq": psycopg2.extensions.libpq_version()}
    lib = bundled_lib("psycopg2_binary.libs", "libcrypto")
    if lib:
        facts.update(openssl_facts(lib))
    kwargs = dict(params)
    if password is not None:
        kwargs["password"] = password
    try:
        dsn = psycopg2.extensions.make_dsn(**kwargs)
        conn = psycopg2.connect(dsn)
        cur = conn.cursor()
        cur.execute("select 1")
        cur.fetchone()
    except psycopg2.Error as e:
        facts.update({"ok": False, "error": str(e), "errorType": type(e).__name__, "sslInUse": None, "ssl": None})
        return facts
    try:
        info = conn.info
        ssl = None
        if info.ssl_in_use:
            ssl = {"protocol": info.ssl_attribute("protocol"), "cipher": info.ssl_attribute("cipher")}
        facts.update({"ok": True, "error": None, "errorType": None, "sslInUse": bool(info.ssl_in_use), "ssl": ssl})
    finally:
        conn.close()
    return facts


def serve(driver):
    """Many attempts, each in a fork of this process, which has only imported the driver.

    Importing psycopg costs ~0.4 s of CPU; a fork costs a few ms. The driver's import initialises no TLS state
    (libpq sets up OpenSSL at its first SSL connection), so each forked attempt starts as a fresh process would:
    it takes its own environment and working directory (HOME, SSL_CERT_FILE, ... read at connect time by libpq
    and OpenSSL) before it connects. One request per stdin line; one JSON answer per line on stdout.
    """
    attempt = attempt_psycopg if driver == "psycopg" else attempt_psycopg2
    __import__("psycopg" if driver == "psycopg" else "psycopg2.extensions")
    for line in sys.stdin:
        req = json.loads(line)
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                os.chdir(req["cwd"])
                os.environ.clear()
                os.environ.update(req["env"])
                out = attempt(req["params"], req.get("password"))
                sys.stdout.write(json.dumps(out) + "\n")
            except BaseException as e:  # report this script's own failure as such, never as a client outcome
                sys.stdout.write(json.dumps({"crash": f"{type(e).__name__}: {e}"}) + "\n")
                code = 1
            finally:
                sys.stdout.flush()
                os._exit(code)
        os.waitpid(pid, 0)


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--serve":
        serve(sys.argv[2])
        return
    req = json.load(sys.stdin)
    probe = req.get("probe")
    if probe == "openssl":
        out = openssl_facts(req["lib"])
    elif probe == "libpq":
        lib = ctypes.CDLL(req["lib"])
        out = {"libpq": lib.PQlibVersion()}
    elif req.get("driver") == "psycopg":
        out = attempt_psycopg(req["params"], req.get("password"))
    elif req.get("driver") == "psycopg2":
        out = attempt_psycopg2(req["params"], req.get("password"))
    else:
        raise SystemExit("pyclient: unknown request (want driver psycopg|psycopg2 or probe openssl|libpq)")
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
