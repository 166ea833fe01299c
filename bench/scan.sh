#!/usr/bin/env bash
# Times `keyscan scan` on a large real tree against the I/O floor: reading the
# same files with cat, warm cache. Usage: bench/scan.sh [TREE] (default: GOROOT/src).
# KEYSCAN=PATH times that keyscan binary instead of building this tree. Without
# hyperfine it prints each of $RUNS runs (default 5): wall time and CPU time
# (user+sys); on a busy machine compare the CPU, and keyscan's CPU over the
# cores it has against cat's.
set -euo pipefail
cd "$(dirname "$0")/.."
tree=${1:-$(go env GOROOT)/src}
bin=$(mktemp -d)/keyscan
if [ -n "${KEYSCAN:-}" ]; then
  cp "$KEYSCAN" "$bin"
else
  go build -o "$bin" ./cmd/keyscan
fi
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
  for _ in $(seq "${RUNS:-5}"); do
    /usr/bin/env time -f "cat floor:    %e s wall, %U+%S s CPU" sh -c "xargs -0 cat <$files >/dev/null"
    /usr/bin/env time -f "keyscan scan: %e s wall, %U+%S s CPU, %M KB peak" "$bin" scan --quiet --format json "$tree" >/dev/null || true
  done
  echo "$(nproc) cores; load:$(uptime | sed 's/.*load average://')" >&2
fi
rm -f "$files"
