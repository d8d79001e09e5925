#!/usr/bin/env bash
# insn-per-mac.sh: arm64 instruction counts of the int8 GEMM kernels under qemu, via
# the arm-insn counter ($ARM_INSN). Prints name=value lines:
#   a72_insn_per_mac, a76_insn_per_mac
#       instructions inside the default kernel's symbol per MAC, on a 64 x 2304 x 64
#       GEMM: smlalPanelGemm ("smlalp") on cortex-a72, sdotPanelGemm ("sdotp") on
#       cortex-a76 (panel packing, tiles and stores included);
#   a72_smlal_insn_per_mac, a76_sdot_insn_per_mac, go_insn_per_mac
#       the same for the earlier 4x4 kernels (smlal4xN, sdot4xN) and the portable tile4x2;
#   a72_<layer>_insn, a76_<layer>_insn
#       whole-GEMM instructions of the default kernel (driver, tails, kernel) for one
#       group of each AlexNet layer: a run without the multiply subtracted from a run
#       with it;
#   a72_insn_per_frame, a76_insn_per_frame
#       conv1 + 2 conv2 + conv3 + 2 conv4 + 2 conv5 (grouped layers run two GEMMs):
#       the GEMM instructions of one grey-input 227x227 frame, 595.5 M MACs.
# Runs with GOGC=off: with the collector on, a collection of the set-up's allocations
# falls at different points in the two runs of a layer, and whole-GEMM figures moved by
# up to 0.1 M instructions; the symbol counts are exact either way.
set -euo pipefail
dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$dir
while [ ! -f "$root/go.mod" ]; do
  [ "$root" != / ] || { echo "insn-per-mac.sh: no go.mod above $dir" >&2; exit 2; }
  root=$(dirname "$root")
done
insn=${ARM_INSN:-$(cd "$root/.." && pwd)/shared/tools/arm-insn/arm-insn}
[ -x "$insn" ] || { echo "insn-per-mac.sh: $insn not found (set ARM_INSN to the arm-insn counter)" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prog=$tmp/insncount
(cd "$root" && CGO_ENABLED=0 GOOS=linux GOARCH=arm64 go build -o "$prog" ./model/kernel/internal/insncount)
export GOMAXPROCS=1 GOGC=off
pkg=github.com/numsense/numsense/model/kernel

# count CPU FUNC|- ARGS...: instructions inside FUNC, or in the whole run for "-".
count() {
  local cpu=$1 fn=$2 rep=$tmp/report
  shift 2
  if [ "$fn" = - ]; then
    "$insn" -cpu "$cpu" -o "$rep" -- "$prog" "$@" >/dev/null
    awk '$1=="insns_total"{print $2}' "$rep"
  else
    "$insn" -cpu "$cpu" -func "$fn" -o "$rep" -- "$prog" "$@" >/dev/null 2>"$tmp/err" || { cat "$tmp/err" >&2; exit 1; }
    awk '$1=="insns_in_range"{print $2}' "$rep"
  fi
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.4f\n", a/b}'; }

M=64 KP=2304 N=64
macs=$((M * KP * N))
echo "a72_insn_per_mac=$(ratio "$(count cortex-a72 "$pkg.smlalPanelGemm.abi0" -impl smlalp $M $KP $N)" $macs)"
echo "a76_insn_per_mac=$(ratio "$(count cortex-a76 "$pkg.sdotPanelGemm.abi0" -impl sdotp $M $KP $N)" $macs)"
echo "a72_smlal_insn_per_mac=$(ratio "$(count cortex-a72 "$pkg.smlal4xN.abi0" -impl smlal $M $KP $N)" $macs)"
echo "a76_sdot_insn_per_mac=$(ratio "$(count cortex-a76 "$pkg.sdot4xN.abi0" -impl sdot $M $KP $N)" $macs)"
echo "go_insn_per_mac=$(ratio "$(count cortex-a72 "$pkg.tile4x2" -impl go $M $KP $N)" $macs)"

# name m kp n groups
layers="conv1 96 128 3025 1
conv2 128 1200 729 2
conv3 384 2304 169 1
conv4 192 1728 169 2
conv5 128 1728 169 2"
for spec in "cortex-a72 a72 smlalp" "cortex-a76 a76 sdotp"; do
  set -- $spec
  cpu=$1 tag=$2 impl=$3 frame=0 fmacs=0
  while read -r name m kp n groups; do
    with=$(count "$cpu" - -impl "$impl" "$m" "$kp" "$n")
    without=$(count "$cpu" - -impl "$impl" -setup-only "$m" "$kp" "$n")
    d=$((with - without))
    echo "${tag}_${name}_insn=$d"
    echo "${tag}_${name}_insn_per_mac=$(ratio $d $((m * kp * n)))"
    frame=$((frame + groups * d))
    fmacs=$((fmacs + groups * m * kp * n))
  done <<<"$layers"
  echo "${tag}_insn_per_frame=$frame"
  echo "${tag}_macs_per_frame=$fmacs"
done
