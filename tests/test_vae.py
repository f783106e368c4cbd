import keras
import numpy as np
import pytest

from companion import config, models, training, vae


def _numpy(value):
    return keras.ops.convert_to_numpy(value)


def _binary_images(count, seed):
    rng = np.random.default_rng(seed)
    return (rng.uniform(size=(count, 28, 28, 1)) < 0.3).astype("float32")


def _trained(beta):
    config.set_seed(0)
    model = vae.build_vae(latent_dim=2, beta=beta, seed=0)
    run = training.fit_autoencoder(
        model,
        _binary_images(256, 0),
        _binary_images(64, 1),
        epochs=2,
        batch_size=64,
    )
    return model, run


@pytest.fixture(scope="module")
def trained():
    """A VAE with beta = 0.5 after 2 epochs on 256 random binary images, and
    its TrainingRun.
    """
    return _trained(beta=0.5)


# --- Sampling ----------------------------------------------------------------


def test_sampling_draws_mean_plus_scaled_noise():
    mean = np.full((4000, 3), 2.0, dtype="float32")
    log_variance = np.full(
        (4000, 3), np.log(0.25), dtype="float32"
    )  # standard deviation 0.5
    codes = _numpy(vae.Sampling(seed=1)([mean, log_variance]))
    assert codes.shape == (4000, 3)
    assert codes.mean() == pytest.approx(2.0, abs=0.03)
    assert codes.std() == pytest.approx(0.5, abs=0.03)
    # A vanishing variance returns the mean itself.
    exact = _numpy(
        vae.Sampling(seed=1)(
            [mean[:5], np.full((5, 3), -100.0, dtype="float32")]
        )
    )
    np.testing.assert_array_equal(exact, mean[:5])


def test_sampling_is_seeded_and_keeps_its_seed_in_the_config():
    mean = np.zeros((6, 2), dtype="float32")
    first = _numpy(vae.Sampling(seed=7)([mean, mean]))
    second = _numpy(vae.Sampling(seed=7)([mean, mean]))
    other = _numpy(vae.Sampling(seed=8)([mean, mean]))
    np.testing.assert_array_equal(first, second)
    assert not np.array_equal(first, other)
    assert vae.Sampling(seed=7).get_config()["seed"] == 7
    for seed in (-1, 1.5):
        with pytest.raises(ValueError, match="seed"):
            vae.Sampling(seed=seed)


# --- the two loss terms ------------------------------------------------------


def test_kl_divergence_known_values():
    zeros = np.zeros((2, 3), dtype="float32")
    kl = _numpy(vae.kl_divergence(zeros, zeros))
    assert kl.shape == (2,)
    np.testing.assert_array_equal(kl, 0.0)  # N(0, I) is the prior itself
    np.testing.assert_allclose(
        _numpy(vae.kl_divergence(np.ones((2, 3), "float32"), zeros)), 1.5
    )  # 0.5 per unit
    mean = np.array([[1.0, 0.0], [0.0, -2.0]], dtype="float32")
    log_variance = np.array(
        [[0.0, np.log(2.0)], [np.log(0.5), 0.0]], dtype="float32"
    )
    # 0.5 * (variance + mean^2 - 1 - log variance), summed over units.
    expected = 0.5 * np.sum(
        np.exp(log_variance) + mean**2 - 1 - log_variance, axis=1
    )
    np.testing.assert_allclose(
        _numpy(vae.kl_divergence(mean, log_variance)), expected, rtol=1e-6
    )
    assert np.all(expected > 0)


def test_summed_binary_crossentropy_is_784_times_the_mean_per_pixel():
    rng = np.random.default_rng(0)
    targets = (rng.uniform(size=(3, 28, 28, 1)) < 0.4).astype("float32")
    predictions = rng.uniform(0.01, 0.99, size=(3, 28, 28, 1)).astype(
        "float32"
    )
    summed = _numpy(vae.summed_binary_crossentropy(targets, predictions))
    assert summed.shape == (3,)
    t, p = targets.astype("float64"), predictions.astype("float64")
    per_pixel = -(t * np.log(p) + (1 - t) * np.log(1 - p))
    np.testing.assert_allclose(
        summed, 784 * per_pixel.reshape(3, -1).mean(axis=1), rtol=1e-5
    )
    # Keras' own BCE averages over the last axis; on flat images it is the
    # per-pixel mean.
    keras_mean = _numpy(
        keras.losses.binary_crossentropy(
            targets.reshape(3, 784), predictions.reshape(3, 784)
        )
    )
    np.testing.assert_allclose(summed, 784 * keras_mean, rtol=1e-4)
    flat = _numpy(
        vae.summed_binary_crossentropy(
            targets.reshape(3, 784), predictions.reshape(3, 784)
        )
    )
    np.testing.assert_allclose(flat, summed, rtol=1e-6)


