#!/usr/bin/env bash
# Run the book's notebooks on a GPU machine that has JAX with CUDA but no
# Keras or Jupyter and no package registries (issue 30), from the bundle that
# scripts/gpu_bundle.py wrote into .gpu-bundle/ (carried with the checkout).
#
#   bash scripts/gpu_run.sh fast [NOTEBOOK…]  # every notebook (or those
#                                             # named) with nbval, fast
#                                             # mode, WORKERS at a time
#   bash scripts/gpu_run.sh full [NOTEBOOK…]  # full mode with the executor,
#                                             # no chapter started after
#                                             # DEADLINE seconds
#
# Everything runs on the JAX backend (TensorFlow's CUDA build is not on such
# a machine). Logs and nvidia-smi's output go to $OUT (default
# /tmp/gpu-run). GPU_RUN_ALLOW_CPU=1 skips the GPU check, to test this
# script on a CPU; GPU_BUNDLE names another bundle folder.
set -uo pipefail
cd "$(dirname "$0")/.."
mode=${1:-fast}
shift || true
bundle=${GPU_BUNDLE:-.gpu-bundle}
out=${OUT:-/tmp/gpu-run}
mkdir -p "$out"
python=${PYTHON:-python3}

case "$mode" in
  fast | full) ;;
  *)
    echo "mode: fast or full, not $mode" >&2
    exit 2
    ;;
esac
if [ ! -d "$bundle/wheels" ]; then
  echo "no $bundle/wheels: run scripts/gpu_bundle.py first" >&2
  exit 2
fi
site=${GPU_RUN_SITE:-/tmp/gpu-run-site}
$python -m pip install -q --no-index --no-deps --no-compile \
  --no-cache-dir --upgrade --target "$site" "$bundle"/wheels/*.whl || exit 1
export PYTHONPATH="$site:$PWD${PYTHONPATH:+:$PYTHONPATH}"
export PATH="$site/bin:$PATH"
export KERAS_BACKEND=jax
# Several notebook kernels share the GPU: none may take 75% of its memory.
export XLA_PYTHON_CLIENT_PREALLOCATE=false
export AUTOENCODERS_MNIST="$PWD/$bundle/data/mnist.npz"
export AUTOENCODERS_NAB="$PWD/$bundle/data/nab"
export MPLBACKEND=Agg TF_CPP_MIN_LOG_LEVEL=3 PYTHONUNBUFFERED=1

{
  date -u
  nvidia-smi || echo "nvidia-smi: not found"
  $python --version
  $python -c "import jax, keras; print('jax', jax.__version__, \
jax.devices(), '/ keras', keras.__version__, keras.backend.backend())"
} 2>&1 | tee "$out/machine.txt"
if [ "${GPU_RUN_ALLOW_CPU:-0}" != 1 ]; then
  $python scripts/check_gpu.py || exit 1
fi

case "$mode" in
  fast)
    # -p no:cacheprovider: the checkout may be read-only for pytest's cache.
    $python -m pytest "${@:-book}" -p no:cacheprovider -n "${WORKERS:-4}" \
      --dist loadfile --durations=0 -q 2>&1 | tee "$out/fast.log"
    ;;
  full)
    $python scripts/execute_notebooks.py --deadline "${DEADLINE:-480}" \
      "$@" 2>&1 | tee "$out/full.log"
    ;;
esac
