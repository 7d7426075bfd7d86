#!/bin/sh
# Run once by the postgres image when the data volume is first made (docker-entrypoint-initdb.d).
# The portal connects as the role "portal": not a superuser, it cannot make databases or
# roles, and it owns only what it creates in its own schema (the tables migrations make).
# So the web process cannot, say, turn off the append-only triggers on another's tables,
# read other databases, or run programs on the database server.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v dbname="$POSTGRES_DB" -v password="$PORTAL_DB_PASSWORD" <<'SQL'
CREATE ROLE portal LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
    PASSWORD :'password';
REVOKE ALL ON DATABASE :"dbname" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"dbname" TO portal;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
CREATE SCHEMA portal AUTHORIZATION portal;
ALTER ROLE portal SET search_path = portal;
SQL
