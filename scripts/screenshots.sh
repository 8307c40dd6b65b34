#!/usr/bin/env bash
# Retakes the README's screenshots (docs/images/*.png) from the real app in Chromium.
# Needs Chromium: `sudo apt-get install -y chromium` (or CHROMIUM_PATH). Run it when the UI changes;
# the test suite never rewrites these files.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet run --project UserManagement.Screenshots -- docs/images
