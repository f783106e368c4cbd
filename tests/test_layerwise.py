"""Tests for companion.layerwise: tied weights and greedy layer-wise
pre-training (chapter 2)."""

import keras
import numpy as np
import pytest

from companion import config, layerwise, models, training


def _numpy(value):
    return keras.ops.convert_to_numpy(value)


def _relu(values):
    return np.maximum(values, 0.0)


def _sigmoid(values):
    return 1.0 / (1.0 + np.exp(-values))


def _digit_like(count, seed):
    """MNIST-like flat binary images: 10 templates of 7x7 blocks of 4x4
    pixels, with a few blocks flipped in each image."""
    rng = np.random.default_rng(seed)
    templates = rng.uniform(size=(10, 7, 7)) < 0.3
    grids = templates[rng.integers(0, 10, size=count)]
    grids = grids ^ (rng.uniform(size=grids.shape) < 0.05)
    images = np.kron(grids.astype("float32"), np.ones((4, 4), "float32"))
    return images.reshape(count, 784)


def _tied_reference(model, images):
    """A tied autoencoder's outputs and codes, computed with NumPy from its
    weights (ReLU inside, sigmoid pixels, as built by default)."""
    layers = [
        layer
        for layer in model.layers
        if isinstance(layer, layerwise.TiedDense)
    ]
    hidden = images
    for layer in layers:
        kernel, bias, _ = (_numpy(weight) for weight in layer.weights)
        hidden = _relu(hidden @ kernel + bias)
    codes = hidden
    for index, layer in reversed(list(enumerate(layers))):
        kernel, _, transpose_bias = (_numpy(w) for w in layer.weights)
        hidden = hidden @ kernel.T + transpose_bias
        hidden = _sigmoid(hidden) if index == 0 else _relu(hidden)
    return hidden, codes


SIZES = (32, 16, 4)


@pytest.fixture(scope="module")
def images():
    return _digit_like(256, 0)


@pytest.fixture(scope="module")
def levels(images):
    """Three pre-trained levels, 784-32-16-4, after 2 epochs each."""
    return layerwise.pretrain_layers(
        images, SIZES, epochs=2, batch_size=32, learning_rate=3e-3, verbose=0
    )


# --- TiedDense ---------------------------------------------------------------


def test_tied_dense_computes_both_directions_with_one_kernel():
    rng = np.random.default_rng(0)
    layer = layerwise.TiedDense(
        3, activation="relu", transpose_activation="sigmoid"
    )
    inputs = rng.normal(size=(5, 4)).astype("float32")
    outputs = _numpy(layer(inputs))
    assert [weight.name for weight in layer.weights] == [
        "kernel",
        "bias",
        "transpose_bias",
    ]
    assert [tuple(weight.shape) for weight in layer.weights] == [
        (4, 3),
        (3,),
        (4,),
    ]
    layer.bias.assign(rng.normal(size=3).astype("float32"))
    layer.transpose_bias.assign(rng.normal(size=4).astype("float32"))
    kernel, bias, transpose_bias = (_numpy(w) for w in layer.weights)
    outputs = _numpy(layer(inputs))
    np.testing.assert_allclose(
        outputs, _relu(inputs @ kernel + bias), rtol=1e-5, atol=1e-6
    )
    codes = rng.normal(size=(5, 3)).astype("float32")
    back = _numpy(layer(codes, transpose=True))
    assert back.shape == (5, 4)
    np.testing.assert_allclose(
        back, _sigmoid(codes @ kernel.T + transpose_bias), rtol=1e-5
    )


