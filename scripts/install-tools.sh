#!/usr/bin/env bash
# Installs what building and testing Navigator needs, when it is missing:
# the wasm target, trunk, wasm-bindgen-cli, wasm-split-cli, brotli, and (for the browser
# tests) Debian's chromium and chromium-driver. Safe to run repeatedly.
set -euo pipefail

TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=0.2.130
WASM_SPLIT_VERSION=0.2.3
AXE_VERSION=4.11.0
want_browser=${1:-}

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  echo "==> rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi
if ! trunk --version 2>/dev/null | grep -q "$TRUNK_VERSION"; then
  echo "==> cargo install trunk $TRUNK_VERSION"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi
if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  echo "==> cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi
# Cuts the web client's wasm into chunks (scripts/build-wasm.sh).
if ! cargo install --list | grep -q "^wasm_split_cli_support v$WASM_SPLIT_VERSION:"; then
  echo "==> cargo install wasm_split_cli_support $WASM_SPLIT_VERSION"
  cargo install wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --locked --features build-binary
fi

apt_install() {
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  if [ -z "${APT_UPDATED:-}" ]; then
    $sudo apt-get update -qq
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@"
}

# The PostgreSQL client library for Diesel.
if ! pkg-config --exists libpq 2>/dev/null && [ ! -e /usr/include/postgresql/libpq-fe.h ]; then
  echo "==> installing libpq-dev"
  apt_install libpq-dev pkg-config
fi

# Brotli for the precompressed web client (scripts/compress-web.sh): the
# Python module from PyPI, or Debian's `brotli` when pip cannot install it.
if ! python3 -c 'import brotli' 2>/dev/null && ! command -v brotli >/dev/null 2>&1; then
  echo "==> pip install --user brotli"
  if ! python3 -m pip install --user --quiet --disable-pip-version-check brotli \
    || ! python3 -c 'import brotli' 2>/dev/null; then
    echo "==> installing brotli (Debian)"
    apt_install brotli
  fi
fi

if [ "$want_browser" = "--bench" ]; then
  if ! command -v wrk >/dev/null 2>&1; then
    echo "==> installing wrk (HTTP load generator)"
    apt_install wrk
  fi
fi

if [ "$want_browser" = "--browser" ]; then
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    echo "==> installing chromium and chromium-driver"
    apt_install chromium chromium-driver
  fi
  # axe-core: the browser journeys check every page they visit for
  # accessibility violations (critical and serious fail the test).
  tools=${NAVIGATOR_TOOLS:-$HOME/.cache/navigator-tools}
  if [ ! -f "$tools/node_modules/axe-core/axe.min.js" ] \
    || ! grep -q "\"version\": \"$AXE_VERSION\"" "$tools/node_modules/axe-core/package.json"; then
    echo "==> npm install axe-core@$AXE_VERSION"
    mkdir -p "$tools"
    npm install --prefix "$tools" --no-audit --no-fund --silent "axe-core@$AXE_VERSION"
  fi
fi
