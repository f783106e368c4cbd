import keras
import numpy as np
import pytest

from companion import config, models, sparsity


def _total_loss(layer_or_model):
    return float(
        sum(
            float(keras.ops.convert_to_numpy(loss))
            for loss in layer_or_model.losses
        )
    )


def _numpy_kl(codes, rho, beta):
    rho_hat = np.clip(
        codes.astype("float64").mean(axis=0),
        sparsity.KL_EPSILON,
        1 - sparsity.KL_EPSILON,
    )
    return beta * np.sum(
        rho * np.log(rho / rho_hat)
        + (1 - rho) * np.log((1 - rho) / (1 - rho_hat))
    )


CODES = np.array(
    [[-1.0, 2.0, 0.0, 0.5], [3.0, -0.25, 1.0, 0.0], [0.0, 0.0, 0.0, 4.0]],
    dtype="float32",
)


def test_l1_penalty_is_weight_times_batch_mean_of_summed_abs():
    layer = sparsity.L1ActivityPenalty(0.3)
    output = keras.ops.convert_to_numpy(layer(CODES))
    np.testing.assert_array_equal(output, CODES)
    expected = 0.3 * np.mean(
        np.abs(CODES).sum(axis=1)
    )  # per image 3.5, 4.25, 4.0
    assert _total_loss(layer) == pytest.approx(expected, rel=1e-6)


def test_l1_penalty_matches_keras_regularizer_divided_by_batch_size():
    # The penalty is L1(weight) summed over the batch, divided by the batch
    # size (what Keras >= 3.14 does for activity_regularizer, and 3.13 does
    # not).
    regularizer = keras.regularizers.L1(0.3)
    summed = float(keras.ops.convert_to_numpy(regularizer(CODES)))
    layer = sparsity.L1ActivityPenalty(0.3)
    layer(CODES)
    assert _total_loss(layer) == pytest.approx(summed / len(CODES), rel=1e-6)


def test_zero_weight_adds_zero():
    layer = sparsity.L1ActivityPenalty(0.0)
    layer(CODES)
    assert _total_loss(layer) == 0.0
    kl = sparsity.KLSparsityPenalty(0.05, 0.0)
    kl(np.full((4, 3), 0.5, dtype="float32"))
    assert _total_loss(kl) == 0.0


def test_kl_penalty_matches_numpy_formula_and_clips():
    codes = np.array(
        [[0.1, 0.0, 0.9], [0.3, 0.0, 0.7]], dtype="float32"
    )  # unit 1 has mean 0: clipped
    layer = sparsity.KLSparsityPenalty(rho=0.05, beta=2.0)
    np.testing.assert_array_equal(
        keras.ops.convert_to_numpy(layer(codes)), codes
    )
    value = _total_loss(layer)
    assert np.isfinite(value)
    assert value == pytest.approx(_numpy_kl(codes, 0.05, 2.0), rel=1e-4)


def test_kl_penalty_is_zero_at_the_target():
    layer = sparsity.KLSparsityPenalty(rho=0.2, beta=5.0)
    layer(
        np.array([[0.1, 0.4], [0.3, 0.0]], dtype="float32")
    )  # both unit means are 0.2
    assert _total_loss(layer) == pytest.approx(0.0, abs=1e-5)


def test_model_losses_and_evaluate_include_the_penalty(small_images):
    config.set_seed(0)
    weight = 0.01
    model = sparsity.build_sparse_autoencoder(
        784, 8, penalty=sparsity.L1ActivityPenalty(weight)
    )
    model.compile(optimizer="adam", loss="mse")
    x = small_images[:16]
    codes = models.encode(model.get_layer("encoder"), x)
    outputs = models.reconstruct(model, x)
    penalty = weight * np.abs(codes).sum(axis=1).mean()
    assert penalty > 0
    model(x)
    assert _total_loss(model) == pytest.approx(penalty, rel=1e-5)
    loss = model.evaluate(x, x, batch_size=16, verbose=0)
    assert loss == pytest.approx(
        np.mean((outputs - x) ** 2) + penalty, rel=1e-5
    )

    encoder = model.get_layer("encoder")
    plain = keras.Model(
        encoder.input,
        model.get_layer("decoder")(encoder.get_layer("code").output),
    )
    plain.compile(optimizer="adam", loss="mse")
    assert plain.evaluate(x, x, batch_size=16, verbose=0) == pytest.approx(
        loss - penalty, rel=1e-5
    )


