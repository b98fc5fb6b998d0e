#!/bin/sh
# The streaming replica. On its first start (empty data directory) it copies the primary with
# pg_basebackup: -R writes standby.signal and primary_conninfo, -S streams through the slot that
# primary-init.sh made, -X stream brings the WAL written during the copy. Then the image's own
# entrypoint starts PostgreSQL, which runs as a hot standby (read-only queries) of the primary.
set -eu

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  mkdir -p "$PGDATA"
  chown postgres:postgres "$PGDATA"
  chmod 700 "$PGDATA"
  until pg_isready --host="$PRIMARY_HOST" --port=5432 --quiet; do
    echo "replica: waiting for the primary at $PRIMARY_HOST"
    sleep 1
  done
  PGPASSWORD="$REPLICATION_PASSWORD" gosu postgres pg_basebackup \
    --host="$PRIMARY_HOST" --port=5432 --username=replicator \
    --pgdata="$PGDATA" --write-recovery-conf --slot=replica1 --wal-method=stream --checkpoint=fast
fi

exec docker-entrypoint.sh "$@"
