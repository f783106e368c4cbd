"""Fixtures shared by the unit tests: small synthetic MNIST-like files and
arrays.
"""

import numpy as np
import pytest


@pytest.fixture
def fake_mnist_arrays():
    """Arrays with MNIST's keys, shapes and dtypes (random pixels), cheap to
    make.
    """
    rng = np.random.default_rng(0)
    return {
        "x_train": rng.integers(0, 256, size=(60000, 28, 28), dtype=np.uint8),
        "y_train": rng.integers(0, 10, size=60000, dtype=np.uint8),
        "x_test": rng.integers(0, 256, size=(10000, 28, 28), dtype=np.uint8),
        "y_test": rng.integers(0, 10, size=10000, dtype=np.uint8),
    }


@pytest.fixture
def fake_mnist_file(tmp_path, fake_mnist_arrays):
    path = tmp_path / "mnist.npz"
    np.savez(path, **fake_mnist_arrays)
    return path


@pytest.fixture
def small_images():
    """64 smooth random 28x28 images in [0, 1], flat."""
    rng = np.random.default_rng(1)
    return rng.uniform(0.0, 1.0, size=(64, 784)).astype("float32")
