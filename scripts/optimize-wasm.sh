#!/usr/bin/env bash
# Shrinks every wasm module of a folder with binaryen's wasm-opt (from the
# npm package `binaryen`, installed once into ~/.cache/navigator-tools;
# nothing is downloaded from GitHub). scripts/build-wasm.sh runs it on the
# client's main module and its chunks.
set -euo pipefail

BINARYEN_VERSION=123
dist=${1:-web/dist}
tools=${NAVIGATOR_TOOLS:-$HOME/.cache/navigator-tools}
wasm_opt="$tools/node_modules/.bin/wasm-opt"

if ! "$wasm_opt" --version 2>/dev/null | grep -q "version $BINARYEN_VERSION"; then
  echo "==> npm install binaryen@$BINARYEN_VERSION (wasm-opt)"
  mkdir -p "$tools"
  if ! npm install --prefix "$tools" --no-audit --no-fund --silent "binaryen@$BINARYEN_VERSION"; then
    echo "warning: binaryen could not be installed; the wasm stays unoptimized" >&2
    exit 0
  fi
fi

for wasm in "$dist"/*.wasm; do
  "$wasm_opt" -Oz \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$wasm" -o "$wasm.opt"
  mv "$wasm.opt" "$wasm"
done
