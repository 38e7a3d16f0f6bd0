#!/usr/bin/env bash
# npm run mutate [FILE...]: mutation testing with StrykerJS (stryker.config.mjs). Not part of CI:
# it takes tens of minutes. Two groups, each against its own unit tests: core (core/policy.ts,
# core/runner.ts, core/outcome.ts) and checks (checks/**). Given files (core/policy.ts,
# checks/pre/node-readiness.ts…) narrow the run to them. Results are kept in
# reports/stryker-incremental-<group>.json, so a rerun mutates only what changed; the report is
# reports/mutation/<group>.html and .json.
# StrykerJS needs Node >= 22: like scripts/test-node-versions.sh, it is taken from the npm
# registry's `node` package into .cache/.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=.cache/node-22
if [ ! -x "$dir/node_modules/.bin/node" ]; then
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-save --no-audit --no-fund --no-package-lock node@22 >/dev/null
fi
export PATH="$PWD/$dir/node_modules/.bin:$PATH"
core=() checks=()
for f in "$@"; do
  case "$f" in
    core/*) core+=("$f") ;;
    checks/*) checks+=("$f") ;;
    *) echo "npm run mutate: $f is neither under core/ nor under checks/" >&2; exit 2 ;;
  esac
done
run() { # group, files…
  local group=$1; shift
  echo "== mutation testing: $group ${*:-(all)}"
  MMGATE_MUTATE_GROUP=$group MMGATE_MUTATE="$(IFS=,; echo "$*")" node node_modules/@stryker-mutator/core/bin/stryker.js run
}
if [ $# -eq 0 ] || [ ${#core[@]} -gt 0 ]; then run core "${core[@]}"; fi
if [ $# -eq 0 ] || [ ${#checks[@]} -gt 0 ]; then run checks "${checks[@]}"; fi
