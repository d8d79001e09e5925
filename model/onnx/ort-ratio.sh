#!/usr/bin/env bash
# ort-ratio.sh: times the numsense int8 engine against ONNX Runtime on the same
# exported model and the same input frame, in one run, and prints
#   x86_ort_ratio_1t=<ours 1 thread / ORT 1 thread>   (median frame times, conv1..relu5)
#   x86_ort_conv_ratio_1t=<the same for the five convolutions alone: our conv stages
#     (im2col, GEMM, requantisation; BenchmarkLayer) / ORT's five stage-alone models>
#   x86_scaling_2t=<ours 1 thread / ours 2 threads>   (frames of a steady stream)
#   x86_scaling_2t_cold=<the same for the first frame after the workers slept>
# after the raw times, and ORT's median time for each stage run alone (where its time
# goes: its LRN is float). Then, where the CPU can fault on CPUID and gcc is present,
# the two 1-thread ratios as on an AVX2-only x86 (x86_avx2_ort_ratio_1t,
# x86_avx2_ort_conv_ratio_1t): ours with GODEBUG switching AVX-512 off, ORT under
# internal/avx2only (CPUID without AVX-512, AVX-VNNI, AMX). Every figure line ends
# with "# ..." naming our kernels and the SIMD features each side saw.
# usage: model/onnx/ort-ratio.sh [--model FILE] [--runs N]
set -euo pipefail
die() { echo "ort-ratio: $*" >&2; exit 2; }

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$here
while [ ! -f "$root/go.mod" ]; do
  [ "$root" != / ] || die "no go.mod above $here"
  root=$(dirname "$root")
done
shared=$root/../shared
ortbench=${ORT_BENCH:-$shared/tools/ort-bench/ort-bench}
[ -x "$ortbench" ] || die "ONNX Runtime runner not found at $ortbench (set ORT_BENCH to the ort-bench runner)"
command -v node >/dev/null || die "node is not installed (ort-bench runs ONNX Runtime under Node.js)"
command -v npm >/dev/null || die "npm is not installed (ort-bench installs onnxruntime-node with it on first use)"
command -v go >/dev/null || die "go is not on PATH"

margs=() runs=30
while [ $# -gt 0 ]; do
  case $1 in
    --model) [ $# -ge 2 ] || die "--model needs a file"; margs=(-model "$2"); shift 2 ;;
    --runs) [ $# -ge 2 ] || die "--runs needs a number"; runs=$2; shift 2 ;;
    -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $1" ;;
  esac
done
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

(cd "$root" && go build -o "$dir/ortcmp" ./model/onnx/internal/ortcmp && go test -c -o "$dir/model.test" ./model)
"$dir/ortcmp" prepare -dir "$dir" "${margs[@]}" >/dev/null
convs="relu1 relu2 relu3 relu4 relu5"
med() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" | head -1; }
# ortconv PRELOAD: the sum of ORT's median times of the five convolutions alone, ms;
# each one's output goes to $dir/<stage>.preload.u8.
ortconv() {
  local s t sum=0
  for s in $convs; do
    t=$(LD_PRELOAD=$1 "$ortbench" "$dir/$s.alone.onnx" --threads 1 --runs "$runs" --input "$dir/$s.in.u8" \
      --output "$dir/$s.preload.u8" | med median_ms)
    [ -n "$t" ] || return 1
    sum=$(awk -v a="$sum" -v b="$t" 'BEGIN { print a + b }')
  done
  echo "$sum"
}
# oursconv: the sum over the five conv stages of the median (of 3) BenchmarkLayer
# ns/op, 1 thread, ms (GODEBUG as set by the caller).
oursconv() {
  (cd "$root/model" && "$dir/model.test" -test.run '^$' -test.bench '^BenchmarkLayer$/^conv/^threads=1$' \
    -test.benchtime "${runs}x" -test.count 3 2> >(grep -v 'unknown cpu feature' >&2)) |
    awk '$1 ~ /^BenchmarkLayer\/conv/ { print $1, $3 }' | sort -k1,1 -k2,2n |
    awk '{ v[$1] = v[$1] " " $2 } END { for (k in v) { n = split(substr(v[k], 2), a, " "); s += a[int((n + 1) / 2)]; c++ }
      if (c == 5) printf "%.3f\n", s / 1e6 }'
}
hostsimd=$(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -xE 'avx2|fma|avx_vnni|avx512f|avx512bw|avx512_vnni|amx_int8' | paste -sd, -)
ours_k=$("$dir/ortcmp" kernel)
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
oc=$(echo "$line" | awk '{ for (i = 2; i <= NF; i++) if ($i ~ /^relu/) { split($i, a, "="); s += a[2] } } END { print s }')
uc=$(oursconv) || uc=""
echo "ort_conv_1t_ms=$oc ours_conv_1t_ms=$uc"
o1=$(echo "$ort1" | med median_ms)
u1=$(echo "$ours" | grep ours_1t | med t_median_ms)
u2=$(echo "$ours" | grep ours_2t | med t_median_ms)
c1=$(echo "$ours" | grep ours_1t | med cold_median_ms)
c2=$(echo "$ours" | grep ours_2t | med cold_median_ms)
o1m=$(echo "$ort1" | med min_ms)
u1m=$(echo "$ours" | grep ours_1t | med min_ms)
u2m=$(echo "$ours" | grep ours_2t | med min_ms)
[ -n "$oc" ] && [ -n "$uc" ] && [ -n "$o1" ] && [ -n "$u1" ] && [ -n "$u2" ] && [ -n "$c1" ] && [ -n "$c2" ] && [ -n "$o1m" ] && [ -n "$u1m" ] && [ -n "$u2m" ] ||
  die "could not read the times above"
