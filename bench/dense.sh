#!/usr/bin/env bash
# The cost of a finding (/work/notes/qa7.md MEDIUM-7): files made of nothing
# but distinct credentials, where every line is a finding, scanned whole by
# `keyscan scan` in each report format. Prints, per layout and format, the
# findings, the CPU time per finding and the peak RSS per megabyte of input
# and per finding. Usage: bench/dense.sh [MB] (default 4: one file of about
# MB megabytes per layout). KEYSCAN=PATH measures that binary instead of
# building this tree's (to compare with an older build). The keys are random
# base32 and base64 made by awk here, fake and never committed.
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-4}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bin=${KEYSCAN:-$work/keyscan}
[ -n "${KEYSCAN:-}" ] || go build -o "$bin" ./cmd/keyscan
gen() { # gen LAYOUT BYTES
	awk -v layout="$1" -v size="$2" -v seed="$RANDOM" '
function pick(alpha, n,    s, i) { s = ""; for (i = 0; i < n; i++) s = s substr(alpha, int(rand() * length(alpha)) + 1, 1); return s }
function id() { return "AKIA" pick("ABCDEFGHKLMNOPQRSTUVWXYZ234567", 1) pick("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 15) }
function secret(   s) { do s = pick("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 38) "/+"; while (s !~ /[0-9]/); return s }
BEGIN {
	srand(seed)
	for (n = 0; n < size; ) {
		if (layout == "key-ids") line = id() "\n"
		else if (layout == "key-ids-glued") line = id() ","
		else if (layout == "key-id-secret") line = id() " " secret() "\n"
		else line = "[p" n "]\naws_access_key_id = " id() "\naws_secret_access_key = " secret() "\n"
		printf "%s", line
		n += length(line)
	}
}'
}
# Every finding listed (max_findings_per_file = 0), for the cost of each;
# then the default limit (format "json*"), whose memory must not grow with
# the file. A binary that predates the setting lists every finding anyway.
mkdir -p "$work/empty"
printf 'max_findings_per_file = 0\n' >"$work/nolimit.toml"
nolimit=()
if "$bin" scan --quiet --config "$work/nolimit.toml" "$work/empty" >/dev/null 2>&1; then
	nolimit=(--config "$work/nolimit.toml")
fi
echo "load: $(uptime | sed 's/.*load average: //')"
printf '%-14s %-6s %9s %8s %9s %10s %12s %10s\n' layout format findings cpu-s "µs/find" "peak MB" "MB RSS/MB" "B RSS/find"
for layout in key-ids key-ids-glued key-id-secret key-pairs; do
	mkdir -p "$work/$layout"
	gen "$layout" $((mb << 20)) >"$work/$layout/dense.txt"
	size=$(wc -c <"$work/$layout/dense.txt")
	found=$("$bin" scan --quiet --format json "${nolimit[@]}" "$work/$layout" | grep -c '"rule":' || true)
	for format in text json sarif json*; do
		args=(--format "${format%\*}" "${nolimit[@]}")
		[ "$format" != "json*" ] || args=(--format json)
		# exit 1: findings, as expected
		/usr/bin/env time -f "%U %S %M" -o "$work/time" "$bin" scan --quiet "${args[@]}" "$work/$layout" >/dev/null || true
		read -r user sys kb < <(tail -n 1 "$work/time") # GNU time says the exit status first
		awk -v l="$layout" -v f="$format" -v n="$found" -v u="$user" -v s="$sys" -v kb="$kb" -v size="$size" 'BEGIN {
			cpu = u + s
			printf "%-14s %-6s %9d %8.2f %9.2f %10.1f %12.1f %10.0f\n", l, f, n, cpu, cpu * 1e6 / (n ? n : 1), kb / 1024, kb * 1024 / size, kb * 1024 / (n ? n : 1)
		}'
	done
done
