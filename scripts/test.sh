#!/bin/sh
# `npm test`: installs the external tools the tests need (scripts/test-tools.sh), builds,
# type-checks, runs the whole suite with the real clock, then runs every test that touches time
# (the CLI, the SES adapter, ses-local, the cross-package CLI and ses-local tests, the docs'
# examples) again under a clock moved 400 days ahead with Debian's faketime, so that nothing can
# depend on the day it runs. Extra arguments go to both vitest runs.
#
# DSNKIT_TEST_REPORTS=DIR writes each run's vitest JSON report into DIR (.ci/run counts them).
set -u
cd "$(dirname "$0")/.."

TIME_TOUCHING="packages/cli packages/ses packages/ses-local test/cli-parity test/cli-batch test/ses-local test/docs"

sh scripts/test-tools.sh || exit 1
npx tsc -b || exit 1
npx tsc -p tsconfig.test.json || exit 1

reports() {
  if [ -n "${DSNKIT_TEST_REPORTS:-}" ]; then
    mkdir -p "$DSNKIT_TEST_REPORTS"
    printf '%s\n' --reporter=default --reporter=json "--outputFile=$DSNKIT_TEST_REPORTS/$1.json"
  fi
}

status=0
# shellcheck disable=SC2046
npx vitest run $(reports real-clock) "$@" || status=$?
echo "== the tests that touch time, again with the clock 400 days ahead (faketime -f +400d) =="
# shellcheck disable=SC2046,SC2086
faketime -f +400d npx vitest run $TIME_TOUCHING $(reports clock-400-days-ahead) "$@" || status=$?
exit "$status"
