"""Tests of companion.contractive: the closed form and the exact Jacobians
against the backend's automatic differentiation, the stochastic estimate,
training, saving, the frozen-kernel pitfall and bad input.

Backend-independent: the automatic differentiation uses TensorFlow's
``GradientTape`` or ``jax.jacrev``, whichever backend Keras runs on.
"""

import keras
import numpy as np
import pytest

from companion import config, contractive, models, training


def _numpy(value):
    return keras.ops.convert_to_numpy(value)


def _images(count, seed=0):
    rng = np.random.default_rng(seed)
    return rng.uniform(size=(count, 784)).astype("float32")


def _autodiff_jacobians(function, inputs):
    """Exact Jacobians of ``function`` at each row of ``inputs``, by the
    backend's automatic differentiation, shape (n, outputs, inputs).
    """
    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        values = tf.constant(inputs)
        with tf.GradientTape() as tape:
            tape.watch(values)
            outputs = function(values)
        return tape.batch_jacobian(outputs, values).numpy()
    if backend == "jax":
        import jax

        single = jax.jacrev(lambda row: function(row[None, :])[0])
        return np.stack([np.asarray(single(row)) for row in inputs])
    pytest.skip(f"no automatic differentiation helper for {backend}")


def _encoder(hidden_sizes=(), code_size=16, activations=None, seed=0):
    keras.utils.set_random_seed(seed)
    inputs = keras.Input(shape=(784,))
    values = inputs
    activations = activations or ["sigmoid"] * (len(hidden_sizes) + 1)
    for size, activation in zip(
        (*hidden_sizes, code_size), activations, strict=True
    ):
        values = keras.layers.Dense(size, activation=activation)(values)
    return keras.Model(inputs, values)


@pytest.fixture(scope="module")
def sigmoid_encoder():
    encoder = _encoder()
    layer = encoder.layers[-1]
    # Larger weights than Glorot's, so that the units leave the linear part
    # of the sigmoid and the check is not trivial.
    layer.kernel.assign(_numpy(layer.kernel) * 8.0)
    return encoder


# --- the closed form and the exact Jacobians --------------------------------


def test_closed_form_matches_automatic_differentiation(sigmoid_encoder):
    images = _images(5)
    exact = _autodiff_jacobians(sigmoid_encoder, images)
    closed = _numpy(
        contractive.sigmoid_jacobian_norms(
            sigmoid_encoder(images), sigmoid_encoder.layers[-1].kernel
        )
    )
    squared = np.sum(np.square(exact), axis=(1, 2))
    assert squared.min() > 0.1
    np.testing.assert_allclose(closed, squared, rtol=1e-5)


@pytest.mark.parametrize(
    "activations", [("sigmoid", "sigmoid"), ("relu", "tanh"), ("tanh", None)]
)
def test_exact_jacobians_match_automatic_differentiation(activations):
    encoder = _encoder((32,), 8, activations=list(activations), seed=1)
    images = _images(4, seed=2)
    expected = _autodiff_jacobians(encoder, images)
    found = contractive.jacobians(encoder, images)
    assert found.shape == (4, 8, 784)
    np.testing.assert_allclose(found, expected, rtol=1e-4, atol=1e-6)


def test_norms_spectra_and_directions_agree(sigmoid_encoder):
    images = _images(6, seed=3)
    norms = contractive.jacobian_norms(sigmoid_encoder, images, batch_size=4)
    spectra = contractive.jacobian_spectra(sigmoid_encoder, images)
    assert spectra.shape == (6, 16)
    assert np.all(np.diff(spectra, axis=1) <= 1e-6)
    np.testing.assert_allclose(
        norms, np.sqrt(np.sum(spectra**2, axis=1)), rtol=1e-4
    )
    vectors, values = contractive.jacobian_directions(
        sigmoid_encoder, images[:1], count=3
    )
    assert vectors.shape == (3, 784)
    np.testing.assert_allclose(values, spectra[0, :3], rtol=1e-4)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1, rtol=1e-4)
    jacobian = contractive.jacobians(sigmoid_encoder, images[:1])[0]
    np.testing.assert_allclose(
        np.linalg.norm(jacobian @ vectors.T, axis=0), values, rtol=1e-3
    )


def test_stochastic_estimate_approaches_the_closed_form(sigmoid_encoder):
    images = _images(50, seed=4)
    exact = contractive.jacobian_norms(sigmoid_encoder, images) ** 2
    estimate = contractive.estimate_jacobian_norms(
        sigmoid_encoder, images, sigma=0.01, samples=200, seed=0
    )
    np.testing.assert_allclose(estimate.mean(), exact.mean(), rtol=0.05)
    rough = contractive.estimate_jacobian_norms(
        sigmoid_encoder, images, sigma=0.01, samples=1, seed=0
    )
    # One sample is unbiased but noisier per image.
    assert np.std(rough / exact) > np.std(estimate / exact)