# The figures from the fastest runs are printed too: on a shared machine they are
# the steadier ones.
tag="# ours $ours_k; ORT: cpu $hostsimd (all of it)"
awk -v u1="$u1" -v u2="$u2" -v o1="$o1" -v u1m="$u1m" -v u2m="$u2m" -v o1m="$o1m" -v c1="$c1" -v c2="$c2" \
  -v oc="$oc" -v uc="$uc" -v tag="$tag" 'BEGIN {
  printf "x86_ort_ratio_1t_min=%.2f  %s\n", u1m / o1m, tag
  printf "x86_scaling_2t_min=%.2f  %s\n", u1m / u2m, tag
  printf "x86_scaling_2t_cold=%.2f  %s\n", c1 / c2, tag
  printf "x86_ort_ratio_1t=%.2f  %s\n", u1 / o1, tag
  printf "x86_ort_conv_ratio_1t=%.2f  %s\n", uc / oc, tag
  printf "x86_scaling_2t=%.2f  %s\n", u1 / u2, tag
}'

# As on an AVX2-only x86. Ours: GODEBUG switches AVX-512 (and with it the vnni GEMM and
# the AVX-512 requantisation) off in internal/cpu and x/sys/cpu. ORT: avx2only.so
# hides AVX-512, AVX-VNNI and AMX from CPUID, so MLAS picks its AVX2 kernels.
if ! grep -qw cpuid_fault /proc/cpuinfo; then
  echo "skipped: AVX2-only figures (this CPU cannot fault on CPUID): x86_avx2_ort_ratio_1t and x86_avx2_ort_conv_ratio_1t not measured"
elif ! command -v gcc >/dev/null; then
  echo "skipped: AVX2-only figures (gcc is needed to build internal/avx2only)"
else
  gcc -shared -fPIC -O2 -o "$dir/avx2only.so" "$here/internal/avx2only/avx2only.c" -ldl
  export GODEBUG=cpu.avx512f=off,cpu.avx512bw=off,cpu.avx512vl=off,cpu.avx512dq=off,cpu.avx512cd=off,cpu.avx512vnni=off,cpu.avxvnni=off,cpu.amxint8=off
  quiet() { "$@" 2> >(grep -v 'unknown cpu feature' >&2); }
  k2=$(quiet "$dir/ortcmp" kernel)
  a1=$(LD_PRELOAD=$dir/avx2only.so "$ortbench" "$dir/relu5.onnx" --threads 1 --runs "$runs" --input "$dir/input.u8")
  ua=$(quiet "$dir/ortcmp" time -runs "$runs" -threads 1 "${margs[@]}")
  ac=$(ortconv "$dir/avx2only.so") || ac=""
  uac=$(oursconv) || uac=""
  unset GODEBUG
  echo "ort_1t_avx2: $a1"
  echo "$ua" | sed 's/^ours_1t/ours_1t_avx2/'
  echo "ort_conv_1t_ms_avx2=$ac ours_conv_1t_ms_avx2=$uac"
  # MLAS's AVX2 u8s8 kernel multiplies with VPMADDUBSW, whose int16 pair sums saturate
  # for large weights and activations: its outputs, against ours, show where.
  for s in $convs; do
    [ -f "$dir/$s.preload.u8" ] && echo "ort_avx2_${s}_alone_vs_ours: $("$dir/ortcmp" diff "$dir/$s.ours.u8" "$dir/$s.preload.u8")"
  done
  a1m=$(echo "$a1" | med median_ms)
  ua1=$(echo "$ua" | med t_median_ms)
  if [ -n "$a1m" ] && [ -n "$ua1" ] && [ -n "$ac" ] && [ -n "$uac" ]; then
    tag="# ours $k2; ORT: cpu $hostsimd seen through avx2only (avx2,fma)"
    awk -v u="$ua1" -v o="$a1m" -v uc="$uac" -v oc="$ac" -v tag="$tag" 'BEGIN {
      printf "x86_avx2_ort_ratio_1t=%.2f  %s\n", u / o, tag
      printf "x86_avx2_ort_conv_ratio_1t=%.2f  %s\n", uc / oc, tag }'
  else
    echo "skipped: could not read the AVX2-only times above"
  fi
fi
