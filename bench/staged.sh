#!/usr/bin/env bash
# bench/staged.sh: time the whole `keyscan staged` process, as a pre-commit
# hook runs it, on a large repository, next to gitleaks' pre-commit mode and
# to git's own `git diff --cached` (the floor of any tool that shells out).
#
# It builds a repository of FILES files (default 10000) and COMMITS commits
# (default 10000, each changing two files) with git fast-import, packs it,
# commits once more so the index is as a developer's is after a commit, then
# makes a typical change: 3 files modified and 1 new file of 200 lines, staged.
#
# Goals (issue 5): median under 20 ms, at least 5x faster than gitleaks.
# Needs go, git, awk and hyperfine (apt-get install -y hyperfine); gitleaks
# is optional (go install github.com/zricethezav/gitleaks/v8@latest).
# KEEP=1 keeps the repository (its path is printed). KEYSCAN=PATH times that
# keyscan binary instead of building this tree (to compare two builds).
set -euo pipefail

files=${FILES:-10000}
commits=${COMMITS:-10000}
runs=${RUNS:-50}
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
if [ -z "${KEEP:-}" ]; then trap 'rm -rf "$tmp"' EXIT; fi

if ! command -v hyperfine >/dev/null; then
	echo "bench/staged.sh needs hyperfine: apt-get install -y hyperfine" >&2
	exit 2
fi
if [ -n "${KEYSCAN:-}" ]; then
	cp "$KEYSCAN" "$tmp/keyscan"
else
	(cd "$here" && go build -o "$tmp/keyscan" ./cmd/keyscan)
fi
gitleaks=$(command -v gitleaks || true)
if [ -z "$gitleaks" ] && [ -x "$(go env GOPATH)/bin/gitleaks" ]; then gitleaks="$(go env GOPATH)/bin/gitleaks"; fi

. "$here/bench/lib.sh"
repo=$tmp/repo
start=$(date +%s)
bench_repo "$repo" "$files" "$commits" 2
# One ordinary commit: git writes the index (and its cache-tree) as it
# stands after any developer's commit.
echo "// touched" >>"$repo/src/d00/s0/f00000.go"
git -C "$repo" commit -qam "touch"
echo "built $(git -C "$repo" ls-files | wc -l) files, $(git -C "$repo" rev-list --count HEAD) commits, pack $(du -sh "$repo/.git/objects/pack" | cut -f1) in $(($(date +%s) - start)) s" >&2

# The typical change: 3 files modified, 1 new file of 200 lines.
for f in src/d03/s0/f01510.go src/d11/s7/f05860.go src/d19/s0/f09501.go; do
	[ -f "$repo/$f" ] || f=$(git -C "$repo" ls-files | sed -n "$((RANDOM % files + 1))p")
	printf 'func Added() string { return "changed" }\n' >>"$repo/$f"
done
mkdir -p "$repo/src/feature"
awk 'BEGIN { print "package feature\n"; for (i = 0; i < 198; i++) printf "var Setting%d = \"value %d\"\n", i, i }' >"$repo/src/feature/settings.go"
git -C "$repo" add -A
git -C "$repo" diff --cached --stat | tail -1 >&2

cmds=("$tmp/keyscan staged" "git diff --cached --raw")
if [ -n "$gitleaks" ]; then
	if "$gitleaks" git --help >/dev/null 2>&1; then
		cmds+=("$gitleaks git --pre-commit --staged --no-banner --log-level error")
	else
		cmds+=("$gitleaks protect --staged --no-banner --log-level error")
	fi
else
	echo "gitleaks not installed: go install github.com/zricethezav/gitleaks/v8@latest" >&2
fi
(cd "$repo" && "$tmp/keyscan" staged)
(cd "$repo" && hyperfine -N --warmup 5 --runs "$runs" --export-csv "$tmp/times.csv" "${cmds[@]}")

# Medians, and keyscan's speed-up over the others.
awk -F, 'NR > 1 { name[NR] = $1; med[NR] = $4 * 1000 }
END {
	for (i = 2; i <= NR; i++) printf "median %7.1f ms  %s\n", med[i], name[i]
	for (i = 3; i <= NR; i++) printf "%s takes %.1fx the time of keyscan staged\n", name[i], med[i] / med[2]
	printf "goal: median under 20 ms: %s\n", (med[2] < 20 ? "met" : "NOT met")
}' "$tmp/times.csv"
if [ -n "${KEEP:-}" ]; then echo "repository kept in $repo" >&2; fi
