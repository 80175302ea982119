#!/usr/bin/env bash
# Builds native/target/liblocasbench_native.so against the libtorch of a Python torch (the one the Java process runs
# with through PYTORCH_LIBRARY_PATH): CMake with torch's TorchConfig, or, where that configure fails (a pip CUDA torch
# without a CUDA toolkit on the host), one g++ call with torch's and the nvidia wheels' include and library folders.
#
#   bash native/build.sh            # PYTHON=python3, JNI_INCLUDE_DIR=<jdk>/include when no JDK is on the PATH
#
# Prints the library's path and what it was built against; `mvn -Pnative -pl model` runs it too.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PY="${PYTHON:-python3}"
OUT="$HERE/target"
BUILD="$OUT/build"
mkdir -p "$OUT"
log() { echo "[native] $*" >&2; }

if [[ -z "${JNI_INCLUDE_DIR:-}" ]]; then
  if command -v javac >/dev/null; then
    JNI_INCLUDE_DIR="$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")/include"
  else
    echo "error: no JDK found for jni.h; set JNI_INCLUDE_DIR to a folder with jni.h and linux/jni_md.h" >&2
    exit 2
  fi
fi
[[ -f "$JNI_INCLUDE_DIR/jni.h" ]] || { echo "error: $JNI_INCLUDE_DIR/jni.h is missing; set JNI_INCLUDE_DIR" >&2; exit 2; }

eval "$("$PY" - <<'PYEOF'
import glob, os, shlex
import torch, torch.utils
d = os.path.dirname(os.path.realpath(torch.__file__))
site = os.path.dirname(d)
incs = [os.path.join(d, 'include'), os.path.join(d, 'include', 'torch', 'csrc', 'api', 'include')]
incs += sorted(glob.glob(os.path.join(site, 'nvidia', '*', 'include')))
incs += sorted(glob.glob(os.path.join(site, 'nvidia', '*', '*', 'include')))
vals = dict(TORCH_DIR=d, TORCH_VERSION=torch.__version__, TORCH_CUDA=torch.version.cuda or '',
            TORCH_ABI=str(int(torch._C._GLIBCXX_USE_CXX11_ABI)), TORCH_PREFIX=torch.utils.cmake_prefix_path,
            TORCH_INCS=':'.join(i for i in incs if os.path.isdir(i)))
for k, v in vals.items():
    print(f'{k}={shlex.quote(v)}')
PYEOF
)"
log "torch $TORCH_VERSION (CUDA ${TORCH_CUDA:-none}) at $TORCH_DIR"
LIB="$OUT/liblocasbench_native.so"
rm -f "$LIB"
if cmake -S "$HERE" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$TORCH_PREFIX" \
     -DJNI_INCLUDE_DIR="$JNI_INCLUDE_DIR" >"$OUT/configure.log" 2>&1 \
   && cmake --build "$BUILD" -j "${JOBS:-$(nproc)}" >"$OUT/build.log" 2>&1; then
  cp "$BUILD/liblocasbench_native.so" "$LIB"
  log "built with CMake (TorchConfig)"
else
  log "CMake build failed (see $OUT/configure.log, $OUT/build.log); compiling with g++ directly"
  tail -5 "$OUT/configure.log" >&2 || true
  flags=(-O2 -std=c++17 -shared -fPIC -Wl,-z,now -D_GLIBCXX_USE_CXX11_ABI="$TORCH_ABI" -I"$JNI_INCLUDE_DIR"
         -I"$JNI_INCLUDE_DIR/linux")
  IFS=: read -r -a incs <<<"$TORCH_INCS"
  for i in "${incs[@]}"; do flags+=(-I"$i"); done
  libs=(-L"$TORCH_DIR/lib" -ltorch -ltorch_cpu -lc10)
  if [[ -n "$TORCH_CUDA" ]]; then
    # the cudart libtorch_cuda itself needs (same soname, so the loader reuses the one already in the process)
    cudart="$(ldd "$TORCH_DIR/lib/libtorch_cuda.so" | awk '/libcudart/ {print $3; exit}')"
    [[ -n "$cudart" ]] || { echo "error: cannot find the libcudart that $TORCH_DIR/lib/libtorch_cuda.so uses" >&2; exit 2; }
    flags+=(-DLOCAS_WITH_CUDA -DUSE_CUDA)
    libs+=(-ltorch_cuda -lc10_cuda "$cudart")
  fi
  g++ "${flags[@]}" "$HERE/src/locas_native.cpp" -o "$LIB" "${libs[@]}" 2>"$OUT/gxx.log" \
    || { cat "$OUT/gxx.log" >&2; echo "error: the native library did not compile (log: $OUT/gxx.log)" >&2; exit 1; }
fi
echo "$TORCH_VERSION" > "$OUT/built-against.txt"
log "$LIB ($(stat -c %s "$LIB") bytes) for torch $TORCH_VERSION"
echo "$LIB"
