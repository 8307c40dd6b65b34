#!/usr/bin/env bash
# After a model change (docs/architecture.md, "Adding a use case"): adds migration NAME for every provider's context
# and compiles each context's model again (ADR 0024, 0029). `--compiled-models` only compiles the models again.
#   bash scripts/add-migration.sh AddSomething
#   bash scripts/add-migration.sh --compiled-models
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -ne 1 ]; then
  echo "Usage: bash scripts/add-migration.sh NAME | --compiled-models" >&2
  exit 2
fi

# context name -> its provider folder in UserManagement.Infrastructure
contexts=("SqliteAppDbContext:Sqlite" "PostgreSqlAppDbContext:PostgreSql")
ef=(dotnet ef --project UserManagement.Infrastructure --startup-project UserManagement.Infrastructure)

dotnet tool restore >/dev/null
dotnet build UserManagement.Infrastructure >/dev/null
for entry in "${contexts[@]}"; do
  context="${entry%%:*}"
  folder="${entry##*:}"
  if [ "$1" != "--compiled-models" ]; then
    # The namespace follows the folder (UserManagement.Infrastructure.<folder>.Migrations).
    "${ef[@]}" migrations add "$1" --no-build --context "$context" --output-dir "$folder/Migrations"
  fi
  "${ef[@]}" dbcontext optimize --no-build --context "$context" --output-dir "$folder/CompiledModel" \
    --namespace "UserManagement.Infrastructure.$folder.CompiledModel"
done
