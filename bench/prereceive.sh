#!/usr/bin/env bash
# bench/prereceive.sh: what the server-side gate adds to a push.
#
# 1. A typical push: 3 commits (each changing one file) onto main of a
#    repository of FILES files (default 10000) and COMMITS commits (default
#    1000), over file://, into a bare repository without a hook and into one
#    with `keyscan hook install --type pre-receive`. Before each run the
#    server's main is put back, so every run pushes the same 3 commits.
#    Also `keyscan pre-receive` alone, on the same update line.
# 2. The first push of a real repository (branches and tags) into an empty
#    bare repository, with and without the hook: REPO, default the go-git
#    mirror at /work/.mirror/go-git+go-git/repo.
#
# Goal (issue 13): the typical push adds well under 50 ms; the first push
# costs about what `keyscan history` of the repository costs.
# Needs go, git, awk and hyperfine. KEEP=1 keeps the temporary folder.
set -euo pipefail

files=${FILES:-10000}
commits=${COMMITS:-1000}
runs=${RUNS:-30}
real=${REPO:-/work/.mirror/go-git+go-git/repo}
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
if [ -z "${KEEP:-}" ]; then trap 'rm -rf "$tmp"' EXIT; else echo "keeping $tmp" >&2; fi
command -v hyperfine >/dev/null || { echo "bench/prereceive.sh needs hyperfine" >&2; exit 2; }
(cd "$here" && go build -o "$tmp/keyscan" ./cmd/keyscan)
ks=$tmp/keyscan

. "$here/bench/lib.sh"
echo "load before: $(uptime)" >&2

# --- 1. a 3-commit push into a 10,000-file repository ---
repo=$tmp/work
bench_repo "$repo" "$files" "$commits" 1
old=$(git -C "$repo" rev-parse main)
for srv in plain gated; do git clone -q --bare "$repo" "$tmp/$srv.git"; done
"$ks" hook install --type pre-receive "$tmp/gated.git" >/dev/null
for i in 1 2 3; do
	f=$(git -C "$repo" ls-files | sed -n "$((i * 3001))p")
	printf 'func Added%d() string { return "changed" }\n' "$i" >>"$repo/$f"
	git -C "$repo" commit -qam "change $i"
done
new=$(git -C "$repo" rev-parse main)
echo "built $(git -C "$repo" ls-files | wc -l) files, $(git -C "$repo" rev-list --count main) commits; pushing $old..$new" >&2

hyperfine -N --warmup 3 --runs "$runs" \
	--prepare "git -C $tmp/plain.git update-ref refs/heads/main $old" -n "push, no hook" "git -C $repo push -q file://$tmp/plain.git main" \
	--prepare "git -C $tmp/gated.git update-ref refs/heads/main $old" -n "push, keyscan pre-receive hook" "git -C $repo push -q file://$tmp/gated.git main"
printf '%s %s refs/heads/main\n' "$old" "$new" >"$tmp/line"
hyperfine --warmup 3 --runs "$runs" -n "keyscan pre-receive alone" "$ks pre-receive $tmp/gated.git <$tmp/line"

# --- 2. the first push of a real repository ---
if [ ! -d "$real" ]; then
	echo "no $real: skipping the first-push benchmark (REPO=path/to/repo.git)" >&2
	exit 0
fi
echo "first push of $real: $(git -C "$real" rev-list --count --branches --tags) commits on its branches and tags" >&2
mkdir -p "$tmp/hooks"
git init -q --bare "$tmp/hooktemplate.git"
"$ks" hook install --type pre-receive "$tmp/hooktemplate.git" >/dev/null
hyperfine --warmup 1 --runs "${FIRST_RUNS:-3}" \
	--prepare "rm -rf $tmp/first.git && git init -q --bare $tmp/first.git" -n "first push, no hook" \
	"git -C $real push -q file://$tmp/first.git 'refs/heads/*:refs/heads/*' 'refs/tags/*:refs/tags/*'" \
	--prepare "rm -rf $tmp/first.git && git init -q --bare $tmp/first.git && cp $tmp/hooktemplate.git/hooks/pre-receive $tmp/first.git/hooks/" -n "first push, keyscan pre-receive hook" \
	"git -C $real push -q file://$tmp/first.git 'refs/heads/*:refs/heads/*' 'refs/tags/*:refs/tags/*'"
hyperfine --warmup 1 --runs "${FIRST_RUNS:-3}" -n "keyscan history (every ref)" "$ks history --quiet $real"
echo "load after: $(uptime)" >&2
