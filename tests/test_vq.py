"""Tests for companion.vq: the vector quantiser, the VQ-VAE and its index
grids, the codebook measures, the grid VAE and the PixelCNN prior
(chapter 9)."""

import keras
import numpy as np
import pytest

from companion import config, vae, vq


def _numpy(value):
    return keras.ops.convert_to_numpy(value)


def _block_images(count, seed):
    """MNIST-like binary images: random 7x7 grids of 4x4 blocks, about a
    third of them on."""
    rng = np.random.default_rng(seed)
    grids = (rng.uniform(size=(count, 7, 7)) < 0.35).astype("float32")
    images = np.kron(grids, np.ones((4, 4), dtype="float32"))
    return images[..., None]


def _quantizer(codebook, **settings):
    """A built ``VectorQuantizer`` whose codebook is ``codebook``."""
    codebook = np.asarray(codebook, dtype="float32")
    layer = vq.VectorQuantizer(*codebook.shape, **settings)
    layer.build((None,) + codebook.shape[1:])
    layer.codebook.assign(codebook)
    return layer


def _template_grids(count, seed):
    """Index grids made of 3 templates with a few random changes: data a
    PixelCNN can learn."""
    rng = np.random.default_rng(seed)
    templates = rng.integers(0, 8, size=(3, 7, 7))
    grids = templates[rng.integers(0, 3, size=count)]
    noise = rng.uniform(size=grids.shape) < 0.1
    grids = np.where(noise, rng.integers(0, 8, size=grids.shape), grids)
    return grids.astype("int32")


@pytest.fixture(scope="module")
def images():
    return _block_images(64, 0)


@pytest.fixture(scope="module")
def trained(images):
    """A VQ-VAE (8 entries of 4 numbers, update="gradient") after 3 epochs
    on 64 block images, and its history."""
    config.set_seed(0)
    model = vq.build_vqvae(
        num_embeddings=8, embedding_dim=4, filters=(4, 8), learning_rate=3e-3
    )
    history = model.fit(
        images, images, epochs=3, batch_size=16, shuffle=False, verbose=0
    )
    return model, history.history


@pytest.fixture(scope="module")
def prior():
    """A PixelCNN (8 entries, 8 filters, one block) after 2 epochs on 64
    template grids, and its history."""
    config.set_seed(0)
    model = vq.build_pixelcnn(num_embeddings=8, filters=8, residual_blocks=1)
    grids = _template_grids(64, 0)
    history = model.fit(
        grids, grids, epochs=2, batch_size=16, shuffle=False, verbose=0
    )
    return model, history.history


# --- VectorQuantizer ---------------------------------------------------------


def test_quantizer_outputs_the_nearest_codebook_entries():
    rng = np.random.default_rng(0)
    codebook = rng.normal(size=(8, 3)).astype("float32")
    layer = _quantizer(codebook)
    inputs = rng.normal(size=(2, 5, 5, 3)).astype("float32")
    distances = ((inputs[..., None, :] - codebook) ** 2).sum(axis=-1)
    expected = distances.argmin(axis=-1)
    assert len(np.unique(expected)) > 4  # a real choice among entries
    indices = _numpy(layer.nearest(inputs))
    assert indices.shape == (2, 5, 5)
    np.testing.assert_array_equal(indices, expected)
    entries = _numpy(layer.lookup(expected))
    assert entries.shape == (2, 5, 5, 3)
    np.testing.assert_array_equal(entries, codebook[expected])
    outputs = _numpy(layer(inputs))
    assert outputs.shape == inputs.shape
    np.testing.assert_allclose(outputs, codebook[expected], atol=1e-6)


def test_quantizer_copies_the_gradient_straight_through():
    rng = np.random.default_rng(1)
    layer = _quantizer(rng.normal(size=(4, 2)))
    inputs = rng.normal(size=(3, 2, 2, 2)).astype("float32")
    weights = rng.normal(size=inputs.shape).astype("float32")
    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        tensor = tf.constant(inputs)
        with tf.GradientTape() as tape:
            tape.watch(tensor)
            total = tf.reduce_sum(layer(tensor, training=True) * weights)
        gradient = tape.gradient(total, tensor)
    elif backend == "jax":
        import jax
        import jax.numpy as jnp

        def total(values):
            return jnp.sum(layer(values, training=True) * weights)

        gradient = jax.grad(total)(jnp.asarray(inputs))
    else:
        pytest.skip(f"no gradient check written for the {backend} backend")
    np.testing.assert_allclose(_numpy(gradient), weights, rtol=1e-6)


