#!/usr/bin/env bash
# Source this file: starts a throw-away PostgreSQL cluster on 127.0.0.1 and exports
# TEST_DATABASE_URL; the cluster is stopped and removed when the calling shell exits.
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$pg_bin" ]; then
  echo "PostgreSQL server not found (run scripts/system-deps.sh)" >&2
  return 1
fi
PG_TMP=$(mktemp -d /tmp/mles-pg.XXXXXX)
PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" -eq 0 ] && chown postgres "$PG_TMP"
as_pg "$pg_bin/initdb" -D "$PG_TMP/data" -A trust -U postgres -E UTF8 >"$PG_TMP/initdb.log" 2>&1 \
  || { cat "$PG_TMP/initdb.log" >&2; return 1; }
as_pg "$pg_bin/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/server.log" -w -t 60 \
  -o "-p $PG_PORT -k $PG_TMP -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null \
  || { cat "$PG_TMP/server.log" >&2; return 1; }
pg_cluster_stop() { as_pg "$pg_bin/pg_ctl" -D "$PG_TMP/data" -m immediate stop >/dev/null 2>&1; rm -rf "$PG_TMP"; }
trap pg_cluster_stop EXIT
export TEST_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:$PG_PORT/postgres"
echo "PostgreSQL test cluster on port $PG_PORT"
