#!/usr/bin/env bash
# Checks the Prometheus alert rules and runs their unit tests with promtool.
# promtool comes with Debian's `prometheus` package: apt-get install -y --no-install-recommends prometheus
set -euo pipefail
cd "$(dirname "$0")/prometheus"
if ! command -v promtool >/dev/null 2>&1; then
  echo "promtool not found: install it (Debian: apt-get install -y --no-install-recommends prometheus)" >&2
  exit 127
fi
promtool check rules *.rules.yml
promtool test rules *.rules.test.yml
