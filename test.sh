#!/usr/bin/env bash
# Runs every test of the repository on a fresh machine: installs what the tests need when it is missing,
# builds, runs the NUnit suite, and ends with one summary line "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# The log page test renders in a real headless Chromium (Debian's package; nothing downloads its own browser).
if ! command -v chromium >/dev/null 2>&1; then
  echo "installing chromium for the log page test"
  sudo_cmd=""
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update
  $sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
dotnet test Igor.GitHubActions.slnx --nologo "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e

# VSTest prints one "Passed!/Failed!  - Failed: N, Passed: N, Skipped: N, Total: N" line per test assembly.
grep -E '^(Passed|Failed)!' "$log" | awk -F'[:,]' '
  { failed += $2; passed += $4; skipped += $6; seen = 1 }
  END { if (seen) printf "%d passed, %d failed, %d skipped\n", passed, failed, skipped
        else print "0 passed, 1 failed (the build or the test host failed before any test ran)" }'
exit "$rc"
