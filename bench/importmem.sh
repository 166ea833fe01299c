#!/usr/bin/env bash
# The peak memory of keyscan scan's type check across packages (qa30 M6):
# a module generated in a temporary folder of N packages (default 8), each
# just under analyzer.MaxCheckTokens of constant declarations, in three
# shapes: wide (one package imports all N and folds with each), chain (each
# package imports the next) and many (N candidates, no imports). Prints wall
# time, CPU and peak RSS of one scan per shape; KEYSCAN=PATH measures that
# binary instead of this tree's. Record `uptime` with the figures.
# Usage: bench/importmem.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-8}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bin=${KEYSCAN:-$work/keyscan}
[ -n "${KEYSCAN:-}" ] || go build -o "$bin" ./cmd/keyscan
echo "load: $(uptime)"
lines=259000 # 4 tokens each: just under the bound of 1,048,576
table() { awk -v n="$lines" 'BEGIN{print "const ("; for(i=0;i<n;i++) printf "\tC%d = %d\n", i, i; print ")"}'; }
gen() { # gen DIR SHAPE: the key's head in the last package (not a key: base32 only)
	local dir=$1 shape=$2 head=AKIAQ2TZ tail=B35ZAXK7QW4R i
	mkdir -p "$dir"; printf 'module example.com/m\n\ngo 1.22\n' > "$dir/go.mod"
	for i in $(seq 0 $((n-1))); do
		mkdir -p "$dir/p$i"
		{ echo "package p$i"; echo
		case $shape in
		wide) if [ "$i" = $((n-1)) ]; then echo "const Pre = \"$head\""; else echo 'const Pre = "x"'; fi ;;
		chain) if [ "$i" -lt $((n-1)) ]; then printf 'import "example.com/m/p%d"\n\nconst Pre = p%d.Pre + ""\nconst ID = p%d.Pre + "%s"\n' $((i+1)) $((i+1)) $((i+1)) "$tail"
			else echo "const Pre = \"$head\""; fi ;;
		many) echo 'const pre = "AKIA"'; echo "const ID = pre + \"x$i\"" ;;
		esac
		table; } > "$dir/p$i/t.go"
	done
	if [ "$shape" = wide ]; then
		mkdir -p "$dir/main"
		{ echo "package main"; echo; echo "import ("; for i in $(seq 0 $((n-1))); do echo "	\"example.com/m/p$i\""; done; echo ")"; echo
		  printf 'const All = ""'; for i in $(seq 0 $((n-1))); do printf ' + p%d.Pre' "$i"; done; echo
		  echo "const ID = p$((n-1)).Pre + \"$tail\""; } > "$dir/main/main.go"
	fi
}
for shape in wide chain many; do
	gen "$work/$shape" "$shape"
	/usr/bin/env time -f "$shape x$n: %e s wall, %U+%S s CPU, %M KB peak RSS" "$bin" scan --quiet --format json "$work/$shape" >/dev/null 2>"$work/time" || true
	tail -1 "$work/time"
	rm -rf "${work:?}/$shape"
done