# --- training ---------------------------------------------------------------


def _fit(model, epochs=3):
    return training.fit_autoencoder(
        model, _images(256), _images(64, 1), epochs=epochs, batch_size=64
    )


def test_penalty_lowers_the_jacobian_norm():
    images = _images(64, seed=5)
    norms = {}
    for weight in (0.0, 0.1):
        config.set_seed(0)
        model = contractive.build_contractive_autoencoder(16, weight=weight)
        run = _fit(model)
        assert set(run.history) >= {"loss", "reconstruction", "jacobian"}
        assert np.all(np.isfinite(run.history["loss"]))
        norms[weight] = contractive.jacobian_norms(model.encoder, images)
    assert norms[0.1].mean() < 0.5 * norms[0.0].mean()


def test_history_tracks_the_closed_form_norm():
    config.set_seed(0)
    model = contractive.build_contractive_autoencoder(16, weight=0.0)
    run = _fit(model, epochs=1)
    # With weight 0 the loss is the reconstruction alone.
    np.testing.assert_allclose(
        run.history["loss"], run.history["reconstruction"], rtol=1e-5
    )
    assert run.history["jacobian"][0] > 0


def test_stochastic_penalty_trains_a_two_layer_encoder():
    config.set_seed(0)
    model = contractive.build_contractive_autoencoder(
        8, weight=0.1, hidden_sizes=(32,), penalty="stochastic", sigma=0.1
    )
    run = _fit(model, epochs=2)
    assert np.all(np.isfinite(run.history["jacobian"]))
    assert len(model.encoder.layers) == 3


def test_same_seed_gives_the_same_losses():
    losses = []
    for _ in range(2):
        config.set_seed(0)
        model = contractive.build_contractive_autoencoder(
            8, weight=0.1, penalty="stochastic", seed=3
        )
        losses.append(_fit(model, epochs=1).history["loss"])
    assert losses[0] == losses[1]


def test_frozen_kernel_reads_a_snapshot():
    config.set_seed(0)
    model = contractive.build_contractive_autoencoder(
        16, weight=0.1, frozen_kernel=True
    )
    kernel = model.encoder.layers[-1].kernel
    images = _images(8)
    codes = model.encoder(images)
    before = _numpy(model._squared_norms(images, codes))
    kernel.assign(_numpy(kernel) * 3.0)
    after = _numpy(model._squared_norms(images, codes))
    np.testing.assert_allclose(after, before)
    live = _numpy(contractive.sigmoid_jacobian_norms(codes, kernel))
    np.testing.assert_allclose(live, 9.0 * before, rtol=1e-5)


def test_round_trip_through_a_keras_file(tmp_path):
    config.set_seed(0)
    model = contractive.build_contractive_autoencoder(16, weight=0.05)
    _fit(model, epochs=1)
    path = tmp_path / "contractive.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    images = _images(8, seed=6)
    np.testing.assert_allclose(
        _numpy(loaded(images)), _numpy(model(images)), atol=1e-6
    )
    assert loaded.weight == pytest.approx(0.05)
    assert loaded.penalty == "closed_form"


# --- measuring --------------------------------------------------------------


def test_contraction_ratios_fall_with_the_penalty(sigmoid_encoder):
    images = _images(20, seed=7)
    ratios = contractive.contraction_ratios(
        sigmoid_encoder, images, [0.1, 1.0, 10.0]
    )
    assert ratios.shape == (3,)
    assert np.all(ratios > 0)
    # Far away a saturating encoder contracts more than near by.
    assert ratios[-1] < ratios[0]


def test_contraction_ratio_of_a_linear_encoder():
    # For a linear encoder h = x W and a random unit direction u of the 784
    # pixels, E ||W^T u||^2 = ||W||_F^2 / 784, at every radius.
    encoder = _encoder(code_size=64, activations=["linear"], seed=4)
    kernel = _numpy(encoder.layers[-1].kernel)
    expected = np.linalg.norm(kernel) / np.sqrt(784)
    ratios = contractive.contraction_ratios(
        encoder, _images(400, seed=10), [0.1, 10.0]
    )
    np.testing.assert_allclose(ratios, expected, rtol=0.05)


def test_code_change_is_zero_for_unchanged_images(sigmoid_encoder):
    images = _images(10, seed=8)
    assert contractive.code_change(sigmoid_encoder, images, images) == 0.0
    other = _images(10, seed=9)
    assert contractive.code_change(sigmoid_encoder, images, other) > 0.5


