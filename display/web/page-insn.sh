#!/usr/bin/env bash
# page-insn.sh: arm64 instructions of what the web page costs the exhibit (one preview
# of a 640x480 YUYV frame, one silhouette, one estimate event) under arm-insn on the
# Cortex-A72 model, and the Pi 4 projection by the method of docs/performance.md
# section 4.2 (CPI 1.0 for scalar Go on the A72, 1.8 GHz): milliseconds of one core per
# item, and the share of one core at 10 frames a second with the preview at
# web.preview_fps (default 4) and at 10.
#
# usage: display/web/page-insn.sh   (from anywhere in the repository; needs
# the arm-insn counter, ARM_INSN=path)
# Ends with name=value lines: a72_page_{preview,silhouette,estimate}_insn,
# pi4_preview_ms_projected, pi4_page_cpu_pct_projected (preview at 4 fps),
# pi4_page_cpu_pct_projected_10fps (preview at 10 fps).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
insn=${ARM_INSN:-$(cd "$root/.." && pwd)/shared/tools/arm-insn/arm-insn}
if [ ! -x "$insn" ]; then
  echo "skipped: $insn not found (set ARM_INSN to the arm-insn counter)"
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
CGO_ENABLED=0 GOOS=linux GOARCH=arm64 go build -o "$tmp/pagecount" ./display/web/internal/pagecount

# count WHAT N: instructions of a whole run with N items.
count() {
  GOMAXPROCS=1 "$insn" -cpu cortex-a72 -o "$tmp/report" -- "$tmp/pagecount" -what "$1" -n "$2" >/dev/null 2>"$tmp/err" || { cat "$tmp/err" >&2; return 1; }
  awk '$1=="insns_total"{print $2}' "$tmp/report"
}
declare -A per
# shellcheck disable=SC2086 # each spec is three words, split on purpose
for spec in "preview 1 6" "silhouette 2 22" "estimate 100 1100"; do
  set -- $spec # three words, split on purpose
  a=$(count "$1" "$2") && b=$(count "$1" "$3")
  per[$1]=$(((b - a) / ($3 - $2)))
  echo "a72_page_$1_insn=${per[$1]}"
done
awk -v p="${per[preview]}" -v s="${per[silhouette]}" -v e="${per[estimate]}" 'BEGIN {
  ghz = 1.8; cpi = 1.0
  pm = p * cpi / (ghz * 1e6); sm = s * cpi / (ghz * 1e6); em = e * cpi / (ghz * 1e6)
  printf "Pi 4 (A72 1.8 GHz, CPI %.1f): preview %.2f ms, silhouette %.2f ms, estimate event %.3f ms of one core\n", cpi, pm, sm, em
  printf "pi4_preview_ms_projected=%.2f\n", pm
  printf "pi4_page_cpu_pct_projected=%.1f\n", (4 * pm + 10 * (sm + em)) / 10
  printf "pi4_page_cpu_pct_projected_10fps=%.1f\n", (10 * pm + 10 * (sm + em)) / 10
}'
