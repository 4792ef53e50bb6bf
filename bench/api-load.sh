#!/usr/bin/env bash
# The API load figures of docs/benchmarks.md in one command, from the repository root:
#
#   bench/api-load.sh                                 builds the jar if there is none, then measures it
#   OLD_JAR=/path/to/old-exec.jar bench/api-load.sh   also compares an older build with this one, in turn
#
# It starts a private PostgreSQL (initdb defaults, fsync on, synchronous_commit on) on a free port in a temporary
# directory, one Habeas node per build with the shipped settings in demo mode, and the load driver
# (org.habeas.ledger.IntakeLoadDriver): clients that each send one request at a time and wait for the answer.
# Printed: POST /api/v1/requests at CLIENTS concurrent clients (req/s, p50/p95/p99), each paired with the same
# server's /actuator/health at the same concurrency so every figure is also a ratio; then, after topping the
# agency up to REFUSALS refused requests, one client's GET of a request and GET of a list of 100, against health.
# With OLD_JAR, ROUNDS rounds of the POST phases alternate between the old and the new build in the same minutes.
# Before the phases, WARMUP seconds of POSTs (from COMPARE_CLIENTS clients) let the JIT compiler finish: a server
# that has just started compiles its hot paths for minutes, and a figure taken meanwhile measures the compiler.
# Everything is stopped and removed at the end. Settings: CLIENTS=4,16,64,256 SECONDS_PER_PHASE=15 WARMUP=180
# REFUSALS=10000 ROUNDS=2 COMPARE_CLIENTS=16 JAR=path (default: app/target/habeas-*-exec.jar) NEW_JVM_OPTS START_TIMEOUT=900 (s).
# NODES=2: the new build as two nodes on the one database, sharing HABEAS_HOME (their keys, as a shared volume would),
# behind nginx (Debian's package) passing requests to them in turn; every figure, health included, is then through
# nginx, on the same two cores.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
java="$JAVA_HOME/bin/java"
clients=${CLIENTS:-4,16,64,256}
seconds=${SECONDS_PER_PHASE:-15}
refusals=${REFUSALS:-10000}
rounds=${ROUNDS:-2}
compare_clients=${COMPARE_CLIENTS:-16}
warmup=${WARMUP:-180}

jar=${JAR:-$(ls app/target/habeas-*-exec.jar 2>/dev/null | head -1 || true)}
if [ -z "$jar" ]; then
  MAVEN_OPTS=${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow} ./mvnw -B -q -ntp -pl app -am package -Dmaven.test.skip=true
  jar=$(ls app/target/habeas-*-exec.jar | head -1)
fi
jar=$(readlink -f "$jar")
old_jar=${OLD_JAR:+$(readlink -f "$OLD_JAR")}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

work=$(mktemp -d)
chmod 755 "$work"
pgbin=/usr/lib/postgresql/$(ls /usr/lib/postgresql | sort -n | tail -1)/bin
pgport=$(free_port)
as_pg=()
[ "$(id -u)" = 0 ] && as_pg=(runuser -u postgres --)
mkdir "$work/pg" "$work/sock" && { [ "$(id -u)" = 0 ] && chown postgres "$work/pg" "$work/sock" || true; }

