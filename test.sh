#!/usr/bin/env bash
# Runs every test of the repository on a fresh machine: installs what the tests need when it is missing,
# builds, runs the NUnit suite, and ends with one summary line "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Real parts the tests run: redis-server (the Redis store and two-replica tests) and headless Chromium (the log page
# test), both Debian packages, and curl (the README walkthrough test); nothing downloads its own browser.
missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v curl >/dev/null 2>&1 || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} (Debian packages) for the tests..."
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi

log=$(mktemp)
IGOR_TEST_REPORT=$(mktemp)
export IGOR_TEST_REPORT
trap 'rm -f "$log" "$IGOR_TEST_REPORT"' EXIT
set +e
# A test host that stops making progress (a hang no deadline caught) is killed after 10 minutes, so CI never waits
# out its 90: the run then fails with the hung test named.
dotnet test Igor.GitHubActions.slnx --nologo --blame-hang-timeout 10m --blame-hang-dump-type none "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e

cat "$IGOR_TEST_REPORT"

# VSTest prints one "Passed!/Failed!  - Failed: N, Passed: N, Skipped: N, Total: N" line per test assembly.
summary=$(grep -E '^(Passed|Failed)!' "$log" | awk -F'[:,]' '
  { failed += $2; passed += $4; skipped += $6; seen = 1 }
  END { if (seen) printf "%d passed, %d failed, %d skipped\n", passed, failed, skipped
        else print "0 passed, 1 failed (the build or the test host failed before any test ran)" }')

# In CI every test must run: a skipped test is a promise left unchecked. The summary stays the last line.
if [ "${CI:-}" = "true" ] && [ "$rc" -eq 0 ] && ! echo "$summary" | grep -q ' 0 skipped$'; then
  echo "CI=true: tests were skipped; every test must run in CI"
  rc=1
fi
echo "$summary"
exit "$rc"