def test_kl_model_evaluate_matches_numpy(small_images):
    config.set_seed(0)
    model = sparsity.build_sparse_autoencoder(
        784,
        6,
        penalty=sparsity.KLSparsityPenalty(0.1, 3.0),
        code_activation="sigmoid",
    )
    model.compile(optimizer="adam", loss="mse")
    x = small_images[:16]
    codes = models.encode(model.get_layer("encoder"), x)
    outputs = models.reconstruct(model, x)
    expected = np.mean((outputs - x) ** 2) + _numpy_kl(codes, 0.1, 3.0)
    assert model.evaluate(x, x, batch_size=16, verbose=0) == pytest.approx(
        expected, rel=1e-4
    )


def test_builder_structure():
    model = sparsity.build_sparse_autoencoder(784, 64)
    encoder = model.get_layer("encoder")
    assert tuple(encoder.output.shape[1:]) == (64,)
    assert models.count_parameters(model) == 784 * 64 + 64 + 64 * 784 + 784
    assert encoder.get_layer("code").get_config()["activation"] == "relu"
    assert (
        model.get_layer("decoder")
        .get_layer("pixels")
        .get_config()["activation"]
        == "sigmoid"
    )
    penalised = sparsity.build_sparse_autoencoder(
        784, 64, penalty=sparsity.L1ActivityPenalty(1e-4)
    )
    assert models.count_parameters(penalised) == models.count_parameters(model)
    assert any(
        isinstance(layer, sparsity.L1ActivityPenalty)
        for layer in penalised.get_layer("encoder").layers
    )


@pytest.mark.parametrize(
    "penalty, activation",
    [
        (sparsity.L1ActivityPenalty(0.05), "relu"),
        (sparsity.KLSparsityPenalty(0.05, 3.0), "sigmoid"),
    ],
)
def test_save_load_round_trip(tmp_path, small_images, penalty, activation):
    config.set_seed(0)
    model = sparsity.build_sparse_autoencoder(
        784, 8, penalty=penalty, code_activation=activation
    )
    path = tmp_path / "sparse.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    for each in (model, loaded):
        each.compile(optimizer="adam", loss="mse")
    np.testing.assert_array_equal(
        models.reconstruct(loaded, small_images),
        models.reconstruct(model, small_images),
    )
    loaded_penalty = [
        layer
        for layer in loaded.get_layer("encoder").layers
        if type(layer) is type(penalty)
    ]
    assert len(loaded_penalty) == 1
    assert loaded_penalty[0].get_config() == penalty.get_config()
    x = small_images[:16]
    assert loaded.evaluate(x, x, batch_size=16, verbose=0) == pytest.approx(
        model.evaluate(x, x, batch_size=16, verbose=0), rel=1e-6
    )


def test_strong_l1_penalty_lowers_activations_when_training():
    rng = np.random.default_rng(0)
    x = rng.uniform(size=(64, 16)).astype("float32")
    activations = {}
    for weight in (0.0, 1.0):
        config.set_seed(0)
        model = sparsity.build_sparse_autoencoder(
            16, 8, penalty=sparsity.L1ActivityPenalty(weight)
        )
        model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
        model.fit(x, x, epochs=2, batch_size=8, verbose=0)
        activations[weight] = sparsity.mean_activation(
            models.encode(model.get_layer("encoder"), x)
        )
    assert activations[1.0] < 0.5 * activations[0.0]


def test_diagnostics_on_known_codes():
    codes = np.array(
        [[0.0, 2.0, 0.0, 0.0], [0.0, 0.0, 4.0, 0.0005], [0.0, 6.0, 0.0, 0.0]]
    )
    assert sparsity.mean_activation(codes) == pytest.approx(12.0005 / 12)
    # Per image: 3/4, 3/4 (0.0005 is below 1e-3), 3/4.
    assert sparsity.fraction_near_zero(codes) == pytest.approx(0.75)
    assert sparsity.fraction_near_zero(codes, threshold=1e-4) == pytest.approx(
        (3 + 2 + 3) / 12
    )
    np.testing.assert_array_equal(sparsity.dead_units(codes), [0, 3])
    np.testing.assert_array_equal(
        sparsity.dead_units(codes, threshold=1e-4), [0]
    )
    summary = sparsity.summarize_sparsity(codes)
    assert summary == {
        "units": 4,
        "mean_activation": pytest.approx(12.0005 / 12),
        "fraction_near_zero": pytest.approx(0.75),
        "active_units_per_image": pytest.approx(1.0),
        "dead_units": 2,
    }


