#!/usr/bin/env bash
# Issue 11's load: CONTEXTS Chromium contexts (default 50) for SECONDS_ seconds (default 180) against a database of
# USERS users (default 100000), mixing next page, sort, search and open-rename-save; then checks every
# acknowledged save in the database, reads the server's circuit count after the contexts close, and writes the
# "Load (issue 11)" section of docs/benchmarks.md (see UserManagement.Benchmarks/LoadReport.cs).
#   DB   the seeded database (default /tmp/um-bench/users-<USERS>.db, seeded when missing). The run uses a temporary
#        copy, so the seeded file stays as it was and each run starts from the same data.
# The load command starts the Release build of the app on a free loopback port and stops it after the run.
# Needs Chromium at /usr/bin/chromium (or CHROMIUM_PATH). Not part of CI.
set -euo pipefail
cd "$(dirname "$0")/.."
users="${USERS:-100000}"
contexts="${CONTEXTS:-50}"
seconds="${SECONDS_:-180}"
dotnet tool restore >/dev/null
dotnet build UserManagement.sln -c Release
seeded="${DB:-/tmp/um-bench/users-${users}.db}"
mkdir -p "$(dirname "$seeded")"
if [ ! -f "$seeded" ]; then
  rm -f "$seeded.partial" "$seeded.partial-wal" "$seeded.partial-shm"
  dotnet UserManagement.Web/bin/Release/net10.0/UserManagement.Web.dll seed --users "$users" --db "$seeded.partial"
  for suffix in -wal -shm; do [ ! -f "$seeded.partial$suffix" ] || mv "$seeded.partial$suffix" "$seeded$suffix"; done
  mv "$seeded.partial" "$seeded"
fi
work="$(mktemp -d /tmp/um-load.XXXXXX)"
trap 'rm -rf "$work"' EXIT
cp "$seeded" "$work/users.db"
for suffix in -wal -shm; do [ ! -f "$seeded$suffix" ] || cp "$seeded$suffix" "$work/users.db$suffix"; done
dotnet UserManagement.Benchmarks/bin/Release/net10.0/UserManagement.Benchmarks.dll load --db "$work/users.db" \
  --contexts "$contexts" --seconds "$seconds" \
  --command "bash scripts/load.sh${USERS:+ (USERS=$USERS)}${CONTEXTS:+ (CONTEXTS=$CONTEXTS)}${SECONDS_:+ (SECONDS_=$SECONDS_)}"
