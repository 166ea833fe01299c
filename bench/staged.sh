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
# KEEP=1 keeps the repository (its path is printed).
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
(cd "$here" && go build -o "$tmp/keyscan" ./cmd/keyscan)
gitleaks=$(command -v gitleaks || true)
if [ -z "$gitleaks" ] && [ -x "$(go env GOPATH)/bin/gitleaks" ]; then gitleaks="$(go env GOPATH)/bin/gitleaks"; fi

export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=bench@example.com GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=bench@example.com
repo=$tmp/repo
git init -q -b main "$repo"

# The fast-import stream: files spread over 20 x 10 folders, Go-like text of
# 30 lines each; then commits that each rewrite two files.
start=$(date +%s)
awk -v FILES="$files" -v COMMITS="$commits" '
function content(f, v,    out, i) {
	out = "package p" int(f / 500) "\n\n// file " f " version " v "\n"
	for (i = 0; i < 27; i++) out = out "func F" f "_" i "() int { return " (i * 7 + f + v) " }\n"
	return out
}
function path(f) { return sprintf("src/d%02d/s%d/f%05d.go", int(f / 500) % 20, int(f / 50) % 10, f) }
function emit(f, v,    c) { c = content(f, v); printf "M 100644 inline %s\ndata %d\n%s\n", path(f), length(c), c }
function header(n, msg) {
	printf "commit refs/heads/main\nauthor Bench <bench@example.com> %d +0000\ncommitter Bench <bench@example.com> %d +0000\ndata %d\n%s\n", 1600000000 + n * 60, 1600000000 + n * 60, length(msg), msg
}
BEGIN {
	header(0, "initial")
	for (f = 0; f < FILES; f++) emit(f, 0)
	print ""
	for (c = 1; c <= COMMITS; c++) {
		header(c, "change " c)
		emit((c * 7919) % FILES, c)
		emit((c * 7919 + 104729) % FILES, c)
		print ""
	}
}' | git -C "$repo" fast-import --quiet
git -C "$repo" repack -adq
git -C "$repo" reset -q --hard main
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