def test_changing_the_kernel_changes_both_directions():
    rng = np.random.default_rng(1)
    layer = layerwise.TiedDense(3)
    inputs = rng.normal(size=(2, 4)).astype("float32")
    codes = rng.normal(size=(2, 3)).astype("float32")
    before = _numpy(layer(inputs)), _numpy(layer(codes, transpose=True))
    kernel = rng.normal(size=(4, 3)).astype("float32")
    layer.kernel.assign(kernel)
    after = _numpy(layer(inputs)), _numpy(layer(codes, transpose=True))
    assert not np.allclose(before[0], after[0])
    assert not np.allclose(before[1], after[1])
    np.testing.assert_allclose(after[0], inputs @ kernel, rtol=1e-5)
    np.testing.assert_allclose(after[1], codes @ kernel.T, rtol=1e-5)


def test_tied_dense_config_round_trips():
    layer = layerwise.TiedDense(
        7, activation="tanh", transpose_activation=None, name="tied"
    )
    copy = layerwise.TiedDense.from_config(layer.get_config())
    assert copy.get_config() == layer.get_config()
    assert copy.units == 7
    assert copy.get_config()["transpose_activation"] == "linear"


# --- the tied autoencoder ----------------------------------------------------


def test_tied_autoencoder_has_half_the_parameters_of_the_untied_one():
    tied = layerwise.build_tied_autoencoder(784, 32, (128, 64))
    untied = models.build_dense_autoencoder((784,), 32, (128, 64))
    kernels = 784 * 128 + 128 * 64 + 64 * 32
    biases = (128 + 64 + 32) + (784 + 128 + 64)
    assert models.count_parameters(untied) == 222_384
    assert models.count_parameters(tied) == kernels + biases == 111_792
    assert tied.count_params() == 111_792
    assert tied.name == "tied_autoencoder"
    names = [layer.name for layer in tied.layers]
    assert names == ["image", "tied_1", "tied_2", "code"]
    assert tuple(tied.output.shape) == (None, 784)
    code = tied.get_layer("code")
    assert code.units == 32
    # The code layer's transposed call gives back the last hidden layer.
    assert code.transpose_activation is keras.activations.relu
    assert tied.get_layer("tied_1").transpose_activation is (
        keras.activations.sigmoid
    )


def test_tied_autoencoder_matches_numpy_and_its_encoder_gives_codes():
    config.set_seed(0)
    model = layerwise.build_tied_autoencoder(784, 8, (16,))
    inputs = _digit_like(6, 1)
    expected, codes = _tied_reference(model, inputs)
    np.testing.assert_allclose(
        models.reconstruct(model, inputs), expected, rtol=1e-4, atol=1e-6
    )
    encoder = layerwise.tied_encoder(model)
    assert encoder.get_layer("code") is model.get_layer("code")
    assert tuple(encoder.output.shape) == (None, 8)
    np.testing.assert_allclose(
        models.encode(encoder, inputs), codes, rtol=1e-4, atol=1e-5
    )
    single = layerwise.build_tied_autoencoder(784, 8, code_activation=None)
    assert [layer.name for layer in single.layers] == ["image", "code"]
    assert models.count_parameters(single) == 784 * 8 + 8 + 784


def test_tied_autoencoder_round_trips_through_a_keras_file(tmp_path):
    config.set_seed(0)
    model = layerwise.build_tied_autoencoder(784, 8, (16,))
    for layer in model.layers[1:]:  # biases away from zero
        for weight in layer.weights[1:]:
            weight.assign(np.full(weight.shape, 0.1, "float32"))
    inputs = _digit_like(6, 2)
    path = tmp_path / "tied.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    assert isinstance(loaded.get_layer("code"), layerwise.TiedDense)
    assert len(loaded.weights) == len(model.weights) == 6
    np.testing.assert_array_equal(
        models.reconstruct(loaded, inputs), models.reconstruct(model, inputs)
    )
    # The tie survives loading: one kernel, used by encoder and decoder.
    kernel = loaded.get_layer("tied_1").kernel
    kernel.assign(_numpy(kernel) * 2.0)
    expected, _ = _tied_reference(loaded, inputs)
    changed = models.reconstruct(loaded, inputs)
    np.testing.assert_allclose(changed, expected, rtol=1e-4, atol=1e-6)
    assert not np.allclose(changed, models.reconstruct(model, inputs))


