#!/usr/bin/env bash
# Times what archives and binary files cost: `keyscan scan` of a tree (default
# GOROOT/src, which holds test archives and binaries) with both on (the
# default) and with both off, in the same run; then `keyscan history` of a
# repository built here whose history holds archives (each commit adds a jar,
# a tar.gz and a wheel; the last commit deletes them).
# Usage: bench/archives.sh [TREE]
set -euo pipefail
cd "$(dirname "$0")/.."
tree=${1:-$(go env GOROOT)/src}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bin=$tmp/keyscan
go build -o "$bin" ./cmd/keyscan
echo "load: $(uptime)"
on="$bin scan --quiet --format json $tree"
off="$bin scan --quiet --format json --max-archive-depth 0 --binaries=false $tree"
if command -v hyperfine >/dev/null; then
  hyperfine -N -i --warmup 1 --runs "${RUNS:-5}" "$on" "$off" 2>&1 | grep -v '^ *$' || true
else
  for i in 1 2 3; do
    /usr/bin/env time -f "archives+binaries on: %e s, %M KB peak" $on >/dev/null || true
    /usr/bin/env time -f "archives+binaries off: %e s, %M KB peak" $off >/dev/null || true
  done
fi
"$bin" scan --format json "$tree" 2>&1 >/dev/null | grep 'scanned' || true

# A repository whose history holds archives: 50 commits, each replacing a
# jar, a tar.gz and a wheel made from a slice of the tree.
repo=$tmp/repo
git init -q "$repo"
mapfile -t files < <(cd "$tree" && find . -name '*.go' -size -64k | sort | head -1500 || true)
for c in $(seq 1 50); do
  part=("${files[@]:$(( (c - 1) * 30 )):30}")
  rm -f "$repo/app.jar" "$repo/site.tar.gz" "$repo/pkg-1.0-py3-none-any.whl"
  (cd "$tree" && zip -q -r "$repo/app.jar" "${part[@]}" && tar czf "$repo/site.tar.gz" "${part[@]}" && zip -q "$repo/pkg-1.0-py3-none-any.whl" "${part[@]}")
  git -C "$repo" add -A
  git -C "$repo" -c user.name=b -c user.email=b@example.com commit -q -m "c$c"
done
git -C "$repo" rm -q app.jar site.tar.gz pkg-1.0-py3-none-any.whl
git -C "$repo" -c user.name=b -c user.email=b@example.com commit -q -m delete
echo "history repository: $(git -C "$repo" count-objects -vH | grep size-pack)"
if command -v hyperfine >/dev/null; then
  hyperfine -N -i --warmup 1 --runs "${RUNS:-5}" \
    "$bin history --quiet --format json $repo" \
    "$bin history --quiet --format json --max-archive-depth 0 --binaries=false $repo" 2>&1 | grep -v '^ *$' || true
else
  /usr/bin/env time -f "history, archives on: %e s, %M KB peak" "$bin" history --quiet --format json "$repo" >/dev/null || true
  /usr/bin/env time -f "history, archives off: %e s, %M KB peak" "$bin" history --quiet --format json --max-archive-depth 0 --binaries=false "$repo" >/dev/null || true
fi
"$bin" history --format json "$repo" 2>&1 >/dev/null | grep 'history:' || true
