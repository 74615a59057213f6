#!/usr/bin/env bash
# Writes X.br and X.gz next to each .wasm, .js, .css, .svg and .html file of
# the built web client, for the server to send as they are to a browser that
# accepts them (api/src/spa.rs). Brotli at quality 11 comes from the Python
# module `brotli` or, failing that, Debian's `brotli` command (whichever
# scripts/install-tools.sh put there); gzip is `gzip -9`. Safe to run
# repeatedly: every sibling is written anew from its file.
set -euo pipefail

dist=${1:-web/dist}

# scripts/install-tools.sh (run by `make web`) installs one of the two.
if python3 -c 'import brotli' 2>/dev/null; then
  brotli_with=python
elif command -v brotli >/dev/null 2>&1; then
  brotli_with=cli
else
  echo "error: no brotli: run scripts/install-tools.sh" >&2
  exit 1
fi

mapfile -t files < <(find "$dist" -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' -o -name '*.svg' -o -name '*.html' \) | sort)
if [ "${#files[@]}" -eq 0 ]; then
  echo "error: no files to compress in $dist (build the web client first)" >&2
  exit 1
fi

for file in "${files[@]}"; do
  gzip -9 -n -c "$file" > "$file.gz"
  if [ "$brotli_with" = cli ]; then
    brotli -q 11 -f -o "$file.br" "$file"
  fi
done
if [ "$brotli_with" = python ]; then
  python3 - "${files[@]}" <<'EOF'
import sys, brotli
for path in sys.argv[1:]:
    with open(path, "rb") as f:
        data = f.read()
    with open(path + ".br", "wb") as f:
        f.write(brotli.compress(data, quality=11))
EOF
fi
# The siblings take their file's time: one version, one Last-Modified.
for file in "${files[@]}"; do
  touch -r "$file" "$file.gz" "$file.br"
done

for wasm in $(find "$dist" -name '*.wasm' | sort); do
  printf '%s: %s bytes, gzip %s, brotli %s\n' "${wasm#"$dist"/}" \
    "$(wc -c < "$wasm")" "$(wc -c < "$wasm.gz")" "$(wc -c < "$wasm.br")"
done