def test_code_change_never_compares_an_image_with_itself(sigmoid_encoder):
    # With seed 0 a random permutation of two images leaves both in place,
    # which compared each image with itself and divided by zero.
    assert np.random.default_rng(0).permutation(2).tolist() == [0, 1]
    images, changed = _images(2, seed=8), _images(2, seed=9)
    codes = _numpy(sigmoid_encoder(images))
    moved = _numpy(sigmoid_encoder(changed))
    expected = np.mean(np.linalg.norm(moved - codes, axis=1)) / (
        np.linalg.norm(codes[0] - codes[1])
    )
    found = contractive.code_change(sigmoid_encoder, images, changed)
    assert np.isfinite(found)
    assert found == pytest.approx(expected, rel=1e-5)
    for count in (2, 3, 10, 101):
        for seed in range(20):
            others = contractive._other_images(count, seed)
            assert np.all(others != np.arange(count))
            assert others.min() >= 0 and others.max() < count
    # A permutation that leaves no image in place is kept as it is.
    permutation = np.random.default_rng(0).permutation(3)
    assert np.all(permutation != np.arange(3))
    np.testing.assert_array_equal(contractive._other_images(3, 0), permutation)
    # One image has no other to be compared with.
    with pytest.raises(ValueError, match="at least two images"):
        contractive.code_change(sigmoid_encoder, images[:1], changed[:1])


def test_shift_images_moves_pixels_and_fills_zeros():
    image = np.zeros((1, 784), dtype="float32")
    image[0, 5 * 28 + 7] = 1.0
    right = contractive.shift_images(image, 1).reshape(28, 28)
    assert right[5, 8] == 1.0 and right.sum() == 1.0
    up = contractive.shift_images(image, -2, axis="vertical").reshape(28, 28)
    assert up[3, 7] == 1.0 and up.sum() == 1.0
    shaped = contractive.shift_images(image.reshape(1, 28, 28, 1), 1)
    assert shaped.shape == (1, 28, 28, 1)


# --- bad input --------------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"weight": -0.1}, "weight must be zero or more"),
        ({"weight": float("nan")}, "weight must be a finite number"),
        ({"weight": float("inf")}, "weight must be a finite number"),
        ({"sigma": 0.0}, "sigma must be greater than zero"),
        ({"sigma": -1.0}, "sigma must be greater than zero"),
        ({"samples": 0}, "samples must be a positive integer"),
        ({"samples": 2.5}, "samples must be a positive integer"),
        ({"penalty": "exact"}, "penalty must be one of"),
        ({"hidden_sizes": (32,)}, "closed-form penalty assumes"),
        (
            {"frozen_kernel": True, "penalty": "stochastic"},
            "frozen_kernel=True only applies",
        ),
    ],
)
def test_builder_refuses_bad_arguments(arguments, message):
    with pytest.raises(ValueError, match=message):
        contractive.build_contractive_autoencoder(8, **arguments)


def test_closed_form_refuses_a_relu_encoder():
    encoder = _encoder(code_size=8, activations=["relu"])
    decoder = models.build_dense_decoder(8, (784,))
    with pytest.raises(ValueError, match="sigmoid activation"):
        contractive.ContractiveAutoencoder(encoder, decoder, weight=0.1)


def test_exact_jacobians_refuse_other_layers():
    inputs = keras.Input(shape=(28, 28, 1))
    values = keras.layers.Conv2D(2, 3)(inputs)
    values = keras.layers.Flatten()(values)
    encoder = keras.Model(inputs, keras.layers.Dense(4)(values))
    with pytest.raises(ValueError, match="is a Conv2D"):
        contractive.jacobians(encoder, np.zeros((1, 28, 28, 1), "float32"))


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda e: contractive.estimate_jacobian_norms(
                e, _images(2), sigma=0.0
            ),
            "sigma must be greater than zero",
        ),
        (
            lambda e: contractive.estimate_jacobian_norms(
                e, _images(2), sigma=0.1, samples=0
            ),
            "samples must be a positive integer",
        ),
        (
            lambda e: contractive.contraction_ratios(e, _images(2), []),
            "radii must be a non-empty list",
        ),
        (
            lambda e: contractive.contraction_ratios(e, _images(2), [1, -1]),
            "every entry of radii must be greater than zero",
        ),
        (
            lambda e: contractive.code_change(e, _images(3), _images(2)),
            "same length",
        ),
        (
            lambda e: contractive.jacobian_directions(e, _images(2)),
            "one image",
        ),
        (
            lambda e: contractive.jacobian_directions(e, _images(1), count=17),
            "count=17 is more than",
        ),
        (
            lambda e: contractive.jacobians(e, np.full((1, 784), np.nan)),
            "NaN",
        ),
        (
            lambda e: contractive.jacobians(e, _images(1)[:, :100]),
            "expects inputs of shape",
        ),
        (
            lambda e: contractive.shift_images(_images(1), 1.5),
            "pixels must be an integer",
        ),
        (
            lambda e: contractive.shift_images(_images(1), 28),
            "shifts the whole",
        ),
    ],
)
def test_measurements_refuse_bad_input(sigmoid_encoder, call, message):
    with pytest.raises(ValueError, match=message):
        call(sigmoid_encoder)
