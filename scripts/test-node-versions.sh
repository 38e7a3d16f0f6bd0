#!/usr/bin/env bash
# mmgate must run on Node 20, 22 and 24 (@kubernetes/client-node is pinned to 1.4.0 for that).
# CI's machine has Node 20; Node 22 and 24 come from the npm registry's `node` package (a
# prebuilt binary shipped inside it) into .cache/, and run the tests that exercise the real
# clients end to end: client-node, @mattermost/client, the CLI and every lab scenario.
# Needs a built dist/ (npm ci builds it).
set -euo pipefail
cd "$(dirname "$0")/.."
tests=(dist/lab/kube/client-node.test.js dist/lab/mattermost/client.test.js dist/test/cli.test.js dist/test/scenarios.test.js)
for major in 22 24; do
  dir=".cache/node-$major"
  if [ ! -x "$dir/node_modules/.bin/node" ]; then
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-save --no-audit --no-fund --no-package-lock "node@$major" >/dev/null
  fi
  bin="$dir/node_modules/.bin/node"
  echo "== Node $("$bin" --version): ${#tests[@]} end-to-end test files"
  "$bin" --test --test-reporter=dot --test-concurrency=2 "${tests[@]}"
done