def test_tied_autoencoder_trains(images):
    config.set_seed(0)
    model = layerwise.build_tied_autoencoder(784, 8, (32,))
    training.compile_autoencoder(model, learning_rate=3e-3)
    before = model.evaluate(images, images, verbose=0)
    run = training.fit_autoencoder(model, images, epochs=2, batch_size=32)
    after = model.evaluate(images, images, verbose=0)
    assert after < 0.8 * before
    assert run.history["loss"][1] < run.history["loss"][0]


# --- greedy layer-wise pre-training ------------------------------------------


def test_pretrain_layers_trains_one_shallow_autoencoder_per_size(levels):
    assert [(level.input_size, level.size) for level in levels] == [
        (784, 32),
        (32, 16),
        (16, 4),
    ]
    assert [level.activation for level in levels] == [
        "relu",
        "relu",
        "linear",
    ]
    assert [level.decoder_activation for level in levels] == [
        "sigmoid",
        "relu",
        "relu",
    ]
    for level in levels:
        kernel, bias = level.encoder_weights
        assert kernel.shape == (level.input_size, level.size)
        assert bias.shape == (level.size,)
        kernel, bias = level.decoder_weights
        assert kernel.shape == (level.size, level.input_size)
        assert bias.shape == (level.input_size,)
        assert len(level.losses) == 2
        assert level.loss == level.losses[-1]
        assert level.losses[1] < level.losses[0]
        assert level.seconds > 0


def test_load_pretrained_gives_the_chained_levels(levels, images):
    deep = models.build_dense_autoencoder(
        (784,), SIZES[-1], SIZES[:-1], code_activation=None
    )
    assert layerwise.load_pretrained(deep, levels) is deep
    inputs = images[:8]
    codes = inputs
    for level in levels:
        codes = level.encode(codes)
    encoder = deep.get_layer("encoder")
    np.testing.assert_allclose(
        models.encode(encoder, inputs), codes, rtol=1e-4, atol=1e-5
    )
    pixels = codes
    for level in reversed(levels):
        pixels = level.decode(pixels)
    decoder = deep.get_layer("decoder")
    np.testing.assert_allclose(
        models.decode(decoder, codes), pixels, rtol=1e-4, atol=1e-5
    )
    np.testing.assert_allclose(
        models.reconstruct(deep, inputs), pixels, rtol=1e-4, atol=1e-5
    )
    # Fine-tuning starts from there.
    training.compile_autoencoder(deep)
    run = training.fit_autoencoder(deep, images, epochs=1, batch_size=64)
    assert np.isfinite(run.final())


def test_load_pretrained_refuses_levels_of_other_sizes(levels):
    deep = models.build_dense_autoencoder(
        (784,), 4, (32, 8), code_activation=None
    )
    before = [_numpy(weight) for weight in deep.weights]
    with pytest.raises(ValueError, match=r"levels\[1\]"):
        layerwise.load_pretrained(deep, levels)
    # Nothing was copied: the checks run before any layer changes.
    for weight, old in zip(deep.weights, before):
        np.testing.assert_array_equal(_numpy(weight), old)


def test_pretraining_repeats_with_the_same_seed(levels, images):
    again = layerwise.pretrain_layers(
        images, SIZES, epochs=2, batch_size=32, learning_rate=3e-3, verbose=0
    )
    for first, second in zip(levels, again):
        for one, other in zip(
            first.encoder_weights + first.decoder_weights,
            second.encoder_weights + second.decoder_weights,
        ):
            np.testing.assert_array_equal(one, other)
        assert first.losses == second.losses
    other_seed = layerwise.pretrain_layers(
        images, SIZES[:1], epochs=1, batch_size=64, seed=1, verbose=0
    )
    assert not np.array_equal(
        other_seed[0].encoder_weights[0], levels[0].encoder_weights[0]
    )
