#!/usr/bin/env bash
# Local services: PostgreSQL 15 + pgvector, PgBouncer in front of it (transaction pooling), and Azurite.
#   scripts/services.sh start    install what is missing, start them (idempotent, fast when running)
#   scripts/services.sh stop     stop them
#   scripts/services.sh status   say what runs
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

pg_running() { as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; }
# Azurite's launcher forks the server, so the processes are found by their data folder, not a pid file.
azurite_pattern() { printf 'azurite.*--location %s' "$AZURITE_DATA"; }
azurite_running() { pgrep -f "$(azurite_pattern)" >/dev/null; }

start_postgres() {
  "$REPO_ROOT/scripts/install-postgres.sh"
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    log "initialising PostgreSQL data folder $PG_DATA"
    mkdir -p "$PG_DATA" "$PG_SOCKET_DIR"
    [ "$(id -u)" = "0" ] && chown -R postgres:postgres "$PG_HOME"
    # Local-only cluster: trust on loopback, the app still sends the password from its settings.
    as_postgres "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    cat >>"$PG_DATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_SOCKET_DIR'
max_connections = 300
shared_buffers = 256MB
fsync = off                 # local development and tests only: speed over durability
synchronous_commit = off
full_page_writes = off
CONF
  fi
  if ! pg_running; then
    log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
    if ! as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 start >/dev/null; then
      # Usually another checkout's cluster holds the port; say so rather than "examine the log".
      log "PostgreSQL did not start; the end of $PG_LOG:"
      tail -n 5 "$PG_LOG" >&2
      if ss -ltnp 2>/dev/null | grep -q ":$PG_PORT "; then
        local pid; pid=$(ss -ltnp | grep ":$PG_PORT " | head -1 | sed -n 's/.*pid=\([0-9]*\).*/\1/p')
        log "port $PG_PORT is taken by: $(ps -o args= -p "$pid" 2>/dev/null || echo "pid $pid")"
        log "stop that server (its checkout's scripts/services.sh stop) and run this again"
      fi
      return 1
    fi
  fi
}

pgbouncer_running() { [ -f "$PGBOUNCER_DIR/pgbouncer.pid" ] && kill -0 "$(cat "$PGBOUNCER_DIR/pgbouncer.pid")" 2>/dev/null; }

# PgBouncer in transaction mode, as the app meets it in Azure (the built-in one): the tests run the app through
# it to prove nothing outlives a transaction. Any database name is relayed to the local cluster.
start_pgbouncer() {
  command -v pgbouncer >/dev/null || [ -x /usr/sbin/pgbouncer ] || apt_install pgbouncer
  pgbouncer_running && return 0
  mkdir -p "$PGBOUNCER_DIR"
  cat >"$PGBOUNCER_DIR/pgbouncer.ini" <<INI
[databases]
* = host=127.0.0.1 port=$PG_PORT user=postgres password=postgres
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $PGBOUNCER_PORT
unix_socket_dir =
auth_type = trust
auth_file = $PGBOUNCER_DIR/userlist.txt
pool_mode = transaction
default_pool_size = 20
max_client_conn = 2000
ignore_startup_parameters = extra_float_digits
pidfile = $PGBOUNCER_DIR/pgbouncer.pid
logfile = $PGBOUNCER_DIR/pgbouncer.log
INI
  echo '"postgres" ""' >"$PGBOUNCER_DIR/userlist.txt"
  [ "$(id -u)" = "0" ] && chown -R postgres:postgres "$PGBOUNCER_DIR"
  log "starting PgBouncer (transaction pooling) on 127.0.0.1:$PGBOUNCER_PORT"
  as_postgres "$(command -v pgbouncer || echo /usr/sbin/pgbouncer)" -d "$PGBOUNCER_DIR/pgbouncer.ini"
  wait_for_port 127.0.0.1 "$PGBOUNCER_PORT" 10 || { log "PgBouncer did not start; see $PGBOUNCER_DIR/pgbouncer.log"; exit 1; }
}

start_azurite() {
  "$REPO_ROOT/scripts/install-azurite.sh"
  if ! azurite_running; then
    log "starting Azurite on 127.0.0.1:$AZURITE_BLOB_PORT"
    mkdir -p "$AZURITE_DATA"
    nohup "$AZURITE_DIR/node_modules/.bin/azurite" --silent --skipApiVersionCheck --loose \
      --location "$AZURITE_DATA" --blobHost 127.0.0.1 --blobPort "$AZURITE_BLOB_PORT" \
      --queueHost 127.0.0.1 --queuePort "$AZURITE_QUEUE_PORT" \
      --tableHost 127.0.0.1 --tablePort "$AZURITE_TABLE_PORT" >>"$AZURITE_LOG" 2>&1 &
  fi
  wait_for_port 127.0.0.1 "$AZURITE_BLOB_PORT" 30 || { log "Azurite did not start; see $AZURITE_LOG"; exit 1; }
}

case "${1:-start}" in
  start)
    start_postgres
    start_pgbouncer
    start_azurite
    ;;
  stop)
    if pgbouncer_running; then kill "$(cat "$PGBOUNCER_DIR/pgbouncer.pid")" && log "PgBouncer stopped"; fi
    if pg_running; then as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast stop >/dev/null && log "PostgreSQL stopped"; fi
    if azurite_running; then pkill -f "$(azurite_pattern)" && log "Azurite stopped"; fi
    ;;
  status)
    pg_running && echo "postgres: running on 127.0.0.1:$PG_PORT" || echo "postgres: stopped"
    pgbouncer_running && echo "pgbouncer: running on 127.0.0.1:$PGBOUNCER_PORT" || echo "pgbouncer: stopped"
    azurite_running && echo "azurite: running on 127.0.0.1:$AZURITE_BLOB_PORT" || echo "azurite: stopped"
    ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