@pytest.mark.parametrize("update, factor", [("gradient", 1.25), ("ema", 0.25)])
def test_quantizer_adds_the_codebook_and_commitment_losses(update, factor):
    rng = np.random.default_rng(2)
    codebook = rng.normal(size=(6, 3)).astype("float32")
    layer = _quantizer(codebook, beta=0.25, update=update)
    assert layer.codebook.trainable == (update == "gradient")
    inputs = rng.normal(size=(4, 3, 3, 3)).astype("float32")
    layer(inputs)
    distances = ((inputs[..., None, :] - codebook) ** 2).sum(axis=-1)
    squared = distances.min(axis=-1).sum()
    assert len(layer.losses) == 1
    # (1 + beta) with the codebook loss, beta alone for EMA; per image.
    np.testing.assert_allclose(
        _numpy(layer.losses[0]), factor * squared / 4, rtol=1e-5
    )


def test_ema_moves_each_used_entry_to_the_mean_of_its_vectors():
    rng = np.random.default_rng(3)
    codebook = np.array([[0, 0], [1, 0], [0, 1], [5, 5]], "float32")
    layer = _quantizer(codebook, update="ema", decay=1e-6)
    picks = np.repeat([0, 1, 2], 10)
    vectors = codebook[picks] + rng.normal(0, 0.1, size=(30, 2))
    inputs = vectors.astype("float32").reshape(3, 2, 5, 2)
    layer(inputs)  # inference: no update
    np.testing.assert_array_equal(_numpy(layer.codebook), codebook)
    outputs = _numpy(layer(inputs, training=True))
    updated = _numpy(layer.codebook)
    for entry in range(3):
        np.testing.assert_allclose(
            updated[entry], vectors[picks == entry].mean(axis=0), atol=1e-5
        )
    np.testing.assert_array_equal(updated[3], codebook[3])  # never used
    np.testing.assert_allclose(_numpy(layer.usage), [10, 10, 10, 0], rtol=1e-5)
    np.testing.assert_allclose(
        outputs.reshape(30, 2), updated[picks], atol=1e-6
    )


def test_restart_dead_moves_unused_entries_onto_input_vectors():
    rng = np.random.default_rng(4)
    codebook = np.array(
        [[0, 0], [1, 0], [9, 9], [8, 9], [9, 8], [7, 7]], "float32"
    )
    layer = _quantizer(
        codebook, update="ema", decay=0.5, restart_dead=True, seed=1
    )
    picks = np.repeat([0, 1], 12)
    vectors = (codebook[picks] + rng.normal(0, 0.1, size=(24, 2))).astype(
        "float32"
    )
    layer(vectors.reshape(2, 3, 4, 2), training=True)
    updated = _numpy(layer.codebook)
    # Used 12 times: a moving-average use of 6 vectors per batch, alive.
    np.testing.assert_allclose(_numpy(layer.usage)[:2], 6.0, rtol=1e-5)
    for entry in range(2):
        np.testing.assert_allclose(
            updated[entry], vectors[picks == entry].mean(axis=0), atol=1e-5
        )
    # Unused (use 0 < dead_threshold = 1): each now sits on an input.
    for entry in range(2, 6):
        assert np.any(np.all(updated[entry] == vectors, axis=1)), entry
    np.testing.assert_allclose(_numpy(layer.usage)[2:], 1.0)


def test_quantizer_config_round_trip():
    layer = vq.VectorQuantizer(
        5,
        3,
        beta=0.5,
        update="ema",
        decay=0.9,
        restart_dead=True,
        dead_threshold=0.5,
        seed=3,
        name="q",
    )
    settings = layer.get_config()
    clone = vq.VectorQuantizer.from_config(settings)
    assert clone.get_config() == settings
    assert (clone.update, clone.decay, clone.dead_threshold) == (
        "ema",
        0.9,
        0.5,
    )


# --- the VQ-VAE --------------------------------------------------------------


def test_vqvae_learns_and_records_both_losses(trained):
    model, history = trained
    assert {"loss", "reconstruction", "vq"} <= set(history)
    assert history["loss"][-1] < history["loss"][0]
    np.testing.assert_allclose(
        np.add(history["reconstruction"], history["vq"]),
        history["loss"],
        rtol=1e-4,
    )
    assert all(value >= 0 for value in history["vq"])
    assert model.num_embeddings == 8


