#!/usr/bin/env bash
# Builds the web client's WebAssembly in chunks and links it into the page
# trunk has written (web/dist/index.html):
#   1. cargo builds the client with its relocations kept (.cargo/config.toml);
#   2. wasm-split-cli cuts it at the split functions of web/src/app.rs: the
#      main module holds the frame, the home page and the catalog list;
#      `split_public_page` the other public pages, `split_family_page` the
#      family's, `split_staff_page` the staff sections, `chunk_*` what
#      several of those share;
#   3. wasm-bindgen writes the JavaScript glue of the main module (keeping its
#      function table exported: the chunks share it), and wasm-opt shrinks
#      every module (scripts/optimize-wasm.sh);
#   4. everything goes into web/dist/app-<hash of the contents>/, cached for a
#      year by the server, and index.html loads it.
# Usage: scripts/build-wasm.sh [cargo profile] [dist]
set -euo pipefail

profile=${1:-wasm-release}
dist=${2:-web/dist}
target_dir=${CARGO_TARGET_DIR:-$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')}
name=navigator-web

cargo build -p "$name" --target wasm32-unknown-unknown --profile "$profile"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
wasm-split-cli "$target_dir/wasm32-unknown-unknown/$profile/$name.wasm" "$work/split" --out-name "$name"
mkdir -p "$work/app"
wasm-bindgen --target web --no-typescript --keep-lld-exports --out-dir "$work/app" --out-name "$name" "$work/split/$name.wasm"
rm "$work/split/$name.wasm"
cp "$work/split"/* "$work/app/"
scripts/optimize-wasm.sh "$work/app"

hash=$(cd "$work/app" && cat $(ls | sort) | sha256sum | cut -c1-16)
bundle="app-$hash"
rm -rf "$dist"/app-*
mv "$work/app" "$dist/$bundle"
chmod 755 "$dist/$bundle"

# The bootstrap takes the place of the rust link trunk was told to skip.
loader="<link rel=\"modulepreload\" href=\"/$bundle/$name.js\" />\
<link rel=\"preload\" href=\"/$bundle/${name}_bg.wasm\" as=\"fetch\" type=\"application/wasm\" crossorigin=\"anonymous\" />\
<script type=\"module\">import init from \"/$bundle/$name.js\"; init({ module_or_path: \"/$bundle/${name}_bg.wasm\" });</script>"
rust_link='<link data-trunk rel="rust"[^>]*>'
grep -q "$rust_link" "$dist/index.html"
sed -i "s|$rust_link|$loader|" "$dist/index.html"
echo "==> $dist/$bundle: $(ls "$dist/$bundle" | tr '\n' ' ')"
