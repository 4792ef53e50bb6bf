# Sourced by the bench scripts that run on Debian's PostgreSQL cluster ("main" of the newest version installed).
# debian_pg_db NAME: starts the cluster if it is down (started_pg=1 then), and makes a fresh database NAME owned
# by a role NAME with password NAME. Sets v (the version), pgport and started_pg.
debian_pg_db() {
  local name=$1
  v=$(ls /usr/lib/postgresql | sort -n | tail -1)
  pgport=$(pg_lsclusters -h | awk -v v="$v" '$1==v && $2=="main" {print $3}')
  started_pg=0
  if ! pg_lsclusters -h | awk -v v="$v" '$1==v && $2=="main" && $4=="online"' | grep -q .; then
    pg_ctlcluster "$v" main start
    started_pg=1
  fi
  runuser -u postgres -- psql -p "$pgport" -q -v ON_ERROR_STOP=1 <<SQL
DROP DATABASE IF EXISTS $name;
DROP ROLE IF EXISTS $name;
CREATE ROLE $name LOGIN PASSWORD '$name';
CREATE DATABASE $name OWNER $name;
SQL
}