def test_indices_have_the_grid_shape_and_decode_to_the_outputs(
    trained, images
):
    model, _ = trained
    indices = vq.encode_indices(model, images[:10], batch_size=4)
    assert indices.shape == (10, 7, 7) and indices.dtype == np.int32
    assert 0 <= indices.min() and indices.max() < 8
    codes = model.encoder.predict(images[:10], verbose=0)
    np.testing.assert_array_equal(
        indices, _numpy(model.quantizer.nearest(codes))
    )
    decoded = vq.decode_indices(model, indices, batch_size=4)
    assert decoded.shape == (10, 28, 28, 1)
    assert 0 <= decoded.min() and decoded.max() <= 1
    outputs = model.predict(images[:10], verbose=0)
    np.testing.assert_allclose(decoded, outputs, atol=1e-5)
    assert vq.check_index_grids(indices.astype("int64"), 8).dtype == "int32"


def _quantizer_settings(model):
    settings = model.quantizer.get_config()
    settings.pop("name")
    return settings


@pytest.mark.parametrize("update", ["gradient", "ema"])
def test_vqvae_survives_a_keras_file(update, trained, images, tmp_path):
    if update == "gradient":
        model, _ = trained
    else:
        config.set_seed(0)
        model = vq.build_vqvae(
            num_embeddings=8,
            embedding_dim=4,
            beta=0.5,
            update="ema",
            restart_dead=True,
            filters=(4, 8),
        )
        model.fit(images, images, epochs=1, batch_size=32, verbose=0)
    path = tmp_path / "vqvae.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    assert isinstance(loaded, vq.VQVAE)
    assert _quantizer_settings(loaded) == _quantizer_settings(model)
    np.testing.assert_array_equal(
        _numpy(loaded.quantizer.codebook), _numpy(model.quantizer.codebook)
    )
    np.testing.assert_array_equal(
        vq.encode_indices(loaded, images), vq.encode_indices(model, images)
    )
    np.testing.assert_array_equal(
        loaded.predict(images, verbose=0), model.predict(images, verbose=0)
    )


def test_codebook_usage_counts_and_perplexity():
    uniform = vq.codebook_usage(np.arange(8).repeat(3), 8)
    np.testing.assert_array_equal(uniform["counts"], np.full(8, 3))
    assert (uniform["used"], uniform["unused"]) == (8, 0)
    assert uniform["perplexity"] == pytest.approx(8.0)
    single = vq.codebook_usage(np.full((2, 7, 7), 5), 8)
    assert single["counts"][5] == 98 and single["counts"].sum() == 98
    assert (single["used"], single["unused"]) == (1, 7)
    assert single["perplexity"] == pytest.approx(1.0)
    halves = vq.codebook_usage([0, 0, 1, 1], 4)
    assert halves["perplexity"] == pytest.approx(2.0)
    assert halves["unused"] == 2


def test_codebook_usage_callback_records_each_epoch(images):
    config.set_seed(0)
    model = vq.build_vqvae(num_embeddings=8, embedding_dim=4, filters=(4, 8))
    callback = vq.CodebookUsage(images[:16])
    model.fit(
        images,
        images,
        epochs=2,
        batch_size=32,
        callbacks=[callback],
        verbose=0,
    )
    assert len(callback.used) == len(callback.perplexity) == 2
    assert all(1 <= used <= 8 for used in callback.used)
    assert all(1 <= value <= 8 + 1e-9 for value in callback.perplexity)
    usage = vq.codebook_usage(vq.encode_indices(model, images[:16]), 8)
    assert callback.used[-1] == usage["used"]
    assert callback.perplexity[-1] == pytest.approx(usage["perplexity"])


def test_codebook_usage_callback_can_record_every_few_batches(images):
    config.set_seed(0)
    model = vq.build_vqvae(num_embeddings=8, embedding_dim=4, filters=(4, 8))
    callback = vq.CodebookUsage(images[:16], every=3)
    batches_per_epoch = int(np.ceil(len(images) / 16))
    model.fit(
        images,
        images,
        epochs=2,
        batch_size=16,
        callbacks=[callback],
        verbose=0,
    )
    total = 2 * batches_per_epoch
    assert callback.batches == list(range(3, total + 1, 3))
    assert len(callback.used) == len(callback.batches)