def test_summed_binary_crossentropy_clips_certain_predictions():
    targets = np.array([[0.0, 1.0, 1.0, 0.0]], dtype="float32")
    right = _numpy(vae.summed_binary_crossentropy(targets, targets))
    assert right[0] == pytest.approx(
        -4 * np.log(1 - vae.EPSILON), abs=1e-5
    )  # about zero
    wrong = _numpy(vae.summed_binary_crossentropy(targets, 1 - targets))
    assert np.isfinite(wrong[0])
    # Clipped to [EPSILON, 1 - EPSILON] in float32, where 1 - 1e-7 rounds to
    # 1 - 1.19e-7: about 4 x 16.
    lowest = 1 - np.float32(1 - vae.EPSILON)
    assert wrong[0] == pytest.approx(
        -2 * np.log(vae.EPSILON) - 2 * np.log(lowest), rel=1e-4
    )


# --- encoder, decoder and model ----------------------------------------------


def test_encoder_and_decoder_shapes():
    encoder = vae.build_vae_encoder(latent_dim=3)
    assert [tuple(output.shape[1:]) for output in encoder.outputs] == [
        (3,),
        (3,),
    ]
    assert tuple(encoder.input.shape[1:]) == (28, 28, 1)
    assert (
        encoder.get_layer("code_mean").get_config()["activation"] == "linear"
    )
    decoder = vae.build_vae_decoder(latent_dim=3)
    assert tuple(decoder.input.shape[1:]) == (3,)
    assert tuple(decoder.output.shape[1:]) == (28, 28, 1)
    images = models.decode(
        decoder, np.random.default_rng(0).normal(size=(4, 3)) * 3
    )
    assert (
        images.shape == (4, 28, 28, 1)
        and images.min() >= 0.0
        and images.max() <= 1.0
    )


def test_builders_check_their_arguments():
    for builder in (
        vae.build_vae_encoder,
        vae.build_vae_decoder,
        vae.build_vae,
    ):
        with pytest.raises(ValueError, match="latent_dim"):
            builder(latent_dim=0)
    with pytest.raises(ValueError, match="beta"):
        vae.build_vae(beta=-0.1)
    with pytest.raises(ValueError, match="beta"):
        vae.VariationalAutoencoder(
            vae.build_vae_encoder(2), vae.build_vae_decoder(2), beta=-1.0
        )
    with pytest.raises(ValueError, match="same latent_dim"):
        vae.VariationalAutoencoder(
            vae.build_vae_encoder(2), vae.build_vae_decoder(3)
        )
    dense_encoder = models.build_dense_encoder((28, 28, 1), code_size=2)
    with pytest.raises(ValueError, match="same latent_dim"):
        vae.VariationalAutoencoder(dense_encoder, vae.build_vae_decoder(2))


def test_build_vae_gives_a_compiled_built_model():
    config.set_seed(0)
    model = vae.build_vae(latent_dim=3, beta=2.0)
    assert isinstance(model, vae.VariationalAutoencoder)
    assert model.latent_dim == 3 and model.beta == 2.0 and model.compiled
    assert tuple(model.input.shape[1:]) == (28, 28, 1)
    assert model.encoder.name == "encoder" and model.decoder.name == "decoder"
    images = _binary_images(5, 3)
    outputs = _numpy(model(images))
    assert outputs.shape == (5, 28, 28, 1)
    # call adds the batch-mean KL as the model's loss.
    mean, log_variance = vae.encode_distribution(model, images)
    assert len(model.losses) == 1
    expected = _numpy(vae.kl_divergence(mean, log_variance)).mean()
    assert float(_numpy(model.losses[0])) == pytest.approx(expected, rel=1e-5)


# --- training ----------------------------------------------------------------


def test_history_records_the_weighted_sum_of_the_two_terms(trained):
    model, run = trained
    assert run.epochs == 2
    for key in (
        "loss",
        "reconstruction",
        "kl",
        "val_loss",
        "val_reconstruction",
        "val_kl",
    ):
        assert len(run.history[key]) == 2, key
    for prefix in ("", "val_"):
        for epoch in range(2):
            loss = run.history[prefix + "loss"][epoch]
            parts = (
                run.history[prefix + "reconstruction"][epoch]
                + 0.5 * run.history[prefix + "kl"][epoch]
            )
            assert loss == pytest.approx(parts, rel=1e-3)
    # The reconstruction term is summed over 784 pixels: far above a per-pixel
    # mean.
    assert 100 < run.history["reconstruction"][-1] < 784
    assert all(value >= 0 for value in run.history["kl"])
    assert run.history["loss"][-1] < run.history["loss"][0]


def test_same_seed_same_losses_on_cpu(trained):
    _, first = trained
    _, second = _trained(beta=0.5)
    assert first.history == second.history


