#!/usr/bin/env bash
# bench/history.sh [--save] [REPO...]: time `keyscan history` against the
# floor, git inflating every object once in its own order (`git cat-file
# --batch-all-objects --batch --unordered`), on each repository, and check
# that the findings are the saved ones.
#
# Without arguments it runs the benchmark repositories that are present
# under $MIRROR (default /work/.mirror): go-git/go-git, getmoto/moto,
# boto/botocore, trufflesecurity/trufflehog, as git directories at
# $MIRROR/OWNER+NAME/repo. A REPO argument is any repository path.
#
# Per repository it prints the size of its blobs, the median wall time of $RUNS runs
# (default 3) of keyscan and of the floor, their ratio, the CPU time
# (user+sys) of keyscan's and of the floor's median runs, their ratio
# (on a busy machine wall times swing, CPU times far less), keyscan's
# peak memory in that run, and whether the findings of
# keyscan's JSON report (its last timed run's) are the ones saved in
# $SAVED/NAME.json (SAVED defaults to /work/bench-out/ref, outside the
# repository). Findings are compared normalised: the same JSON findings
# apart from their advice text (suggestion, context, which change with the
# rules' wording, not with what is found), in a canonical order. --save (or
# SAVE=1) writes the normalised findings there instead, as the reference
# later runs compare with. The exit status is 1 when any repository's
# findings differ from its reference, or keyscan did not finish (exit 2 or
# worse). The goal (issue 16): within 1.3x of the floor, under 250 MB peak
# on botocore. On a busy machine wall times swing; the load is printed with
# the results.
#
# KEYSCAN=PATH times that keyscan binary instead of building this tree.
#
# Needs /usr/bin/time (apt-get install -y time), git, go and python3.
set -euo pipefail

save=${SAVE:-}
if [ "${1:-}" = --save ]; then
	save=1
	shift
fi
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

# measure OUT CMD...: runs CMD $runs times, its output to OUT; prints
# the median run's "wall user sys kb rc" (rc: the last run's exit status).
measure() {
	local out=$1 rc=0
	shift
	: >"$tmp/runs"
	for _ in $(seq "$runs"); do
		rc=0
		/usr/bin/time -f '%e %U %S %M' -o "$tmp/t" "$@" >"$out" 2>"$tmp/err" || rc=$?
		tail -n 1 "$tmp/t" >>"$tmp/runs"
	done
	echo "$(sort -n "$tmp/runs" | sed -n "$(((runs + 1) / 2))p") $rc"
}

# normalise REPORT OUT GAPS: writes the findings of keyscan's JSON report
# REPORT to OUT as the reference holds them: without the advice text,
# each finding's keys sorted, the findings in a canonical order, one a
# line. The report's closing `{"complete": false, ...}` element (README:
# what was not read) is no finding: its reasons and counts go to GAPS,
# one line, for the table. A report that is no JSON list is an error.
normalise() {
	python3 - "$1" "$2" "$3" <<'PY'
import json, sys
fs = json.load(open(sys.argv[1]))
if not isinstance(fs, list):
    sys.exit("not a list of findings")
gaps = [g for f in fs if "complete" in f for g in f.get("incomplete", [])]
fs = [f for f in fs if "complete" not in f]
rows = sorted(json.dumps({k: v for k, v in f.items() if k not in ("suggestion", "context")}, sort_keys=True) for f in fs)
with open(sys.argv[2], "w") as out:
    out.write("[\n" + ",\n".join(rows) + ("\n" if rows else "") + "]\n")
with open(sys.argv[3], "w") as out:
    out.write(", ".join("%s %s" % (g.get("reason"), g.get("count")) for g in gaps))
PY
}

