"""The same seed gives the same numbers on CPU, with oneDNN on.

The book runs TensorFlow with its default oneDNN kernels (2-3 times faster
for the convolutional models on a CPU); two seeded trainings must still give
identical losses.
"""

import os

import keras
import numpy as np
import pytest

from companion import models, training


@pytest.fixture(scope="module")
def images():
    rng = np.random.default_rng(0)
    return rng.random((512, 28, 28, 1)).astype("float32")


def _train(images, seed):
    keras.utils.set_random_seed(seed)
    model = models.build_pooling_conv_autoencoder(filters=(16, 8, 8))
    training.compile_autoencoder(model, loss="binary_crossentropy")
    run = training.fit_autoencoder(
        model, images[:448], images[448:], epochs=2, batch_size=64, seed=seed
    )
    return run.history


def test_onednn_is_not_switched_off():
    if keras.backend.backend() != "tensorflow":
        pytest.skip("oneDNN is TensorFlow's")
    assert os.environ.get("TF_ENABLE_ONEDNN_OPTS", "1") != "0"


def test_two_seeded_trainings_give_identical_losses(images):
    first = _train(images, seed=3)
    second = _train(images, seed=3)
    assert first == second
    other = _train(images, seed=4)
    assert other["loss"] != first["loss"]