# --- helpers on a trained model ----------------------------------------------


def test_encode_distribution_and_reconstruct_mean(trained):
    model, _ = trained
    images = _binary_images(6, 2)
    mean, log_variance = vae.encode_distribution(model, images, batch_size=4)
    assert mean.shape == log_variance.shape == (6, 2)
    assert mean.dtype == log_variance.dtype == np.float32
    reconstructions = vae.reconstruct_mean(model, images)
    assert (
        reconstructions.shape == (6, 28, 28, 1)
        and reconstructions.dtype == np.float32
    )
    np.testing.assert_allclose(
        reconstructions, models.decode(model.decoder, mean), atol=1e-6
    )
    # Deterministic: no sampling involved.
    np.testing.assert_array_equal(
        vae.reconstruct_mean(model, images), reconstructions
    )


def test_helpers_refuse_other_models_and_bad_images(trained):
    model, _ = trained
    autoencoder = models.build_dense_autoencoder((28, 28, 1), code_size=2)
    with pytest.raises(ValueError, match="VariationalAutoencoder"):
        vae.encode_distribution(autoencoder, _binary_images(2, 0))
    with pytest.raises(ValueError, match="VariationalAutoencoder"):
        vae.sample_images(autoencoder, 2)
    with pytest.raises(ValueError, match=r"\(n, 28, 28, 1\)"):
        vae.encode_distribution(model, _binary_images(2, 0).reshape(2, 784))
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        vae.reconstruct_mean(model, _binary_images(2, 0) * 255)
    with pytest.raises(ValueError, match="batch_size"):
        vae.encode_distribution(model, _binary_images(2, 0), batch_size=0)


def test_evaluate_elbo_adds_up_and_repeats(trained):
    model, _ = trained
    images = _binary_images(32, 1)
    result = vae.evaluate_elbo(model, images, seed=3)
    assert set(result) == {"reconstruction", "kl", "negative_elbo"}
    assert result["negative_elbo"] == pytest.approx(
        result["reconstruction"] + result["kl"], rel=1e-6
    )
    assert result["kl"] >= 0 and result["reconstruction"] > 0
    assert vae.evaluate_elbo(model, images, seed=3) == result
    # The KL term does not depend on the draw; the reconstruction term does.
    other = vae.evaluate_elbo(model, images, seed=4)
    assert other["kl"] == result["kl"]
    assert other["reconstruction"] != result["reconstruction"]
    # The KL term is the mean over images of kl_divergence of the encoded
    # distribution.
    mean, log_variance = vae.encode_distribution(model, images)
    assert result["kl"] == pytest.approx(
        float(_numpy(vae.kl_divergence(mean, log_variance)).mean()), rel=1e-5
    )
    with pytest.raises(ValueError, match="seed"):
        vae.evaluate_elbo(model, images, seed=-1)


def test_sample_images_is_deterministic_for_a_seed(trained):
    model, _ = trained
    images = vae.sample_images(model, 5, seed=2)
    assert images.shape == (5, 28, 28, 1) and images.dtype == np.float32
    assert images.min() >= 0.0 and images.max() <= 1.0
    np.testing.assert_array_equal(vae.sample_images(model, 5, seed=2), images)
    assert not np.array_equal(vae.sample_images(model, 5, seed=9), images)
    # The codes are standard normal draws from NumPy's generator with that
    # seed.
    codes = np.random.default_rng(2).standard_normal((5, 2)).astype("float32")
    np.testing.assert_allclose(
        models.decode(model.decoder, codes), images, atol=1e-6
    )
    with pytest.raises(ValueError, match="count"):
        vae.sample_images(model, 0)
    with pytest.raises(ValueError, match="seed"):
        vae.sample_images(model, 3, seed=-2)


@pytest.mark.parametrize(
    "kind, encoder_parameters, decoder_parameters",
    [
        # dense: 784*512 + 512, then two heads of 512*2 + 2; decoder
        # 2*512 + 512, then 512*784 + 784.
        (
            "dense",
            784 * 512 + 512 + 2 * (512 * 2 + 2),
            2 * 512 + 512 + 512 * 784 + 784,
        ),
        # conv (keras-io): 3x3 convolutions 1->32 and 32->64, dense 3136->16,
        # two heads 16->2.
        (
            "conv",
            (9 * 32 + 32)
            + (9 * 32 * 64 + 64)
            + (7 * 7 * 64 * 16 + 16)
            + 2 * (16 * 2 + 2),
            (2 * 3136 + 3136)
            + (9 * 64 * 64 + 64)
            + (9 * 64 * 32 + 32)
            + (9 * 32 + 1),
        ),
    ],
)
def test_both_kinds_have_the_documented_layers(
    kind, encoder_parameters, decoder_parameters
):
    encoder = vae.build_vae_encoder(latent_dim=2, kind=kind)
    decoder = vae.build_vae_decoder(latent_dim=2, kind=kind)
    assert encoder.count_params() == encoder_parameters
    assert decoder.count_params() == decoder_parameters
    assert tuple(decoder.output.shape[1:]) == (28, 28, 1)


