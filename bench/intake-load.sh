#!/usr/bin/env bash
# The intake figures of docs/benchmarks.md in one run: Debian's PostgreSQL, one Habeas node with the shipped
# settings, the intake load driver (org.habeas.ledger.IntakeLoadDriver), then a restart (kill -9) under load, timed
# to health UP. Run from the repository root after `./mvnw -B -ntp -pl app -am package -Dmaven.test.skip=true`.
# It creates (and drops) the database habeas_load; everything else lives in a temporary directory.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
java="$JAVA_HOME/bin/java"
jar=$(ls app/target/habeas-*-exec.jar | head -1)
port=${PORT:-18080}
clients=${CLIENTS:-4,16,64,256}
seconds=${SECONDS_PER_PHASE:-15}
refusals=${REFUSALS:-10000}
work=$(mktemp -d)

. bench/debian-pg.sh   # the working directory is the repository root
debian_pg_db habeas_load

server=
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  [ -n "${sustain:-}" ] && kill "$sustain" 2>/dev/null || true
  runuser -u postgres -- psql -p "$pgport" -q -c 'DROP DATABASE IF EXISTS habeas_load' || true
  [ "$started_pg" = 1 ] && pg_ctlcluster "$v" main stop || true
  rm -rf "$work"
}
trap cleanup EXIT

start_server() {
  HABEAS_DB_URL="jdbc:postgresql://127.0.0.1:$pgport/habeas_load" HABEAS_DB_USER=habeas_load \
    HABEAS_DB_PASSWORD=habeas_load HABEAS_HOME="$work/home" HABEAS_COOKIE_SECURE=false \
    "$java" -jar "$jar" serve --port "$port" >>"$work/server.log" 2>&1 &
  server=$!
}
wait_up() { # seconds until /actuator/health answers UP
  local t0 t1
  t0=$(date +%s.%N)
  until curl -fsS "http://127.0.0.1:$port/actuator/health" 2>/dev/null | grep -q '"status":"UP"'; do sleep 0.2; done
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc
}

start_server
echo "first start to UP: $(wait_up) s"
token=$(sed -n 's/.*"REQUESTER" *: *"\([^"]*\)".*/\1/p' "$work/home/demo-tokens.json")
[ -n "$token" ] || { echo "no REQUESTER token in $work/home/demo-tokens.json" >&2; exit 1; }
body=scenarios/40-es-protesta.json   # refused by the safeguards: each request adds to the agency's refusals
driver=("$java" -cp "$jar" -Dloader.main=org.habeas.ledger.IntakeLoadDriver org.springframework.boot.loader.launch.PropertiesLauncher)

"${driver[@]}" run "http://127.0.0.1:$port" "$token" "$body" "$clients" "$seconds" "$refusals"

echo
echo "restart under load: 16 clients submit; kill -9 the server after 10 s, start it again at once"
"${driver[@]}" sustain "http://127.0.0.1:$port" "@$work/home/demo-tokens.json" "$body" 16 400 >"$work/sustain.log" 2>&1 &
sustain=$!
sleep 10
kill -9 "$server"; wait "$server" 2>/dev/null || true
killed=$(grep -c '^second' "$work/sustain.log" || true)
start_server
echo "restart to UP under load: $(wait_up) s"
sleep 15
kill "$sustain" 2>/dev/null || true; wait "$sustain" 2>/dev/null || true; sustain=
echo "answers per second of the 16 clients (0: no connection), the server killed at about second $killed:"
sed -n 's/^second \([0-9]*\): /\1 /p' "$work/sustain.log" | tr '\n' ';'
echo
