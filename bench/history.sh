#!/usr/bin/env bash
# bench/history.sh [REPO...]: time `keyscan history` against the floor, git
# inflating every object once in its own order (`git cat-file
# --batch-all-objects --batch --unordered`), on each repository, and check
# that the findings are the saved ones.
#
# Without arguments it runs the benchmark repositories that are present
# under $MIRROR (default /work/.mirror): go-git/go-git, getmoto/moto,
# boto/botocore, trufflesecurity/trufflehog, as git directories at
# $MIRROR/OWNER+NAME/repo. A REPO argument is any repository path.
#
# Per repository it prints the size of its blobs, the median wall time of $RUNS runs
# (default 3) of keyscan and of the floor, their ratio, keyscan's CPU time
# (user+sys) and peak memory in that run, and whether keyscan's JSON report
# holds the findings saved in $SAVED/NAME.json (SAVED defaults to
# /work/bench-out/ref; SAVE=1 writes the reports there instead). The goal
# (issue 16): within 1.3x of the floor, under 250 MB peak on botocore. On
# a busy machine wall times swing; the load is printed with the results.
#
# KEYSCAN=PATH times that keyscan binary instead of building this tree.
#
# Needs /usr/bin/time (apt-get install -y time), git, go and python3.
set -euo pipefail

runs=${RUNS:-3}
mirror=${MIRROR:-/work/.mirror}
saved=${SAVED:-/work/bench-out/ref}
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ ! -x /usr/bin/time ]; then
	echo "bench/history.sh needs GNU time: apt-get install -y time" >&2
	exit 2
fi
if [ -n "${KEYSCAN:-}" ]; then
	cp "$KEYSCAN" "$tmp/keyscan" # a build to compare with, e.g. before a change
else
	(cd "$here" && go build -o "$tmp/keyscan" ./cmd/keyscan)
fi

repos=("$@")
if [ ${#repos[@]} -eq 0 ]; then
	for n in go-git+go-git getmoto+moto boto+botocore trufflesecurity+trufflehog; do
		if [ -d "$mirror/$n/repo" ]; then repos+=("$mirror/$n/repo"); fi
	done
fi
if [ ${#repos[@]} -eq 0 ]; then
	echo "no repositories: none under $mirror, none given" >&2
	exit 2
fi

# measure CMD...: runs CMD $runs times; prints the median run's
# "wall user sys kb".
measure() {
	: >"$tmp/runs"
	for _ in $(seq "$runs"); do
		/usr/bin/time -f '%e %U %S %M' -o "$tmp/t" "$@" >"$tmp/out" 2>"$tmp/err" || true
		tail -n 1 "$tmp/t" >>"$tmp/runs"
	done
	sort -n "$tmp/runs" | sed -n "$(((runs + 1) / 2))p"
}

# same_findings A B: the two JSON reports hold the same findings, apart
# from the advice text (suggestion, context), which changes with the rules'
# wording, not with what is found.
same_findings() {
	python3 - "$1" "$2" <<'PY'
import json, sys
def norm(p):
    return [{k: v for k, v in f.items() if k not in ("suggestion", "context")} for f in json.load(open(p))]
sys.exit(0 if norm(sys.argv[1]) == norm(sys.argv[2]) else 1)
PY
}

name_of() {
	case $1 in
	"$mirror"/*/repo) basename "$(dirname "$1")" ;;
	*) basename "$(cd "$1" && pwd)" ;;
	esac
}

printf '%-28s %9s %9s %9s %6s %9s %8s  %s\n' repository blobs keyscan floor ratio "ks cpu" "ks peak" findings
for repo in "${repos[@]}"; do
	name=$(name_of "$repo")
	gitdir=$(git -C "$repo" rev-parse --absolute-git-dir)
	read -r blobs blob_bytes < <(git --git-dir="$gitdir" cat-file --batch-all-objects --batch-check='%(objecttype) %(objectsize)' |
		awk '$1 == "blob" { n++; s += $2 } END { printf "%d %.0f\n", n, s }')
	read -r fwall _ _ _ < <(measure git --git-dir="$gitdir" cat-file --batch-all-objects --batch --unordered)
	read -r kwall kuser ksys kkb < <(measure "$tmp/keyscan" history --quiet --format json "$repo")
	"$tmp/keyscan" history --quiet --format json "$repo" >"$tmp/report.json" 2>/dev/null || true
	if [ -n "${SAVE:-}" ]; then
		mkdir -p "$saved"
		cp "$tmp/report.json" "$saved/$name.json"
		match="saved to $saved/$name.json"
	elif [ ! -f "$saved/$name.json" ]; then
		match="no saved report ($saved/$name.json)"
	elif cmp -s "$tmp/report.json" "$saved/$name.json"; then
		match="same as saved"
	elif same_findings "$tmp/report.json" "$saved/$name.json"; then
		match="same findings as saved (advice text differs)"
	else
		match="DIFFERENT from $saved/$name.json"
	fi
	printf '%-28s %6.0f MB %7.2f s %7.2f s %5.2fx %7.2f s %5.0f MB  %s\n' "$name" "$(echo "$blob_bytes / 1000000" | bc -l)" "$kwall" "$fwall" \
		"$(echo "$kwall / $fwall" | bc -l)" "$(echo "$kuser + $ksys" | bc -l)" "$(echo "$kkb / 1024" | bc -l)" "$match"
	: "$blobs"
done
echo "$(nproc) cores; load:$(uptime | sed 's/.*load average://')"
