#!/usr/bin/env bash
# Times `keyscan scan` on a large real tree against the I/O floor: reading the
# same files with cat, warm cache. Usage: bench/scan.sh [TREE] (default: GOROOT/src).
set -euo pipefail
cd "$(dirname "$0")/.."
tree=${1:-$(go env GOROOT)/src}
bin=$(mktemp -d)/keyscan
go build -o "$bin" ./cmd/keyscan
files=$(mktemp)
# The same files keyscan reads: regular files, no .git.
find "$tree" -type f -not -path '*/.git/*' -print0 >"$files"
count=$(tr -cd '\0' <"$files" | wc -c)
bytes=$(xargs -0 cat <"$files" | wc -c)
echo "tree: $tree  files: $count  bytes: $bytes"
xargs -0 cat <"$files" >/dev/null # warm the cache
gitleaks=$(command -v gitleaks || echo "$(go env GOPATH)/bin/gitleaks")
peers=()
if [ -x "$gitleaks" ]; then
  # gitleaks exits 1 on findings; -i keeps hyperfine going. Its report goes to
  # a real file: gitleaks replaces the report path, which must not be /dev/null.
  peers=(-i "$gitleaks dir --no-banner --log-level error --report-format json --report-path $(mktemp -d)/gl.json $tree")
fi
if command -v hyperfine >/dev/null; then
  # -i: keyscan exits 1 when the tree holds findings (botocore's does).
  hyperfine -N -i --warmup 1 --runs "${RUNS:-10}" \
    "xargs -0 -a $files cat" \
    "$bin scan --quiet --format json $tree" "${peers[@]}" 2>&1 | grep -v '^ *$' || true
else
  for i in 1 2 3; do
    /usr/bin/env time -f "cat floor: %e s" sh -c "xargs -0 cat <$files >/dev/null"
    /usr/bin/env time -f "keyscan scan: %e s, %M KB peak" "$bin" scan --quiet --format json "$tree" >/dev/null || true
  done
fi
rm -f "$files"
