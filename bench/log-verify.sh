#!/usr/bin/env bash
# The `log verify` figures of docs/benchmarks.md in one run: Debian's PostgreSQL, a log of ENTRIES (default 1,000,000)
# real leaves appended through the sequencer by `habeas log load`, one Habeas node writing its tile store, nginx (Debian's
# package) on a random port serving /log/tile/ from that directory and passing everything else to the node, then
# `habeas log verify --rate` once from the node to make the launcher's AOT cache (reported apart), then RUNS times
# through nginx and RUNS times from the node itself. Each verify times the raw SHA-256 of the same leaf and node
# hashes in the same process and prints the ratio. Run from the repository root; the jar is built if missing. It
# creates (and drops) the database habeas_logbench; everything else lives in a temporary directory.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
java="$JAVA_HOME/bin/java"
entries=${ENTRIES:-1000000}
runs=${RUNS:-3}

command -v nginx >/dev/null || { echo "nginx is missing: apt-get install -y nginx" >&2; exit 2; }
command -v pg_ctlcluster >/dev/null || { echo "PostgreSQL is missing: apt-get install -y postgresql" >&2; exit 2; }
jar=$(ls app/target/habeas-*-exec.jar 2>/dev/null | head -1 || true)
if [ -z "$jar" ]; then
  MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ./mvnw -B -q -ntp -pl app -am package -Dmaven.test.skip=true
  jar=$(ls app/target/habeas-*-exec.jar | head -1)
fi
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
nport=$(free_port)
work=$(mktemp -d)
chmod 755 "$work"   # nginx's workers (user nobody) read the tile store

. bench/debian-pg.sh   # the working directory is the repository root
debian_pg_db habeas_logbench

server=
cleanup() {
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  runuser -u postgres -- psql -p "$pgport" -q -c 'DROP DATABASE IF EXISTS habeas_logbench' || true
  # stop PostgreSQL only if this script started it and nobody else has connected since
  if [ "$started_pg" = 1 ] && [ "$(runuser -u postgres -- psql -p "$pgport" -tAc \
      "select count(*) from pg_stat_activity where backend_type = 'client backend' and pid <> pg_backend_pid()")" = 0 ]; then
    pg_ctlcluster "$v" main stop || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
export HABEAS_DB_URL="jdbc:postgresql://127.0.0.1:$pgport/habeas_logbench" HABEAS_DB_USER=habeas_logbench \
  HABEAS_DB_PASSWORD=habeas_logbench HABEAS_HOME="$work/home" HABEAS_LEDGER_TILE_STORE="$work/www/log/tile"

echo "== a log of $entries entries (habeas log load, through the sequencer)"
t0=$(date +%s)
"$java" -XX:+UseSerialGC -jar "$jar" log load --clients 256 --seconds 1 --fill-to "$entries" --proofs 0 \
  >"$work/load.log" 2>&1 || { tail -20 "$work/load.log"; exit 1; }
echo "   filled in $(( $(date +%s) - t0 )) s"

"$java" -jar "$jar" serve --no-demo --port "$port" >"$work/server.log" 2>&1 &
server=$!
until curl -fsS "http://127.0.0.1:$port/actuator/health" 2>/dev/null | grep -q '"status":"UP"'; do
  kill -0 "$server" 2>/dev/null || { tail -20 "$work/server.log"; exit 1; }
  sleep 0.5
done
size=$(curl -fsS "http://127.0.0.1:$port/log/checkpoint" | sed -n 2p)
# every full tile of every level, and every full entry bundle (the load driver's entries are of a closed period)
want=0
for ((level = 0; (size >> (8 * level)) >= 256; level++)); do want=$((want + (size >> (8 * level)) / 256)); done
want=$((want + size / 256))
t0=$(date +%s)
until [ "$(find "$work/www/log/tile" -type f ! -name '.*' 2>/dev/null | wc -l)" -ge "$want" ]; do
  kill -0 "$server" 2>/dev/null || { tail -20 "$work/server.log"; exit 1; }
  sleep 1
done
echo "== tile store: $want files for size $size, written in $(( $(date +%s) - t0 )) s"

mkdir -p "$work/nginx-tmp"
cat >"$work/nginx.conf" <<EOF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 512; }
http {
    access_log off;
    client_body_temp_path $work/nginx-tmp/body;
    proxy_temp_path $work/nginx-tmp/proxy;
    fastcgi_temp_path $work/nginx-tmp/fastcgi;
    uwsgi_temp_path $work/nginx-tmp/uwsgi;
    scgi_temp_path $work/nginx-tmp/scgi;
    sendfile on;
    keepalive_requests 100000;
    upstream habeas { server 127.0.0.1:$port; keepalive 16; }
    server {
        listen 127.0.0.1:$nport;
        location /log/tile/ {
            root $work/www;
            try_files \$uri @habeas;
            default_type application/octet-stream;
            add_header Cache-Control "public, max-age=31536000, immutable";
            etag on;
        }
        location /log/published/tile/ { rewrite ^/log/published(/tile/.*)\$ /log\$1 last; }
        location @habeas { proxy_pass http://habeas; proxy_http_version 1.1; proxy_set_header Connection ""; }
        location / { proxy_pass http://habeas; proxy_http_version 1.1; proxy_set_header Connection ""; }
    }
}
EOF
nginx -c "$work/nginx.conf" -p "$work"
until curl -fsS "http://127.0.0.1:$nport/log/checkpoint" >/dev/null 2>&1; do sleep 0.2; done
[ "$(curl -fsS -o /dev/null -w '%{http_code}' "http://127.0.0.1:$nport/log/tile/0/000")" = 200 ]
vkey=$(curl -fsS "http://127.0.0.1:$port/log/vkey")

verify() { # label URL: one fresh `habeas log verify --rate`, run as the launcher runs it (its JVM options and its
  # AOT cache, kept under $work/cache), its rate line
  rm -rf "$work/state"
  local out
  out=$(XDG_CACHE_HOME="$work/cache" HABEAS_JAR="$jar" ./habeas log verify "$2" --vkey "$vkey" --state "$work/state" \
    --rate) || { echo "$out"; exit 1; }
  echo "$out" | grep -q "^valid: .* at size $size," || { echo "$out"; exit 1; }
  echo "   $1: $(echo "$out" | grep 'rate:' | sed 's/^ *rate: //')"
}
echo "== habeas log verify --rate, $runs runs each, log of $size entries"
# the launcher's first check records what it loads and makes the AOT cache the later checks start from; it reads
# from the node, whose own JIT warms up on it (the node was started a minute ago)
verify "first check, from the node, making the AOT cache" "http://127.0.0.1:$port/log"
for ((i = 1; i <= runs; i++)); do
  verify "through nginx (tiles from the store)          " "http://127.0.0.1:$nport/log"
  verify "from the application itself                  " "http://127.0.0.1:$port/log"
done