def test_entry_patches_are_the_mean_blocks_of_each_entry():
    rng = np.random.default_rng(5)
    # Entry k stands for a 4x4 pattern (a ramp, so that a transposed or
    # shuffled block would show); entries 3 and 4 are never used.
    ramp = np.arange(16, dtype="float32").reshape(4, 4) / 32
    patterns = np.stack([ramp, ramp.T, 1 - ramp, ramp, ramp])
    indices = rng.integers(0, 3, size=(4, 7, 7)).astype("int32")
    images = np.zeros((4, 28, 28, 1), dtype="float32")
    for image, row, column in np.ndindex(4, 7, 7):
        block = patterns[indices[image, row, column]]
        images[
            image, 4 * row : 4 * row + 4, 4 * column : 4 * column + 4, 0
        ] = block
    # One block of entry 0 brighter by 0.4: the mean moves by 0.4 / count.
    images[0, :4, :4, 0] += 0.4 * (indices[0, 0, 0] == 0)
    patches = vq.entry_patches(images, indices, 5)
    assert patches.shape == (5, 4, 4) and patches.dtype == np.float32
    count_0 = np.sum(indices == 0)
    shift = 0.4 * (indices[0, 0, 0] == 0) / count_0
    np.testing.assert_allclose(patches[0], ramp + shift, atol=1e-6)
    np.testing.assert_allclose(patches[1], ramp.T, atol=1e-6)
    np.testing.assert_allclose(patches[2], 1 - ramp, atol=1e-6)
    assert np.all(np.isnan(patches[3:]))
    # Images without a channel axis give the same patches.
    np.testing.assert_array_equal(
        vq.entry_patches(images[..., 0], indices, 5), patches
    )


# --- the grid VAE ------------------------------------------------------------


def test_grid_vae_is_a_vae_with_49_gaussian_numbers(images, tmp_path):
    config.set_seed(0)
    model = vq.build_grid_vae(channels=1, filters=(4, 8))
    assert isinstance(model, vae.VariationalAutoencoder)
    assert model.latent_dim == 49
    history = model.fit(
        images, images, epochs=3, batch_size=16, shuffle=False, verbose=0
    )
    assert history.history["loss"][-1] < history.history["loss"][0]
    samples = vae.sample_images(model, 3, seed=0)
    assert samples.shape == (3, 28, 28, 1)
    assert 0 <= samples.min() and samples.max() <= 1
    path = tmp_path / "grid_vae.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    assert isinstance(loaded, vae.VariationalAutoencoder)
    for before, after in zip(
        vae.encode_distribution(model, images[:8]),
        vae.encode_distribution(loaded, images[:8]),
    ):
        np.testing.assert_array_equal(after, before)
    np.testing.assert_array_equal(
        vae.sample_images(loaded, 3, seed=0), samples
    )


# --- the PixelCNN prior ------------------------------------------------------


def _changed_outputs(layer, position):
    """Which output positions of ``layer`` change when its 7x7 input changes
    at ``position`` only."""
    rng = np.random.default_rng(6)
    inputs = rng.normal(size=(1, 7, 7, 2)).astype("float32")
    altered = inputs.copy()
    altered[(0, *position)] += 1.0
    difference = np.abs(_numpy(layer(altered)) - _numpy(layer(inputs)))
    return difference[0].max(axis=-1) > 1e-6


@pytest.mark.parametrize("kernel_size", [3, 5, 2, 4])
@pytest.mark.parametrize("mask_type", ["A", "B"])
def test_masked_convolution_sees_only_earlier_positions(
    mask_type, kernel_size
):
    """Even kernels too: 'same' padding puts the extra row and column after
    the centre, so the centre is at (size - 1) // 2."""
    layer = vq.MaskedConv2D(
        3,
        kernel_size,
        mask_type=mask_type,
        kernel_initializer=keras.initializers.RandomUniform(0.1, 1.0),
    )
    raster = np.arange(49).reshape(7, 7)
    for position in [(3, 3), (0, 0), (6, 6), (2, 5)]:
        changed = _changed_outputs(layer, position)
        index = raster[position]
        # Only this position and later ones may change; the position itself
        # changes with mask B and not with mask A.
        assert not np.any(changed & (raster < index)), position
        assert changed[position] == (mask_type == "B"), position
        if position != (6, 6) and kernel_size > 2:
            # The next position sees this one (its left neighbour); a 2x2
            # kernel with 'same' padding covers only later positions.
            next_row, next_column = divmod(index + 1, 7)
            if next_column > 0:
                assert changed[next_row, next_column], position


