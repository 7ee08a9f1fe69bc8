#!/bin/bash
# Run once by the PostgreSQL image on an empty data directory (/docker-entrypoint-initdb.d), as the superuser.
# One role and one database per service: each role owns its database and can connect to nothing else, and its
# password comes from the secret /run/secrets/<service>_db_password (never from a URL or the environment).
set -euo pipefail
for service in hr payroll helpdesk docs gateway; do
  secret="/run/secrets/${service}_db_password"
  if [ ! -s "$secret" ]; then
    echo "postgres-init: the secret ${service}_db_password is missing or empty: set ${service^^}_DB_PASSWORD in .env" >&2
    exit 1
  fi
  psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname postgres -q \
    -v role="$service" -v password="$(cat "$secret")" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'password';
CREATE DATABASE :"role" OWNER :"role";
REVOKE CONNECT, TEMPORARY ON DATABASE :"role" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"role" TO :"role";
SQL
  echo "postgres-init: role and database $service"
done
# Nor the maintenance database: a service's role reaches its own database and no other.
psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname postgres -qc "REVOKE CONNECT ON DATABASE postgres FROM PUBLIC"