def test_unknown_kind_is_refused():
    for builder in (
        vae.build_vae_encoder,
        vae.build_vae_decoder,
        vae.build_vae,
    ):
        with pytest.raises(ValueError, match="kind must be one of"):
            builder(latent_dim=2, kind="recurrent")


# --- saving ---------------------------------------------------------------


def test_vae_round_trip_through_a_keras_file(trained, tmp_path):
    model, _ = trained
    path = tmp_path / "vae.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    assert isinstance(loaded, vae.VariationalAutoencoder)
    assert loaded.beta == model.beta and loaded.latent_dim == 2
    images = _binary_images(8, 3)
    for found, expected in zip(
        vae.encode_distribution(loaded, images),
        vae.encode_distribution(model, images),
    ):
        np.testing.assert_array_equal(found, expected)
    np.testing.assert_array_equal(
        vae.reconstruct_mean(loaded, images),
        vae.reconstruct_mean(model, images),
    )


def test_sampling_layer_config_round_trip():
    layer = vae.Sampling(seed=7, name="sampling")
    again = vae.Sampling.from_config(layer.get_config())
    assert again.seed == 7 and again.name == "sampling"


# --- KL collapse: per-unit KL, active units, warm-up, free bits -------------


def test_kl_per_unit_sums_to_the_kl_divergence():
    rng = np.random.default_rng(0)
    mean = rng.normal(size=(5, 4)).astype("float32")
    log_variance = rng.normal(size=(5, 4)).astype("float32")
    per_unit = _numpy(vae.kl_per_unit(mean, log_variance))
    assert per_unit.shape == (5, 4) and np.all(per_unit >= 0)
    np.testing.assert_allclose(
        per_unit.sum(axis=1),
        _numpy(vae.kl_divergence(mean, log_variance)),
        rtol=1e-5,
    )
    # A unit at the prior costs nothing.
    zero = np.zeros((1, 3), "float32")
    np.testing.assert_allclose(_numpy(vae.kl_per_unit(zero, zero)), 0.0)


def test_active_units_count_the_units_whose_mean_varies(trained):
    model, _ = trained
    images = _binary_images(64, 5)
    activity = vae.unit_activity(model, images)
    mean, _ = vae.encode_distribution(model, images)
    np.testing.assert_allclose(activity, mean.astype("float64").var(axis=0))
    assert vae.active_units(model, images) == int(np.sum(activity > 0.01))
    assert vae.active_units(model, images, threshold=1e9) == 0


def _fit_one_epoch(model):
    return training.fit_autoencoder(
        model, _binary_images(128, 0), epochs=1, batch_size=64
    )


def test_warmup_raises_the_kl_weight_linearly_to_beta():
    config.set_seed(0)
    model = vae.build_vae(latent_dim=2, beta=0.5, seed=0, warmup_steps=4)
    assert float(_numpy(model.kl_weight())) == 0.0  # before any step
    _fit_one_epoch(model)  # 2 steps of 64 images
    assert float(_numpy(model.kl_weight())) == pytest.approx(0.25)
    _fit_one_epoch(model)
    _fit_one_epoch(model)
    assert float(_numpy(model.kl_weight())) == pytest.approx(0.5)
    plain = vae.build_vae(latent_dim=2, beta=0.5, seed=0)
    assert plain.kl_weight() == 0.5


def test_free_bits_add_the_allowance_but_track_the_kl_itself():
    config.set_seed(0)
    model = vae.build_vae(latent_dim=2, seed=0, free_bits=5.0)
    images = _binary_images(16, 2)
    model(images)
    kl, allowance = (float(_numpy(loss)) for loss in model.losses)
    mean, log_variance = model.encoder(images)
    unit_kl = _numpy(vae.kl_per_unit(mean, log_variance)).mean(axis=0)
    assert kl == pytest.approx(unit_kl.sum(), rel=1e-5)
    assert allowance == pytest.approx(
        np.sum(np.maximum(unit_kl, 5.0) - unit_kl), rel=1e-5
    )
    run = _fit_one_epoch(model)
    # The loss counts each unit at 5 nats at least; the tracked KL does not.
    assert run.history["loss"][0] >= run.history["reconstruction"][0] + 9.9
    assert run.history["kl"][0] < 10.0


def test_warmup_and_free_bits_survive_a_keras_file(tmp_path):
    config.set_seed(0)
    model = vae.build_vae(latent_dim=2, warmup_steps=10, free_bits=0.5)
    path = tmp_path / "vae.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    assert loaded.warmup_steps == 10 and loaded.free_bits == 0.5
