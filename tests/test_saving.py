"""Tests of companion.saving: a model saved to ``.keras`` and loaded in a
fresh Python process computes what it computed before, the process imports
what it is told to, and nothing is left behind.

Each test starts one child process (a few seconds: it imports Keras).
"""

import numpy as np
import pytest

from companion import compression, config, models, saving, vae

IMAGES = np.random.default_rng(0).uniform(size=(8, 784)).astype("float32")


def test_a_functional_model_gives_identical_outputs(tmp_path, monkeypatch):
    import keras
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    config.set_seed(0)
    model = models.build_dense_autoencoder((784,), code_size=4)
    result = saving.reload_in_fresh_process(model, IMAGES, imports=[])
    np.testing.assert_array_equal(
        result.outputs, models.reconstruct(model, IMAGES)
    )
    assert result.class_name == "Functional"
    assert result.backend == keras.backend.backend()
    assert result.config["name"] == model.name
    assert result.file_bytes > 4 * model.count_params()
    assert list(tmp_path.iterdir()) == [], "the temporary folder was left"


def test_a_custom_model_with_several_outputs_comes_back_whole():
    config.set_seed(0)
    model = vae.build_vae(latent_dim=2, name="tiny_vae")
    images = IMAGES.reshape(-1, 28, 28, 1)
    result = saving.reload_in_fresh_process(
        model,
        images,
        imports=["companion.vae"],
        function="companion.vae.encode_distribution",
    )
    assert result.class_name == "VariationalAutoencoder"
    assert result.config["beta"] == model.beta
    mean, log_variance = vae.encode_distribution(model, images)
    assert len(result.outputs) == 2
    np.testing.assert_array_equal(result.outputs[0], mean)
    np.testing.assert_array_equal(result.outputs[1], log_variance)


def test_a_missing_import_is_reported_with_the_childs_error():
    config.set_seed(0)
    model = compression.build_compressing_autoencoder(
        code_size=4, noise_bits=4
    )
    decoder = model.get_layer("decoder")
    codes = np.zeros((3, 4), dtype="float32")
    with pytest.raises(RuntimeError, match="UniformNoise"):
        saving.reload_in_fresh_process(
            decoder, codes, imports=[], function="companion.models.decode"
        )