servers=()
cleanup() {
  for p in "${servers[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null || true; done
  "${as_pg[@]}" "$pgbin/pg_ctl" -D "$work/pg" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
trap "exit 143" INT TERM   # stopped early: still clean up

"${as_pg[@]}" "$pgbin/initdb" -D "$work/pg" -A trust -U postgres >/dev/null
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$work/pg" -l "$work/sock/postgres.log" -w \
  -o "-p $pgport -k $work/sock -c listen_addresses=127.0.0.1" start >/dev/null
psql_pg() { "${as_pg[@]}" psql -h "$work/sock" -p "$pgport" -U postgres -q -v ON_ERROR_STOP=1 "$@"; }

# start_server NAME JAR [JVM OPTIONS...]: its own database and home; sets $url and $tokens
start_server() {
  local name=$1 build=$2 port
  shift 2
  port=$(free_port)
  psql_pg -c "create role $name login password '$name'" -c "create database $name owner $name"
  HABEAS_DB_URL="jdbc:postgresql://127.0.0.1:$pgport/$name" HABEAS_DB_USER=$name HABEAS_DB_PASSWORD=$name \
    HABEAS_HOME="$work/$name" HABEAS_COOKIE_SECURE=false \
    "$java" "$@" -jar "$build" serve --port "$port" >>"$work/$name.log" 2>&1 &
  servers+=($!)
  url="http://127.0.0.1:$port"
  local t0=$SECONDS
  until curl -fsS "$url/actuator/health" 2>/dev/null | grep -q '"status":"UP"'; do
    [ $((SECONDS - t0)) -lt "${START_TIMEOUT:-900}" ] || { echo "$name did not start; see its log:" >&2; tail -20 "$work/$name.log" >&2; exit 1; }
    sleep 0.5
  done
  tokens="@$work/$name/demo-tokens.json"
  echo "$name ($build) up after $((SECONDS - t0)) s at $url"
}

body=scenarios/40-es-protesta.json   # refused by the safeguards: each request adds to the agency's refusals
driver=("$java" -cp "$jar" -Dloader.main=org.habeas.ledger.IntakeLoadDriver org.springframework.boot.loader.launch.PropertiesLauncher)
echo "$(date -u '+%F %T') UTC, load average $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores, PostgreSQL $("$pgbin/postgres" -V | awk '{print $3}')"

# warm URL TOKENS NAME: WARMUP seconds of POSTs before anything is measured
warm() {
  [ "$warmup" -gt 0 ] || return 0
  echo "warm-up of $3: $warmup s of POSTs from $compare_clients clients, until the JIT compiler has done its work"
  "${driver[@]}" sustain "$1" "$2" "$body" "$compare_clients" "$warmup" >/dev/null
}

# NEW_JVM_OPTS: options for the new build's JVM only, e.g. -XX:StartFlightRecording=filename=/tmp/new.jfr
# -XX:FlightRecorderOptions:stackdepth=256 (JFR keeps 64 frames by default, too few for a request's stack)
start_server habeas_new "$jar" ${NEW_JVM_OPTS:-}
new_url=$url new_tokens=$tokens
if [ "${NODES:-1}" = 2 ]; then
  [ -z "$old_jar" ] || { echo "NODES=2 measures one build: leave OLD_JAR unset" >&2; exit 2; }
  command -v nginx >/dev/null || { echo "NODES=2 needs nginx: apt-get install -y nginx" >&2; exit 2; }
  port2=$(free_port)
  HABEAS_DB_URL="jdbc:postgresql://127.0.0.1:$pgport/habeas_new" HABEAS_DB_USER=habeas_new HABEAS_DB_PASSWORD=habeas_new \
    HABEAS_HOME="$work/habeas_new" HABEAS_COOKIE_SECURE=false \
    "$java" ${NEW_JVM_OPTS:-} -jar "$jar" serve --port "$port2" >>"$work/habeas_new2.log" 2>&1 &
  servers+=($!)
  t0=$SECONDS
  until curl -fsS "http://127.0.0.1:$port2/actuator/health" 2>/dev/null | grep -q '"status":"UP"'; do
    [ $((SECONDS - t0)) -lt "${START_TIMEOUT:-900}" ] || { echo "the second node did not start" >&2; tail -20 "$work/habeas_new2.log" >&2; exit 1; }
    sleep 0.5
  done
  nport=$(free_port)
  mkdir -p "$work/nginx"
  cat >"$work/nginx/nginx.conf" <<NGINX
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $work/nginx/body;
    proxy_temp_path $work/nginx/proxy;
    fastcgi_temp_path $work/nginx/fastcgi;
    uwsgi_temp_path $work/nginx/uwsgi;
    scgi_temp_path $work/nginx/scgi;
    keepalive_requests 100000;
    upstream habeas { server ${new_url#http://}; server 127.0.0.1:$port2; keepalive 64; }
    server {
        listen 127.0.0.1:$nport;
        location / { proxy_pass http://habeas; proxy_http_version 1.1; proxy_set_header Connection ""; }
    }
}
NGINX
  nginx -c "$work/nginx/nginx.conf" -p "$work/nginx"
  for _ in $(seq 100); do [ -s "$work/nginx/nginx.pid" ] && break; sleep 0.1; done
  servers+=("$(cat "$work/nginx/nginx.pid")")
  new_url="http://127.0.0.1:$nport"
  echo "second node up after $((SECONDS - t0)) s; both behind nginx at $new_url"
fi
if [ -n "$old_jar" ]; then
  start_server habeas_old "$old_jar"
  old_url=$url old_tokens=$tokens
  echo
  echo "old and new build in turn, $compare_clients clients, $seconds s per phase (after a warm-up of each)"
  warm "$old_url" "$old_tokens" "the old build"
  warm "$new_url" "$new_tokens" "the new build"
  for r in $(seq "$rounds"); do
    for which in old new; do
      u=${which}_url t=${which}_tokens
      echo "round $r, $which build, load average $(cut -d' ' -f1 /proc/loadavg):"
      "${driver[@]}" phases "${!u}" "${!t}" "$body" "$compare_clients" "$seconds" | grep '^|'
    done
  done
  kill "${servers[1]}" && wait "${servers[1]}" 2>/dev/null || true
fi
[ -n "$old_jar" ] || warm "$new_url" "$new_tokens" "the new build"
echo
echo "the new build, $seconds s per phase, load average $(cut -d' ' -f1 /proc/loadavg):"
"${driver[@]}" run "$new_url" "$new_tokens" "$body" "$clients" "$seconds" "$refusals"
echo "$(date -u '+%F %T') UTC, load average $(cut -d' ' -f1-3 /proc/loadavg)"
