"""Tests of companion.saving: a model saved to ``.keras`` and loaded in a
fresh Python process computes what it computed before, the process imports
what it is told to, and nothing is left behind.

Each test starts one child process (a few seconds: it imports Keras).
"""

import re

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
    with pytest.raises(RuntimeError, match="UniformNoise") as raised:
        saving.reload_in_fresh_process(
            decoder, codes, imports=[], function="companion.models.decode"
        )
    # The message starts with the child's own error line, then its output.
    first_line = str(raised.value).splitlines()[0]
    assert re.match(
        r"the fresh process could not load or run the model: "
        r"[A-Za-z_.]*(Error|Exception): ",
        first_line,
    ), first_line
    assert "End of its error output:" in str(raised.value)


def test_flat_codes_reach_a_convolutional_decoder():
    config.set_seed(0)
    decoder = models.build_pooling_conv_autoencoder().get_layer("decoder")
    codes = np.random.default_rng(1).normal(size=(3, 128)).astype("float32")
    result = saving.reload_in_fresh_process(
        decoder, codes, imports=[], function="companion.models.decode"
    )
    np.testing.assert_array_equal(
        result.outputs, models.decode(decoder, codes)
    )


def test_checks_run_before_the_child_starts(monkeypatch):
    def no_child(*args, **kwargs):
        raise AssertionError("a child process was started")

    monkeypatch.setattr(saving.subprocess, "run", no_child)
    config.set_seed(0)
    model = models.build_dense_autoencoder((784,), code_size=4)
    with pytest.raises(ValueError, match=r"inputs must lie in \[0, 1\]"):
        saving.reload_in_fresh_process(model, IMAGES * 255, imports=[])
    with pytest.raises(ValueError, match="inputs has shape"):
        saving.reload_in_fresh_process(
            model, IMAGES.reshape(-1, 28, 28, 1), imports=[]
        )
    with pytest.raises(ValueError, match="cannot be called as"):
        saving.reload_in_fresh_process(
            model,
            IMAGES,
            imports=[],
            function="companion.models.count_parameters",
        )
