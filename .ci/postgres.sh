# Sourced by .ci/run and bench/run.sh: starts a throw-away PostgreSQL server on a free loopback port,
# installing Debian's server package when it is missing. After pg_up: PG_URL (JDBC, database
# "vendorusage" owned by role "vendorusage"), PG_START and PG_STOP (commands that start and stop this
# server again, for the outage test); pg_down removes it. Needs root (initdb runs as the postgres user).

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

pg_up() {
  if [ -z "$(pg_bin)" ] || [ ! -x "$(pg_bin)/initdb" ]; then
    echo "installing PostgreSQL server" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  fi
  PGBIN=$(pg_bin)
  PGDATA=$(mktemp -d /tmp/vendorusage-pg.XXXXXX)
  chown postgres:postgres "$PGDATA"
  PGPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
  runuser -u postgres -- "$PGBIN/initdb" -D "$PGDATA/db" --auth=trust --username=postgres -E UTF8 >/dev/null
  PG_START="runuser -u postgres -- $PGBIN/pg_ctl -D $PGDATA/db -l $PGDATA/db/server.log -w -o '-p $PGPORT -k $PGDATA -c listen_addresses=127.0.0.1 -c fsync=on' start"
  PG_STOP="runuser -u postgres -- $PGBIN/pg_ctl -D $PGDATA/db -m fast -w stop"
  bash -c "$PG_START" >/dev/null
  runuser -u postgres -- "$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -q -c "CREATE ROLE vendorusage LOGIN" \
    -c "CREATE DATABASE vendorusage OWNER vendorusage"
  PG_URL="jdbc:postgresql://127.0.0.1:$PGPORT/vendorusage"
  echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PGPORT" >&2
}

pg_down() {
  [ -n "${PGDATA:-}" ] || return 0
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA/db" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PGDATA"
  PGDATA=""
}
