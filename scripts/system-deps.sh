#!/usr/bin/env bash
# System packages the test suite needs beyond Python, Java and Maven: Prometheus (prometheus + promtool) from Debian,
# for tests/ops and tests/integration/test_ops_live.py. `make system-deps` runs it: idempotent, apt-get only when a
# tool is missing, and it says so. `--check` installs nothing: `make test` uses it to stop early with the fix.
set -euo pipefail

missing=()
for tool in promtool prometheus; do
  command -v "$tool" > /dev/null 2>&1 || missing+=("$tool")
done
if [ "${#missing[@]}" -eq 0 ]; then
  [ "${1:-}" = "--check" ] || echo "system-deps: present ($(promtool --version 2>&1 | head -1)); nothing to install" >&2
  exit 0
fi
if [ "${1:-}" = "--check" ]; then
  echo "system-deps: ${missing[*]} not found; run \`make system-deps\` once (apt-get install prometheus, needs root or sudo)" >&2
  exit 1
fi

echo "system-deps: ${missing[*]} not found; installing Debian's prometheus package with apt-get" >&2
if ! command -v apt-get > /dev/null 2>&1; then
  echo "system-deps: apt-get is not available: install Prometheus 2.x (prometheus and promtool on PATH) by hand" >&2
  exit 1
fi
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo > /dev/null 2>&1; then
    echo "system-deps: need root (or sudo) to run apt-get install prometheus" >&2
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
  command -v "$tool" > /dev/null 2>&1 || { echo "system-deps: $tool still missing after apt-get install" >&2; exit 1; }
done
echo "system-deps: installed $(promtool --version 2>&1 | head -1)" >&2