def test_masked_convolution_config_keeps_its_mask_type():
    layer = vq.MaskedConv2D(4, 3, mask_type="A", name="masked")
    settings = layer.get_config()
    assert settings["mask_type"] == "A" and "padding" not in settings
    clone = vq.MaskedConv2D.from_config(settings)
    assert clone.mask_type == "A" and clone.padding == "same"


def test_pixelcnn_logits_depend_only_on_earlier_positions():
    config.set_seed(0)
    model = vq.build_pixelcnn(num_embeddings=8, filters=8, residual_blocks=1)
    grids = _template_grids(2, 1)
    logits = _numpy(model(grids))
    assert logits.shape == (2, 7, 7, 8)
    raster = np.arange(49).reshape(7, 7)
    for position in [(0, 0), (2, 3), (4, 0), (6, 6)]:
        later = raster >= raster[position]
        altered = np.where(later, (grids + 3) % 8, grids).astype("int32")
        np.testing.assert_allclose(
            _numpy(model(altered))[:, position[0], position[1]],
            logits[:, position[0], position[1]],
            atol=1e-6,
        )
        if position != (0, 0):
            # The position above, or the one to the left in the first row.
            row, column = position
            before = (row - 1, column) if row > 0 else (row, column - 1)
            earlier = raster == raster[before]
            altered = np.where(earlier, (grids + 3) % 8, grids)
            changed = _numpy(model(altered.astype("int32")))
            assert not np.allclose(
                changed[:, position[0], position[1]],
                logits[:, position[0], position[1]],
            ), position


def test_pixelcnn_learns_and_survives_a_keras_file(prior, tmp_path):
    model, history = prior
    assert history["loss"][-1] < history["loss"][0]
    grids = _template_grids(4, 2)
    path = tmp_path / "pixelcnn.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    assert loaded.get_layer("masked_a").mask_type == "A"
    np.testing.assert_array_equal(
        loaded.predict(grids, verbose=0), model.predict(grids, verbose=0)
    )


def _log_softmax(logits):
    shifted = logits - logits.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def test_prior_nll_sums_the_log_probabilities_of_the_indices(prior):
    model, _ = prior
    grids = _template_grids(5, 3)
    nll = vq.prior_nll(model, grids, batch_size=2)
    assert nll.shape == (5,) and np.all(nll > 0)
    logits = _numpy(model(grids)).astype("float64")
    log_probabilities = _log_softmax(logits)
    expected = np.zeros(5)
    for image, row, column in np.ndindex(5, 7, 7):
        expected[image] -= log_probabilities[
            image, row, column, grids[image, row, column]
        ]
    np.testing.assert_allclose(nll, expected, rtol=1e-5)
    bits = vq.nats_to_bits(nll)
    np.testing.assert_allclose(bits, nll / np.log(2))


def test_sample_prior_is_seeded_and_sharpens_to_the_argmax(prior):
    model, _ = prior
    first = vq.sample_prior(model, 3, seed=1)
    assert first.shape == (3, 7, 7)
    assert np.issubdtype(first.dtype, np.integer)
    assert 0 <= first.min() and first.max() < 8
    np.testing.assert_array_equal(vq.sample_prior(model, 3, seed=1), first)
    assert not np.array_equal(vq.sample_prior(model, 3, seed=2), first)
    # At a vanishing temperature every position takes its likeliest index.
    greedy = np.zeros((2, 7, 7), dtype="int32")
    for row, column in np.ndindex(7, 7):
        logits = _numpy(model(greedy))
        greedy[:, row, column] = logits[:, row, column].argmax(axis=-1)
    np.testing.assert_array_equal(
        vq.sample_prior(model, 2, seed=3, temperature=1e-6), greedy
    )


def test_nats_to_bits():
    assert vq.nats_to_bits(np.log(2)) == pytest.approx(1.0)
    assert isinstance(vq.nats_to_bits(np.log(8)), float)
    np.testing.assert_allclose(
        vq.nats_to_bits([0.0, np.log(2), np.log(16)]), [0, 1, 4]
    )
