# bench/lib.sh: set-up shared by the bench scripts (sourced, not run).

export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=bench@example.com GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=bench@example.com

# bench_repo DIR FILES COMMITS PER_COMMIT: a repository on main of FILES files
# spread over 20 x 10 folders, Go-like text of 30 lines each, then COMMITS
# commits that each rewrite PER_COMMIT (1 or 2) files; packed, work tree
# checked out.
bench_repo() {
	local repo=$1 files=$2 commits=$3 per=$4
	git init -q -b main "$repo"
	awk -v FILES="$files" -v COMMITS="$commits" -v PER="$per" '
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
		if (PER > 1) emit((c * 7919 + 104729) % FILES, c)
		print ""
	}
}' | git -C "$repo" fast-import --quiet
	git -C "$repo" repack -adq
	git -C "$repo" reset -q --hard main
}
