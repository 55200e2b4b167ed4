#!/usr/bin/env bash
# The Python venv with the real client drivers the differential tests run (psycopg[binary], psycopg2-binary:
# their bundled libpq and OpenSSL are the point). Made once per requirements.txt (the path is keyed by its hash,
# outside the repository, so every clone and worktree reuses it) with the configured package index: plain pip.
# Prints the venv's path. test/helpers/clients.ts finds it by the same rule.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
req="$here/requirements.txt"
key="$(sha256sum "$req" | cut -c1-12)"
dir="${DBDOCTOR_ORACLE_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/dbdoctor/oracle-venv-$key}"
if [ ! -f "$dir/.complete" ]; then
  mkdir -p "$(dirname "$dir")"
  exec 9>"$dir.lock"
  flock 9
  if [ ! -f "$dir/.complete" ]; then
    python=/usr/bin/python3
    [ -x "$python" ] || python="$(command -v python3)"
    rm -rf "$dir"
    "$python" -m venv "$dir" >&2
    "$dir/bin/python" -m pip install --quiet --requirement "$req" >&2
    "$dir/bin/python" -c "import psycopg, psycopg2; print(psycopg.pq.__impl__)" | grep -qx binary
    touch "$dir/.complete"
  fi
fi
echo "$dir"
