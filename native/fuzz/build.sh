#!/usr/bin/env bash
# Builds the libFuzzer harnesses (one binary per target) with clang: -fsanitize=fuzzer,address,undefined.
# The codec core (native/gpr/*.cc, plain C++17, no Node-API) is compiled directly, once, into build/obj and
# rebuilt only when a source or header changed. Usage: native/fuzz/build.sh [target...]  (default: all)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
native="$(dirname "$here")"
out="$here/build"
CXX="${CXX_FUZZ:-clang++}"
TARGETS=(tiff vc5_file vc5_payload encode convert)
[ $# -gt 0 ] && TARGETS=("$@")
command -v "$CXX" >/dev/null || { echo "build.sh: $CXX not found (Debian: apt-get install clang)" >&2; exit 2; }

# -O1 keeps the fuzzer fast while ASan/UBSan still see every access; UBSan findings abort (no recovery)
# so libFuzzer records them as crashes with their input.
SAN=(-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
FLAGS=(-std=c++17 -O1 -g -I"$native" -pthread)
mkdir -p "$out/obj"

codec_header=$(ls -t "$native"/gpr/*.h | head -1)
newest_header=$(ls -t "$native"/gpr/*.h "$here"/*.h | head -1)
objs=()
pending=()
for src in "$native"/gpr/*.cc; do
  obj="$out/obj/$(basename "${src%.cc}").o"
  objs+=("$obj")
  if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ] || [ "$codec_header" -nt "$obj" ]; then pending+=("$src"); fi
done
if [ ${#pending[@]} -gt 0 ]; then
  echo "build.sh: compiling ${#pending[@]} codec source(s)"
  # Two at a time at most: the machine is shared.
  printf '%s\n' "${pending[@]}" | xargs -P 2 -I{} sh -c \
    "$CXX ${FLAGS[*]} ${SAN[*]} -fsanitize=fuzzer-no-link -c {} -o \"$out/obj/\$(basename {} .cc).o\""
fi
for t in "${TARGETS[@]}"; do
  src="$here/fuzz_$t.cc"
  bin="$out/fuzz_$t"
  [ -f "$src" ] || { echo "build.sh: unknown target '$t' (have: tiff vc5_file vc5_payload encode convert)" >&2; exit 2; }
  rebuild=0
  [ -f "$bin" ] || rebuild=1
  if [ $rebuild -eq 0 ]; then
    for f in "$src" "$newest_header" "${objs[@]}"; do [ "$f" -nt "$bin" ] && rebuild=1 && break; done
  fi
  if [ $rebuild -eq 1 ]; then
    echo "build.sh: linking fuzz_$t"
    "$CXX" "${FLAGS[@]}" "${SAN[@]}" -fsanitize=fuzzer "$src" "${objs[@]}" -o "$bin"
  fi
done
echo "build.sh: ok ($out)"
