#!/bin/sh
# Creates one PostgreSQL role and one database per service: role crm_<service> owns database
# crm_<service>, and no other role may connect to it (ARCHITECTURE.md: no service reads another
# service's database).
#
# Idempotent: run it again after adding a service, or to rotate a password (the password is always
# reset to the one in the environment). It never drops anything.
#
# Runs in the postgres:16 image: docker-compose.yml (one-shot service `postgres-init`) and the
# Kubernetes Job in deploy/k8s/db-init both use this file unchanged.
#
# Environment
#   PGHOST PGPORT PGUSER PGPASSWORD PGDATABASE  libpq connection of an admin role (CREATEROLE, CREATEDB)
#   CRM_DB_SERVICES            services that own a database, comma or space separated: "identity,sales"
#   CRM_<SERVICE>_DB_PASSWORD  password of role crm_<service>, e.g. CRM_IDENTITY_DB_PASSWORD
#   CRM_DB_PASSWORD            fallback password for every service role; for local development only
#
# Tables, row-level security and everything else inside a database belong to that service's
# migrations, which run as crm_<service> (see README.md beside this file).
set -eu

log() { printf 'postgres-init: %s\n' "$*"; }
fail() { printf 'postgres-init: error: %s\n' "$*" >&2; exit 1; }

services=$(printf '%s' "${CRM_DB_SERVICES:-}" | tr ',' ' ')
if [ -z "$(printf '%s' "$services" | tr -d ' \t\n')" ]; then
  log 'no service databases requested (CRM_DB_SERVICES is empty)'
  exit 0
fi

# Compose starts us once Postgres is healthy, but a Kubernetes Job may start before the server
# accepts connections; wait a bounded time rather than failing the first attempt.
tries=0
until pg_isready -q; do
  tries=$((tries + 1))
  [ "$tries" -lt 60 ] || fail "PostgreSQL at ${PGHOST:-localhost}:${PGPORT:-5432} is not accepting connections"
  sleep 1
done

for service in $services; do
  # The name becomes part of SQL identifiers and of an environment variable name: keep it plain.
  case "$service" in
    [a-z]*) ;;
    *) fail "invalid service name '$service' (lower-case letters, digits and _ only)" ;;
  esac
  case "$service" in
    *[!a-z0-9_]*) fail "invalid service name '$service' (lower-case letters, digits and _ only)" ;;
  esac

  name="crm_$service"
  upper=$(printf '%s' "$service" | tr 'a-z' 'A-Z')
  eval "password=\${CRM_${upper}_DB_PASSWORD:-\${CRM_DB_PASSWORD:-}}"
  [ -n "$password" ] || fail "no password for $name: set CRM_${upper}_DB_PASSWORD (or CRM_DB_PASSWORD for development)"

  # The password reaches psql through the environment (\getenv), never the command line, so it
  # does not show in the process list. psql variables cannot be interpolated inside DO blocks,
  # hence the `SELECT format(...) \gexec` idiom for the conditional CREATEs.
  CRM_ROLE_PASSWORD="$password" psql -X -q -v ON_ERROR_STOP=1 -v name="$name" <<'SQL'
\getenv password CRM_ROLE_PASSWORD
SELECT format('CREATE ROLE %I LOGIN', :'name')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'name') \gexec
-- A service role may own its objects and nothing more; NOBYPASSRLS keeps row-level security binding.
ALTER ROLE :"name" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
  PASSWORD :'password';
SELECT format('CREATE DATABASE %I OWNER %I ENCODING %L TEMPLATE template0', :'name', :'name', 'UTF8')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'name') \gexec
ALTER DATABASE :"name" OWNER TO :"name";
-- By default every role may connect to every database; only the owner (and admins) may here.
REVOKE ALL ON DATABASE :"name" FROM PUBLIC;
\connect :"name"
ALTER SCHEMA public OWNER TO :"name";
REVOKE ALL ON SCHEMA public FROM PUBLIC;
SQL
  log "database $name ready (owner $name)"
done
