#!/bin/sh
# The primary's one-time setup for streaming replication, run by the postgres image's entrypoint
# when it first initialises the data directory (/docker-entrypoint-initdb.d): a replication role,
# a replication slot for the replica (the primary keeps the WAL the replica has not streamed yet,
# up to max_slot_wal_keep_size), and a pg_hba line that lets the role replicate over the network.
set -eu

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" --set=password="$REPLICATION_PASSWORD" <<'SQL'
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD :'password';
SELECT pg_create_physical_replication_slot('replica1');
SQL

# "all" in pg_hba's database column does not cover replication connections: they need their own line.
echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
