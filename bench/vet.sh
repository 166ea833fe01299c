#!/usr/bin/env bash
# bench/vet.sh: what `go vet -vettool=keyscan` costs compared with plain `go vet`.
#
# Usage: bench/vet.sh [MODULE_DIR]    (default: a copy of golang.org/x/tools v0.52.0)
#        RUNS=5 bench/vet.sh
#
# Five commands are timed with hyperfine on the same module, build cache warm:
#   vet       go vet ./...                                  (the standard analyzers)
#   keyscan   go vet -vettool=keyscan ./...                 (the keyscan analyzer)
#   driver    go vet -vettool=keyscan -keyscan=false ./...  (unitchecker alone: parse,
#             type-check, export facts for every package and dependency, no analysis)
#   suite     go vet -vettool=vetsuite ./...   (bench/vetsuite: cmd/vet's analyzers as one tool)
#   suite+keyscan  the same tool with keyscan's analyzer added: the difference is
#             exactly what adding keyscan to a vet run costs
# go vet caches analysis results by flags, so every run passes a flag value it has
# not seen (a fresh -printf.funcs or -keyscan.config); compiled export data stays
# cached, so what is measured is the analysis, as on a developer's machine after
# an edit. Reported: keyscan against vet, and the analyzer's own cost
# (keyscan - driver) as a share of plain go vet.
set -euo pipefail

RUNS=${RUNS:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

command -v hyperfine >/dev/null || { echo "bench/vet.sh: needs hyperfine (apt-get install -y hyperfine)" >&2; exit 2; }

(cd "$root" && go build -o "$work/keyscan" ./cmd/keyscan && go build -o "$work/vetsuite" ./bench/vetsuite)
ks=$work/keyscan
suite=$work/vetsuite

mod=${1:-}
if [ -z "$mod" ]; then
	src=$(cd "$root" && go mod download -json golang.org/x/tools@v0.52.0 | sed -n 's/.*"Dir": "\(.*\)",*/\1/p')
	cp -r "$src" "$work/mod"
	chmod -R u+w "$work/mod"
	mod=$work/mod
fi
cd "$mod"
export GOWORK=off GOFLAGS=-mod=mod
go mod download
pkgs=$(go list ./... | wc -l)
echo "module: $(go list -m) ($pkgs packages) in $mod"

# Warm the build cache: compile everything once, outside the timings.
go build ./... >/dev/null
go vet ./... >/dev/null 2>&1 || true

echo 0 >"$work/n"
next='n=$(( $(cat '"$work"'/n) + 1 )); echo $n >'"$work"'/n; : >'"$work"'/cfg$n.toml'
hyperfine --ignore-failure --warmup 1 --runs "$RUNS" --export-json "$work/vet.json" \
	-n vet "bash -c '$next; go vet -printf.funcs=keyscanbench\$n ./... >/dev/null 2>&1'" \
	-n keyscan "bash -c '$next; go vet -vettool=$ks -keyscan.config=$work/cfg\$n.toml ./... >/dev/null 2>&1'" \
	-n driver "bash -c '$next; go vet -vettool=$ks -keyscan=false -keyscan.config=$work/cfg\$n.toml ./... >/dev/null 2>&1'" \
	-n suite "bash -c '$next; VETSUITE_KEYSCAN=0 go vet -vettool=$suite -printf.funcs=keyscanbench\$n ./... >/dev/null 2>&1'" \
	-n suite+keyscan "bash -c '$next; VETSUITE_KEYSCAN=1 go vet -vettool=$suite -printf.funcs=keyscanbench\$n ./... >/dev/null 2>&1'"

python3 - "$work/vet.json" <<'EOF'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
for what, key in (("median wall seconds", "median"), ("mean user CPU seconds", "user")):
    vet, ks, drv = (r[n][key] for n in ("vet", "keyscan", "driver"))
    print(f"{what}: go vet {vet:.2f}, go vet -vettool=keyscan {ks:.2f}, unitchecker alone {drv:.2f}")
    print(f"  go vet -vettool=keyscan against plain go vet: {100*(ks-vet)/vet:+.1f}%")
    print(f"  the keyscan analysis itself (keyscan - unitchecker alone): {ks-drv:+.2f}s = {100*(ks-drv)/vet:+.1f}% of plain go vet")
    s0, s1 = r["suite"][key], r["suite+keyscan"][key]
    print(f"  cmd/vet's analyzers in one tool {s0:.2f}, the same with keyscan's added {s1:.2f}: {100*(s1-s0)/s0:+.1f}%  <- what adding keyscan costs")
EOF
