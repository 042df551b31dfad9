# Sourced by test.sh and the benchmarks: starts a throwaway PostgreSQL server on 127.0.0.1 in a temporary folder,
# exports FIELDLINE_TEST_POSTGRES (an Npgsql connection string without a database) and stops it when the shell exits.
start_throwaway_postgres() {
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -x "$PGBIN/initdb" ] || { echo "PostgreSQL server binaries not found (apt-get install postgresql)"; return 1; }
  PGROOT=$(mktemp -d /tmp/fieldline-pg.XXXXXX)
  PGPORT=${FIELDLINE_PG_PORT:-$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')}
  _as_pg() { if [ "$(id -u)" = 0 ]; then chown -R postgres: "$PGROOT"; runuser -u postgres -- "$@"; else "$@"; fi; }
  _as_pg "$PGBIN/initdb" -D "$PGROOT/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
  _as_pg "$PGBIN/pg_ctl" -D "$PGROOT/data" -l "$PGROOT/log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGROOT -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 ${FIELDLINE_PG_OPTIONS:-}" start >/dev/null
  trap '_as_pg "$PGBIN/pg_ctl" -D "$PGROOT/data" -m fast stop >/dev/null 2>&1 || true; rm -rf "$PGROOT"' EXIT
  export FIELDLINE_TEST_POSTGRES="Host=127.0.0.1;Port=$PGPORT;Username=postgres;Include Error Detail=true"
  echo "PostgreSQL on 127.0.0.1:$PGPORT"
}
