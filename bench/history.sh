#!/usr/bin/env bash
# bench/history.sh REPO: time `keyscan history` against the floor (git
# inflating every object once) and against gitleaks, in the same run.
#
# Prints wall time, CPU time (user+sys) and peak memory of each, and
# keyscan's ratio to the floor. The goals (issue 4): within 1.5x of the
# floor, under 300 MB peak on a repository of 1 GB of blobs, at least 10x
# faster than gitleaks. On a busy machine wall times swing; CPU times less.
#
# Needs /usr/bin/time (apt-get install -y time) and go; gitleaks is optional
# (go install github.com/zricethezav/gitleaks/v8@latest).
set -euo pipefail

repo=${1:?usage: bench/history.sh REPO}
runs=${RUNS:-3}
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ ! -x /usr/bin/time ]; then
	echo "installing GNU time (apt-get install -y time)" >&2
	apt-get install -y time >/dev/null
fi
gitdir=$(git -C "$repo" rev-parse --absolute-git-dir)

(cd "$here" && go build -o "$tmp/keyscan" ./cmd/keyscan)

read -r commits < <(git --git-dir="$gitdir" rev-list --all --count)
read -r blobs blob_bytes < <(git --git-dir="$gitdir" cat-file --batch-all-objects --batch-check='%(objecttype) %(objectsize)' |
	awk '$1 == "blob" { n++; s += $2 } END { printf "%d %.0f\n", n, s }')
printf 'repository %s: %d commits, %d blobs, %.1f MB of blobs, %d cores\n' \
	"$repo" "$commits" "$blobs" "$(echo "$blob_bytes / 1000000" | bc -l)" "$(nproc)"

# measure LABEL CMD...: best of $runs runs (by wall time).
measure() {
	local label=$1 best= line
	shift
	for _ in $(seq "$runs"); do
		/usr/bin/time -f '%e %U %S %M' -o "$tmp/t" "$@" >/dev/null 2>"$tmp/err" || true
		if grep -qi 'fatal\|ERR' "$tmp/err"; then
			echo "$label: $(grep -i -m1 'fatal\|ERR' "$tmp/err")" >&2
		fi
		line=$(tail -n 1 "$tmp/t")
		if [ -z "$best" ] || awk -v a="${line%% *}" -v b="${best%% *}" 'BEGIN { exit !(a < b) }'; then
			best=$line
		fi
	done
	read -r wall user sys kb <<<"$best"
	printf '%-34s %8.2f s wall %8.2f s cpu %8.0f MB peak\n' "$label" "$wall" "$(echo "$user + $sys" | bc -l)" "$(echo "$kb / 1024" | bc -l)"
	eval "wall_${label//[^a-z]/_}=$wall"
}

measure floor_unordered git --git-dir="$gitdir" cat-file --batch-all-objects --batch --unordered
measure floor_ordered git --git-dir="$gitdir" cat-file --batch-all-objects --batch
measure keyscan "$tmp/keyscan" history --quiet --format json "$repo"
measure keyscan_all_objects "$tmp/keyscan" history --quiet --all-objects --format json "$repo"
if command -v gitleaks >/dev/null; then
	# GITLEAKS_LOG_OPTS: e.g. in a partial clone, where `git log -p` stops
	# at the first missing blob, "--all -- . :!path/of/missing/blob".
	measure gitleaks gitleaks git --no-banner --redact --log-level error --report-path "$tmp/gl.json" \
		${GITLEAKS_LOG_OPTS:+--log-opts="$GITLEAKS_LOG_OPTS"} "$repo"
else
	echo "gitleaks not installed: go install github.com/zricethezav/gitleaks/v8@latest" >&2
fi

printf 'keyscan / floor (unordered): %.2fx\n' "$(echo "$wall_keyscan / $wall_floor_unordered" | bc -l)"
if [ -n "${wall_gitleaks:-}" ]; then
	printf 'gitleaks / keyscan: %.1fx\n' "$(echo "$wall_gitleaks / $wall_keyscan" | bc -l)"
fi
"$tmp/keyscan" history --format json "$repo" 2>"$tmp/err" >/dev/null || true
tail -n 1 "$tmp/err"
