#!/usr/bin/env bash
# ort-ratio.sh: times the numsense int8 engine against ONNX Runtime on the same
# exported model and the same input frame, in one run, and prints
#   x86_ort_ratio_1t=<ours 1 thread / ORT 1 thread>   (median frame times, conv1..relu5)
#   x86_scaling_2t=<ours 1 thread / ours 2 threads>   (frames of a steady stream)
#   x86_scaling_2t_cold=<the same for the first frame after the workers slept>
# after the raw times, and ORT's median time for each stage run alone (where its time
# goes: its LRN is float). usage: model/onnx/ort-ratio.sh [--model FILE] [--runs N]
set -euo pipefail
die() { echo "ort-ratio: $*" >&2; exit 2; }

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$here
while [ ! -f "$root/go.mod" ]; do
  [ "$root" != / ] || die "no go.mod above $here"
  root=$(dirname "$root")
done
shared=$root/../shared
ortbench=$shared/tools/ort-bench/ort-bench
[ -x "$ortbench" ] || die "ONNX Runtime runner not found at $ortbench (the shared tree belongs next to the repository)"
command -v node >/dev/null || die "node is not installed (ort-bench runs ONNX Runtime under Node.js)"
command -v npm >/dev/null || die "npm is not installed (ort-bench installs onnxruntime-node with it on first use)"
command -v go >/dev/null || die "go is not on PATH"

margs=() runs=30
while [ $# -gt 0 ]; do
  case $1 in
    --model) [ $# -ge 2 ] || die "--model needs a file"; margs=(-model "$2"); shift 2 ;;
    --runs) [ $# -ge 2 ] || die "--runs needs a number"; runs=$2; shift 2 ;;
    -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $1" ;;
  esac
done
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

(cd "$root" && go build -o "$dir/ortcmp" ./model/onnx/internal/ortcmp)
"$dir/ortcmp" prepare -dir "$dir" "${margs[@]}" >/dev/null
ort1=$("$ortbench" "$dir/relu5.onnx" --threads 1 --runs "$runs" --input "$dir/input.u8")
ort2=$("$ortbench" "$dir/relu5.onnx" --threads 2 --runs "$runs" --input "$dir/input.u8")
ours=$("$dir/ortcmp" time -runs "$runs" -threads 1,2 "${margs[@]}")
echo "ort_1t: $ort1"
echo "ort_2t: $ort2"
echo "$ours"
line="ort_alone_1t_median_ms:"
for s in $("$dir/ortcmp" stages); do
  t=$("$ortbench" "$dir/$s.alone.onnx" --threads 1 --runs "$runs" --input "$dir/$s.in.u8" | sed -n 's/.*median_ms=\([0-9.]*\).*/\1/p')
  line="$line $s=$t"
done
echo "$line"
med() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" | head -1; }
o1=$(echo "$ort1" | med median_ms)
u1=$(echo "$ours" | grep ours_1t | med t_median_ms)
u2=$(echo "$ours" | grep ours_2t | med t_median_ms)
c1=$(echo "$ours" | grep ours_1t | med cold_median_ms)
c2=$(echo "$ours" | grep ours_2t | med cold_median_ms)
o1m=$(echo "$ort1" | med min_ms)
u1m=$(echo "$ours" | grep ours_1t | med min_ms)
u2m=$(echo "$ours" | grep ours_2t | med min_ms)
[ -n "$o1" ] && [ -n "$u1" ] && [ -n "$u2" ] && [ -n "$c1" ] && [ -n "$c2" ] && [ -n "$o1m" ] && [ -n "$u1m" ] && [ -n "$u2m" ] ||
  die "could not read the times above"
# The figures from the fastest runs are printed too: on a shared machine they are
# the steadier ones.
awk -v u1="$u1" -v u2="$u2" -v o1="$o1" -v u1m="$u1m" -v u2m="$u2m" -v o1m="$o1m" -v c1="$c1" -v c2="$c2" 'BEGIN {
  printf "x86_ort_ratio_1t_min=%.2f\n", u1m / o1m
  printf "x86_scaling_2t_min=%.2f\n", u1m / u2m
  printf "x86_scaling_2t_cold=%.2f\n", c1 / c2
  printf "x86_ort_ratio_1t=%.2f\n", u1 / o1
  printf "x86_scaling_2t=%.2f\n", u1 / u2
}'