def test_diagnostics_treat_negative_values_by_magnitude():
    codes = np.array([[-1.0, 0.0], [1.0, -0.0001]])
    assert sparsity.mean_activation(codes) == pytest.approx(-0.0001 / 4)
    assert sparsity.fraction_near_zero(codes) == pytest.approx(0.5)
    np.testing.assert_array_equal(sparsity.dead_units(codes), [1])


@pytest.mark.parametrize(
    "weight", [-0.1, float("nan"), float("inf"), "0.1", True, None]
)
def test_l1_rejects_bad_weight(weight):
    with pytest.raises(ValueError, match="weight"):
        sparsity.L1ActivityPenalty(weight)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"rho": 0.0, "beta": 1.0}, "rho"),
        ({"rho": 1.0, "beta": 1.0}, "strictly between 0 and 1"),
        ({"rho": 1.5, "beta": 1.0}, "rho"),
        ({"rho": 0.05, "beta": -1.0}, "beta"),
        ({"rho": 0.05, "beta": float("nan")}, "beta"),
    ],
)
def test_kl_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        sparsity.KLSparsityPenalty(**kwargs)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"code_size": 0}, "code_size"),
        ({"input_size": -3}, "input_size"),
        ({"penalty": "l1"}, "penalty must be None or a Keras layer"),
        (
            {"penalty": sparsity.KLSparsityPenalty(0.05, 3.0)},
            "code_activation='sigmoid'",
        ),
        ({"code_activation": "not-an-activation"}, "code_activation"),
    ],
)
def test_builder_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        sparsity.build_sparse_autoencoder(**kwargs)


@pytest.mark.parametrize(
    "function",
    [
        sparsity.mean_activation,
        sparsity.fraction_near_zero,
        sparsity.dead_units,
        sparsity.summarize_sparsity,
    ],
)
def test_diagnostics_reject_bad_codes(function):
    with pytest.raises(ValueError, match=r"shape \(n, units\)"):
        function(np.zeros(5))
    with pytest.raises(ValueError, match=r"shape \(n, units\)"):
        function(np.zeros((0, 4)))
    with pytest.raises(ValueError, match="NaN"):
        function(np.array([[0.0, np.nan]]))
    with pytest.raises(ValueError, match="real numbers"):
        function(np.array([["a", "b"]]))


@pytest.mark.parametrize("threshold", [0.0, -1e-3, float("inf")])
def test_diagnostics_reject_bad_threshold(threshold):
    with pytest.raises(ValueError, match="threshold"):
        sparsity.fraction_near_zero(np.ones((2, 2)), threshold=threshold)
    with pytest.raises(ValueError, match="threshold"):
        sparsity.dead_units(np.ones((2, 2)), threshold=threshold)


def test_sparsity_row_and_table():
    codes = np.array([[0.0, 2.0], [0.0, 4.0]])
    images = np.full((2, 784), 0.5, dtype="float32")
    row = sparsity.sparsity_row("sparse", codes, images, images - 0.1)
    assert row["mean_activation"] == pytest.approx(1.5)
    assert row["fraction_near_zero"] == pytest.approx(0.5)
    assert row["dead_units"] == 1
    assert row["sse"] == pytest.approx(784 * 0.01, rel=1e-4)
    table = sparsity.format_sparsity_table([row])
    assert table.splitlines()[0].startswith(
        "| model | code units | mean activation"
    )
    assert "| sparse | 2 | 1.500 | 50.0% | 1.0 | 1 | 7.84 |" in table


def test_sparsity_row_and_table_reject_bad_input():
    images = np.full((2, 784), 0.5, dtype="float32")
    with pytest.raises(ValueError, match="same images"):
        sparsity.sparsity_row("x", np.ones((3, 2)), images, images)
    with pytest.raises(ValueError, match="name"):
        sparsity.sparsity_row("", np.ones((2, 2)), images, images)
    with pytest.raises(ValueError, match="empty"):
        sparsity.format_sparsity_table([])
    with pytest.raises(ValueError, match="sparsity_row"):
        sparsity.format_sparsity_table([{"model": "x"}])
