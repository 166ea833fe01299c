#!/usr/bin/env bash
# Times what archives and binary files cost: `keyscan scan` of a tree (default
# GOROOT/src, which holds test archives and binaries) with both on (the
# default) and with both off, in the same run; then `keyscan history` of a
# repository built here whose history holds archives (each commit adds a jar,
# a tar.gz and a wheel; the last commit deletes them), also with a
# max_file_size below the archives' size, so that they are read as archives
# over it (up to archives.max_archive_size); then the peak memory of
# `keyscan scan` of a real zip bomb and of a nested one (42.zip's shape) made
# here. Each command's peak RSS is measured once with /usr/bin/time besides
# hyperfine's timing. Record `uptime` with the figures: the machine is shared.
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
# peak LABEL CMD...: one run, its wall time, CPU and peak RSS.
peak() {
  local label=$1
  shift
  /usr/bin/env time -f "$label: %e s wall, %U+%S s CPU, %M KB peak RSS" "$@" >/dev/null 2>"$tmp/time" || true
  tail -1 "$tmp/time"
}
if command -v hyperfine >/dev/null; then
  hyperfine -N -i --warmup 1 --runs "${RUNS:-5}" "$on" "$off" 2>&1 | grep -v '^ *$' || true
fi
peak "scan, archives+binaries on" $on
peak "scan, archives+binaries off" $off
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
small=$tmp/small.toml # every archive of the history is over this max_file_size
echo 'max_file_size = "16KiB"' >"$small"
if command -v hyperfine >/dev/null; then
  hyperfine -N -i --warmup 1 --runs "${RUNS:-5}" \
    "$bin history --quiet --format json $repo" \
    "$bin history --quiet --format json --max-archive-depth 0 --binaries=false $repo" \
    "$bin history --quiet --format json --config $small $repo" 2>&1 | grep -v '^ *$' || true
fi
peak "history, archives on" "$bin" history --quiet --format json "$repo"
peak "history, archives off" "$bin" history --quiet --format json --max-archive-depth 0 --binaries=false "$repo"
peak "history, archives over max_file_size (16 KiB)" "$bin" history --quiet --format json --config "$small" "$repo"
"$bin" history --format json "$repo" 2>&1 >/dev/null | grep 'history:' || true
"$bin" history --format json --config "$small" "$repo" 2>&1 >/dev/null | grep 'history:' || true

# Bombs: one member of 200 MiB of zeros (about 200 KiB of deflate), and
# 42.zip's shape (two levels of ten copies over a 64 MiB bomb: 6.4 GiB).
python3 - "$tmp" <<'PY'
import sys, zipfile
tmp = sys.argv[1]
def bomb(path, n):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z, z.open("zeros.txt", "w", force_zip64=True) as w:
        chunk = bytes(1 << 20)
        for _ in range(n >> 20):
            w.write(chunk)
bomb(tmp + "/bomb.zip", 200 << 20)
bomb(tmp + "/level0.zip", 64 << 20)
for lvl in (1, 2):
    with zipfile.ZipFile(f"{tmp}/level{lvl}.zip", "w", zipfile.ZIP_DEFLATED) as z:
        data = open(f"{tmp}/level{lvl-1}.zip", "rb").read()
        for c in "abcdefghij":
            z.writestr(c + ".zip", data)
PY
mkdir -p "$tmp/bombs"
mv "$tmp/bomb.zip" "$tmp/bombs/bomb.zip"
mv "$tmp/level2.zip" "$tmp/bombs/42.zip"
echo "bombs: $(stat -c '%n %s bytes' "$tmp"/bombs/* | sed "s|$tmp/bombs/||" | paste -sd, -)"
peak "scan of a 200 MiB zip bomb" "$bin" scan --quiet --format json "$tmp/bombs/bomb.zip"
peak "scan of a nested bomb (42.zip shape)" "$bin" scan --quiet --format json "$tmp/bombs/42.zip"
