#!/usr/bin/env bash
# Makes the README's pictures from the demo with headless Chromium: the log page of a failed build
# (docs/log-page.png) and the first-start setup page (docs/setup-page.png). Run it after a build (./test.sh or
# dotnet build); a test runs it into a scratch folder, so it keeps working.
#   docs/screenshots.sh [OUTPUT_DIR]     ports: DEMO_PORT (18088), GITHUB_PORT (18090), SETUP_PORT (18089)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mkdir -p "${1:-$root/docs}" && cd "${1:-$root/docs}" && pwd)
configuration=${CONFIGURATION:-Debug}
demo_port=${DEMO_PORT:-18088} github_port=${GITHUB_PORT:-18090} setup_port=${SETUP_PORT:-18089}
demo_dll=$root/samples/DemoHost/bin/$configuration/net10.0/Igor.GitHubActions.DemoHost.dll
service_dll=$root/src/Igor.GitHubActions/bin/$configuration/net10.0/Igor.GitHubActions.dll
[ -f "$demo_dll" ] && [ -f "$service_dll" ] || dotnet build "$root/Igor.GitHubActions.slnx" -c "$configuration" --nologo -v q >/dev/null
scratch=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$scratch"; }
trap cleanup EXIT

# Waits until the command succeeds, for at most $1 seconds.
within() { local deadline=$((SECONDS + $1)); shift; until "$@" >/dev/null 2>&1; do
  [ $SECONDS -lt $deadline ] || { echo "screenshots: timed out waiting for: $*" >&2; exit 1; }; sleep 0.2; done; }
shot() { chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage --hide-scrollbars --no-first-run \
  --user-data-dir="$scratch/chromium" --window-size="$2" --screenshot="$3" "$1" >/dev/null 2>&1; }

# The log page of a failed build of the demo.
dotnet "$demo_dll" --urls "http://127.0.0.1:$demo_port" --Demo:GitHubUrl="http://127.0.0.1:$github_port" --Demo:StepSeconds=0.2 \
  --State:Sqlite:Path="$scratch/demo/igor.db" >"$scratch/demo.log" 2>&1 &
pids+=($!)
demo=http://127.0.0.1:$demo_port
within 60 curl -sf "$demo/masters"
curl -sf -X PUT "$demo/masters/github-actions/jobs/acme/api/test.yml?fail=true" -H 'Content-Type: application/json' -d '"1767225600000"' >/dev/null
status="$demo/builds/status/1/github-actions?job=acme%2Fapi%2Ftest.yml"
within 60 sh -c "curl -sf '$status' | grep -q '\"building\":false'"
url=$(curl -sf "$status" | grep -o '"url":"[^"]*/logs/[^"]*"' | cut -d'"' -f4)
shot "$url" 1200,760 "$out/log-page.png"

# The setup page of a first start (no master configured).
mkdir -p "$scratch/setup"
dotnet "$service_dll" --urls "http://127.0.0.1:$setup_port" --config "$scratch/setup/igor.yml" --State:Sqlite:Path="$scratch/setup/igor.db" \
  >"$scratch/setup.log" 2>&1 &
pids+=($!)
within 60 curl -sf "http://127.0.0.1:$setup_port/setup"
shot "http://127.0.0.1:$setup_port/setup" 1000,880 "$out/setup-page.png"

echo "screenshots: $out/log-page.png $out/setup-page.png"
