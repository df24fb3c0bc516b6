#!/usr/bin/env bash
# System packages the test suite needs beyond Python, Java and Maven, from Debian: Prometheus (prometheus + promtool)
# for tests/ops and tests/integration/test_ops_live.py, Chromium and its driver for the live page's browser test
# (tests/integration/test_stories_page.py). `make system-deps` runs it: idempotent, apt-get only for what is missing,
# and it says so. `make test` runs it first.
#
# `system-deps.sh build` checks only what `make compile` needs (the extraction compiled with mypyc): gcc and the
# headers of the Python in NEWSEVENTS_PYTHON (default python3); Debian's python3-dev when that Python is Debian's.
set -euo pipefail
mode="${1:-all}"

# tool on PATH -> the Debian package that provides it
declare -A package_of=(
  [promtool]=prometheus
  [prometheus]=prometheus
  [chromium]=chromium
  [chromedriver]=chromium-driver
  [gcc]=gcc
)
tools=(gcc)
[ "$mode" = build ] || tools+=(promtool prometheus chromium chromedriver)

missing=()
packages=()
for tool in "${tools[@]}"; do
  if ! command -v "$tool" > /dev/null 2>&1; then
    missing+=("$tool")
    package="${package_of[$tool]}"
    [[ " ${packages[*]} " == *" $package "* ]] || packages+=("$package")
  fi
done
python="${NEWSEVENTS_PYTHON:-python3}"
command -v "$python" > /dev/null 2>&1 || python=python3  # (the venv is not made yet)
include="$("$python" -c 'import sysconfig; print(sysconfig.get_paths()["include"])')"
if [ ! -f "$include/Python.h" ]; then
  case "$include" in
    /usr/include/*) packages+=(python3-dev) ;;
    *) echo "system-deps: $include/Python.h missing: install the headers of $python (not Debian's Python)" >&2; exit 1 ;;
  esac
fi
if [ "${#missing[@]}" -eq 0 ] && [ "${#packages[@]}" -eq 0 ]; then
  echo "system-deps: present; nothing to install" >&2
  exit 0
fi

echo "system-deps: ${missing[*]} not found; installing Debian's ${packages[*]} with apt-get" >&2
if ! command -v apt-get > /dev/null 2>&1; then
  echo "system-deps: apt-get is not available: install ${packages[*]} by hand (Prometheus 2.x; Chromium with its chromedriver; gcc)" >&2
  exit 1
fi
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo > /dev/null 2>&1; then
    echo "system-deps: need root (or sudo) to run apt-get install ${packages[*]}" >&2
    exit 1
  fi
  sudo=(sudo)
fi

export DEBIAN_FRONTEND=noninteractive
# Another apt on the machine (a shared CI host) holds the lock for a while: wait for it instead of failing.
apt_options=(-o DPkg::Lock::Timeout=600)
"${sudo[@]}" apt-get "${apt_options[@]}" update -qq
"${sudo[@]}" apt-get "${apt_options[@]}" install -y -qq --no-install-recommends "${packages[@]}" > /dev/null
# The prometheus package enables a system service on :9090; the tests run their own Prometheus on a free port instead.
if [[ " ${packages[*]} " == *" prometheus "* ]] && [ -d /run/systemd/system ] && command -v systemctl > /dev/null 2>&1; then
  "${sudo[@]}" systemctl disable --now prometheus > /dev/null 2>&1 || true
fi

for tool in "${missing[@]}"; do
  command -v "$tool" > /dev/null 2>&1 || { echo "system-deps: $tool still missing after apt-get install" >&2; exit 1; }
done
[ -f "$include/Python.h" ] || { echo "system-deps: $include/Python.h still missing after apt-get install" >&2; exit 1; }
echo "system-deps: installed ${packages[*]}" >&2
