#!/usr/bin/env bash
# Runs every benchmark and writes docs/benchmarks.md (see UserManagement.Benchmarks/BenchmarkCommands.cs).
#   USERS      how many users to seed (default 1000000)
#   DB         the database file (default /tmp/um-bench/users-<USERS>.db); seeded when missing
#   SECONDS_   how long the browser load runs (default 120)
# Needs Chromium at /usr/bin/chromium (or CHROMIUM_PATH). Not part of CI: it takes about 15 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
users="${USERS:-1000000}"
db="${DB:-/tmp/um-bench/users-${users}.db}"
mkdir -p "$(dirname "$db")"
dotnet tool restore >/dev/null
dotnet build UserManagement.sln -c Release
if [ ! -f "$db" ]; then
  dotnet UserManagement.Web/bin/Release/net10.0/UserManagement.Web.dll seed --users "$users" --db "$db"
fi
dotnet UserManagement.Benchmarks/bin/Release/net10.0/UserManagement.Benchmarks.dll all --db "$db" \
  --seconds "${SECONDS_:-120}" --command "bash scripts/benchmarks.sh${USERS:+ (USERS=$USERS)}"
