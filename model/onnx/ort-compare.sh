#!/usr/bin/env bash
# ort-compare.sh: runs the exported int8 network in ONNX Runtime and compares it,
# stage by stage, with the numsense engine (see docs/onnx.md).
#
# usage: model/onnx/ort-compare.sh [--model FILE] [--seed S] [--n N] [--keep DIR]
#   --model FILE  numsense model file (default: the seed network quantised on stimuli)
#   --keep DIR    write the models and tensors to DIR and keep them (default: a temp dir)
# For every stage it runs two models: the stage alone, fed with our own input to it
# ("alone": isolates one layer), and the network from the frame up to it ("chained":
# differences accumulate). Exits non-zero if a stage alone is outside its limit
# (convs 1 step, LRN 2 steps, max-pool exact).
set -euo pipefail
die() { echo "ort-compare: $*" >&2; exit 2; }

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

args=() keep=""
while [ $# -gt 0 ]; do
  case $1 in
    --model|--seed|--n) [ $# -ge 2 ] || die "$1 needs a value"; args+=("-${1#--}" "$2"); shift 2 ;;
    --keep) [ $# -ge 2 ] || die "--keep needs a directory"; keep=$2; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $1" ;;
  esac
done
if [ -n "$keep" ]; then
  dir=$keep; mkdir -p "$dir"
else
  dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
fi

(cd "$root" && go build -o "$dir/ortcmp" ./model/onnx/internal/ortcmp)
"$dir/ortcmp" prepare -dir "$dir" "${args[@]}"
for s in $("$dir/ortcmp" stages); do
  "$ortbench" "$dir/$s.onnx" --runs 1 --input "$dir/input.u8" --output "$dir/$s.ort.u8" >/dev/null
  "$ortbench" "$dir/$s.alone.onnx" --runs 1 --input "$dir/$s.in.u8" --output "$dir/$s.alone.ort.u8" >/dev/null
done
status=0
"$dir/ortcmp" compare -dir "$dir" -check || status=$?
echo
ex=()
for ((i = 0; i < ${#args[@]}; i += 2)); do
  [ "${args[i]}" = -n ] || ex+=("${args[i]}" "${args[i+1]}")
done
"$dir/ortcmp" explain -dir "$dir" "${ex[@]}"
exit $status
