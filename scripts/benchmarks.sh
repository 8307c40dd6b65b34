#!/usr/bin/env bash
# Runs every benchmark and writes docs/benchmarks.md (see UserManagement.Benchmarks/BenchmarkCommands.cs).
#   USERS      how many users to seed (default 1000000)
#   DB         the database file the run uses (default /tmp/um-bench/users-<USERS>.db). Without DB, it is a fresh
#              copy of a seeded file kept beside it and keyed by the seed version (a hash of the seeding code,
#              the read model's SQL and the migrations): seeding a million users takes about 3 minutes, a copy
#              seconds, and each run starts from the same data. The seeded file is made again when the key changes.
#              With DB, that file is used as it is (seeded when missing).
#   SECONDS_   how long the browser load runs (default 120)
# Needs Chromium at /usr/bin/chromium (or CHROMIUM_PATH). Not part of CI. About 15 minutes with the seeded file
# cached (plus about 3 for a first seed).
set -euo pipefail
cd "$(dirname "$0")/.."
users="${USERS:-1000000}"
dotnet tool restore >/dev/null
dotnet build UserManagement.sln -c Release
seed() { dotnet UserManagement.Web/bin/Release/net10.0/UserManagement.Web.dll seed --users "$users" --db "$1"; }
if [ -n "${DB:-}" ]; then
  db="$DB"
  mkdir -p "$(dirname "$db")"
  [ -f "$db" ] || seed "$db"
else
  db="/tmp/um-bench/users-${users}.db"
  mkdir -p "$(dirname "$db")"
  version="$(cat UserManagement.Infrastructure/Sqlite/DemoUsers.cs UserManagement.Infrastructure/Sqlite/Users/SqliteUserListSchema.cs \
    UserManagement.Infrastructure/Sqlite/Migrations/*.cs | sha256sum | cut -c1-12)"
  seeded="/tmp/um-bench/users-${users}-seed-${version}.db"
  if [ ! -f "$seeded" ]; then
    rm -f "$seeded.partial" "$seeded.partial-wal" "$seeded.partial-shm"
    seed "$seeded.partial"
    # A WAL file left beside it holds committed pages too: it moves and copies with the database.
    for suffix in -wal -shm; do [ ! -f "$seeded.partial$suffix" ] || mv "$seeded.partial$suffix" "$seeded$suffix"; done
    mv "$seeded.partial" "$seeded"
  fi
  rm -f "$db" "$db-wal" "$db-shm"
  for suffix in -wal -shm; do [ ! -f "$seeded$suffix" ] || cp "$seeded$suffix" "$db$suffix"; done
  cp "$seeded" "$db"
fi
dotnet UserManagement.Benchmarks/bin/Release/net10.0/UserManagement.Benchmarks.dll all --db "$db" \
  --seconds "${SECONDS_:-120}" --command "bash scripts/benchmarks.sh${USERS:+ (USERS=$USERS)}"
