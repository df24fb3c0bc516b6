#!/usr/bin/env bash
# System packages the test suite needs beyond Python, Java and Maven: Prometheus (prometheus + promtool) from
# Debian, for tests/ops and tests/integration/test_ops_live.py. Idempotent; `make test` runs it first.
set -euo pipefail

missing=()
for tool in promtool prometheus; do
  command -v "$tool" > /dev/null 2>&1 || missing+=("$tool")
done
if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi

echo "ci-deps: ${missing[*]} not found; installing Debian's prometheus package" >&2
if ! command -v apt-get > /dev/null 2>&1; then
  echo "ci-deps: apt-get is not available: install Prometheus 2.x (prometheus and promtool on PATH) by hand" >&2
  exit 1
fi
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo > /dev/null 2>&1; then
    echo "ci-deps: need root (or sudo) to run apt-get install prometheus" >&2
    exit 1
  fi
  sudo=(sudo)
fi

export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends prometheus > /dev/null
# The package enables a system service on :9090; the tests run their own Prometheus on a free port instead.
if [ -d /run/systemd/system ] && command -v systemctl > /dev/null 2>&1; then
  "${sudo[@]}" systemctl disable --now prometheus > /dev/null 2>&1 || true
fi

for tool in promtool prometheus; do
  command -v "$tool" > /dev/null 2>&1 || { echo "ci-deps: $tool still missing after apt-get install" >&2; exit 1; }
done
echo "ci-deps: $(promtool --version 2>&1 | head -1)" >&2
