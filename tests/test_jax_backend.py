"""The companion's backend-independent unit tests also pass on JAX.

The companion uses ``keras`` and ``keras.ops`` only, so the same code must
run on the JAX backend. Keras picks its backend once, when it is first
imported, so the tests run again in a fresh Python process with
``KERAS_BACKEND=jax``. Skipped where ``jax`` is not installed.
"""

import importlib.util
import os
import pathlib
import subprocess
import sys

import pytest

TESTS = pathlib.Path(__file__).resolve().parent

BACKEND_INDEPENDENT = [
    "test_checks.py",
    "test_compression.py",
    "test_contractive.py",
    "test_features.py",
    "test_latent.py",
    "test_layerwise.py",
    "test_metrics.py",
    "test_models.py",
    "test_photos.py",
    "test_retrieval.py",
    "test_sequences.py",
    "test_sparsity.py",
    "test_training.py",
    "test_transfer.py",
    "test_vae.py",
    "test_vq.py",
    "test_widgets.py",
]
"""Unit test files that touch no TensorFlow-only code."""

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("jax") is None,
    reason="jax is not installed (pip install jax to test the JAX backend)",
)


def test_backend_independent_tests_pass_on_jax():
    environment = dict(os.environ, KERAS_BACKEND="jax")
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "--override-ini=addopts=",
        *BACKEND_INDEPENDENT,
    ]
    result = subprocess.run(
        command,
        cwd=TESTS,
        env=environment,
        capture_output=True,
        text=True,
        timeout=1200,
        check=False,
    )
    output = result.stdout[-6000:] + result.stderr[-2000:]
    assert result.returncode == 0, "failed on the JAX backend:\n" + output
    assert "passed" in result.stdout, output