# compare NEW SAVED: says how the normalised findings NEW differ from the
# reference SAVED (how many are gone and new, and the first of each).
compare() {
	python3 - "$1" "$2" <<'PY'
import json, sys
def rows(p):
    return [json.dumps(f, sort_keys=True) for f in json.load(open(p))]
new, old = rows(sys.argv[1]), rows(sys.argv[2])
gone = sorted(set(old) - set(new))
added = sorted(set(new) - set(old))
def name(r):
    f = json.loads(r)
    return "%s %s:%s %s" % (f.get("rule"), f.get("file"), f.get("line"), (f.get("commit") or "")[:12])
msg = "%d gone, %d new" % (len(gone), len(added))
if not gone and not added:
    msg = "the same findings in another count or order"
if gone:
    msg += "; gone: " + name(gone[0])
if added:
    msg += "; new: " + name(added[0])
print(msg)
PY
}

name_of() {
	case $1 in
	"$mirror"/*/repo) basename "$(dirname "$1")" ;;
	*) basename "$(cd "$1" && pwd)" ;;
	esac
}

status=0
printf '%-28s %9s %9s %9s %6s %9s %9s %6s %8s  %s\n' repository blobs keyscan floor ratio "ks cpu" "fl cpu" "cpu x" "ks peak" findings
for repo in "${repos[@]}"; do
	name=$(name_of "$repo")
	gitdir=$(git -C "$repo" rev-parse --absolute-git-dir)
	read -r blobs blob_bytes < <(git --git-dir="$gitdir" cat-file --batch-all-objects --batch-check='%(objecttype) %(objectsize)' |
		awk '$1 == "blob" { n++; s += $2 } END { printf "%d %.0f\n", n, s }')
	# The floor's output goes nowhere: written to a file, 8 GB for
	# botocore, it cost git's run the disk's write-back too, and the
	# ratios below flattered keyscan (scan24's note, round 17).
	read -r fwall fuser fsys _ _ < <(measure /dev/null git --git-dir="$gitdir" cat-file --batch-all-objects --batch --unordered)
	read -r kwall kuser ksys kkb krc < <(measure "$tmp/report.json" "$tmp/keyscan" history --quiet --format json "$repo")
	ref=$saved/$name.json
	if [ "$krc" -ge 2 ]; then
		match="keyscan did not finish (exit $krc): $(head -c 200 "$tmp/err" | tr '\n' ' ')"
		status=1
	elif ! normalise "$tmp/report.json" "$tmp/found.json" "$tmp/gaps" 2>"$tmp/normerr"; then
		match="keyscan's report is no list of findings: $(tail -n 1 "$tmp/normerr")"
		status=1
	elif [ -n "$save" ]; then
		mkdir -p "$saved"
		cp "$tmp/found.json" "$ref"
		match="$(($(wc -l <"$ref") - 2)) findings saved to $ref"
	elif [ ! -f "$ref" ]; then
		match="no saved findings ($ref; --save writes them)"
	elif cmp -s "$tmp/found.json" "$ref"; then
		match="same $(($(wc -l <"$ref") - 2)) findings as saved"
	else
		match="DIFFERENT from $ref: $(compare "$tmp/found.json" "$ref")"
		status=1
	fi
	if [ -s "$tmp/gaps" ]; then
		match="$match; not read: $(cat "$tmp/gaps")"
	fi
	kcpu=$(echo "$kuser + $ksys" | bc -l)
	fcpu=$(echo "$fuser + $fsys" | bc -l)
	printf '%-28s %6.0f MB %7.2f s %7.2f s %5.2fx %7.2f s %7.2f s %5.2fx %5.0f MB  %s\n' "$name" "$(echo "$blob_bytes / 1000000" | bc -l)" "$kwall" "$fwall" \
		"$(echo "$kwall / $fwall" | bc -l)" "$kcpu" "$fcpu" "$(echo "$kcpu / $fcpu" | bc -l)" "$(echo "$kkb / 1024" | bc -l)" "$match"
	: "$blobs"
done
echo "$(nproc) cores; load:$(uptime | sed 's/.*load average://')"
exit "$status"
