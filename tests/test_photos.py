"""Tests for companion.photos: the sample photographs and their split,
patches, noise, the denoiser, the classical denoisers, the photo codec
and the filter measures (chapter 14)."""

import keras
import numpy as np
import pytest
import skimage

from companion import compression, photos


def smooth_photo(height=48, width=56, channels=3, seed=0):
    """A smooth colour photo in [0.2, 0.8]: gradients and a soft disc."""
    rows, columns = np.mgrid[0:height, 0:width] / max(height, width)
    disc = np.exp(-((rows - 0.4) ** 2 + (columns - 0.5) ** 2) * 20)
    channel_list = [
        0.2 + 0.3 * rows + 0.3 * disc,
        0.2 + 0.3 * columns + 0.2 * disc,
        0.5 + 0.2 * disc - 0.1 * rows,
    ]
    return np.stack(channel_list[:channels], axis=-1).astype("float32")


def test_split_is_by_photograph_and_leaves_out_the_duplicate_cat():
    assert not set(photos.TEST_PHOTOS) & set(photos.TRAIN_PHOTOS)
    assert "cat" not in photos.PHOTOS
    assert np.array_equal(skimage.data.cat(), skimage.data.chelsea())
    assert set(photos.GREY_PHOTOS) <= set(photos.TRAIN_PHOTOS)


@pytest.mark.parametrize("name", photos.PHOTOS)
def test_every_photo_loads_in_colour_and_grey(name):
    colour = photos.load_photo(name)
    grey = photos.load_photo(name, colour=False)
    assert colour.dtype == np.float32 and colour.ndim == 3
    assert colour.shape[-1] == 3 and grey.shape == colour.shape[:2] + (1,)
    assert 0 <= colour.min() and colour.max() <= 1
    assert min(colour.shape[:2]) >= 64
    if name in photos.GREY_PHOTOS:
        assert np.array_equal(colour[..., 0], colour[..., 2])


def test_load_photos_keeps_the_order_of_the_names():
    loaded = photos.load_photos(["coffee", "camera"])
    assert list(loaded) == ["coffee", "camera"]


def test_patches_are_deterministic_and_accept_a_list():
    loaded = {"a": smooth_photo(), "b": smooth_photo(40, 40)}
    first = photos.sample_patches(loaded, 16, 5, seed=3)
    again = photos.sample_patches(list(loaded.values()), 16, 5, seed=3)
    assert first.shape == (10, 16, 16, 3) and first.dtype == np.float32
    assert np.array_equal(first, again)
    assert not np.array_equal(
        first, photos.sample_patches(loaded, 16, 5, seed=4)
    )


def test_normalised_patches_follow_the_ufldl_recipe():
    rng = np.random.default_rng(0)
    patches = rng.uniform(size=(200, 8, 8, 1)).astype("float32")
    normalised = photos.normalise_patches(patches)
    assert normalised.shape == (200, 64)
    assert normalised.min() >= 0.1 - 1e-6 and normalised.max() <= 0.9 + 1e-6
    # Each patch's mean is removed: a patch's mean maps to 0.5.
    np.testing.assert_allclose(normalised.mean(axis=1), 0.5, atol=0.02)


def test_gaussian_noise_has_the_asked_level_and_is_not_clipped():
    flat = np.full((200, 200, 3), 0.98, dtype="float32")
    noisy = photos.add_gaussian_noise(flat, 25, seed=1)
    assert abs((noisy - flat).std() - 25 / 255) < 0.002
    assert noisy.max() > 1
    assert np.array_equal(noisy, photos.add_gaussian_noise(flat, 25, seed=1))
    assert np.array_equal(photos.add_gaussian_noise(flat, 0), flat)


def test_noise_level_map_has_one_channel_of_sigma():
    level = photos.noise_level_map(np.zeros((2, 6, 7, 3)), 51)
    assert level.shape == (2, 6, 7, 1)
    np.testing.assert_allclose(level, 0.2)


def test_noisy_patches_give_fresh_noise_of_the_level_they_report():
    patches = photos.sample_patches({"a": smooth_photo()}, 16, 40, seed=0)
    dataset = photos.NoisyPatches(
        patches, batch_size=8, sigma_range=(10, 50), seed=2
    )
    assert len(dataset) == 5
    (noisy, level), clean = dataset[0]
    assert noisy.shape == clean.shape == (8, 16, 16, 3)
    assert level.shape == (8, 16, 16, 1)
    sigmas = level[:, 0, 0, 0] * 255
    assert np.all((sigmas >= 10) & (sigmas <= 50))
    measured = (noisy - clean).reshape(8, -1).std(axis=1) * 255
    np.testing.assert_allclose(measured, sigmas, rtol=0.2)
    (again, _), _ = dataset[0]
    assert np.array_equal(noisy, again)
    dataset.on_epoch_end()
    (later, _), _ = dataset[0]
    assert not np.array_equal(noisy, later)


def test_untrained_denoiser_returns_the_noisy_photo():
    model = photos.build_photo_denoiser(width=8, depth=3)
    noisy = np.clip(
        photos.add_gaussian_noise(smooth_photo(21, 30), 10, seed=0), 0, 1
    )
    np.testing.assert_allclose(
        photos.denoise(model, noisy, 10), noisy, atol=1e-6
    )
    np.testing.assert_allclose(
        photos.denoise(model, noisy, 10, ensemble=True), noisy, atol=1e-6
    )


def test_self_ensemble_averages_the_eight_views():
    keras.utils.set_random_seed(0)
    model = photos.build_photo_denoiser(width=4, depth=3)
    last = model.get_layer("noise_estimate")
    kernel, bias = last.get_weights()
    last.set_weights([np.full_like(kernel, 0.01), bias])
    noisy = photos.add_gaussian_noise(smooth_photo(21, 30), 10, seed=0)
    views = []
    for turns in range(4):
        for mirror in (False, True):
            view = np.rot90(noisy, turns)
            view = view[:, ::-1] if mirror else view
            out = photos.denoise(model, np.ascontiguousarray(view), 10)
            out = out[:, ::-1] if mirror else out
            views.append(np.rot90(out, -turns))
    ensembled = photos.denoise(model, noisy, 10, ensemble=True)
    assert ensembled.shape == noisy.shape
    # Clipping each view first differs from clipping the mean only where
    # a view leaves [0, 1]; this smooth photo stays inside.
    np.testing.assert_allclose(ensembled, np.mean(views, axis=0), atol=1e-5)


def test_denoiser_size_matches_the_chapter():
    # 8 layers of 32 filters: 4 -> 32, six 32 -> 32, 32 -> 3, all 3x3.
    model = photos.build_photo_denoiser(width=32, depth=8)
    expected = (4 * 9 + 1) * 32 + 6 * (32 * 9 + 1) * 32 + (32 * 9 + 1) * 3
    assert model.count_params() == expected


def test_denoiser_learns_and_survives_a_keras_file(tmp_path):
    keras.utils.set_random_seed(0)
    patches = photos.sample_patches({"a": smooth_photo(64, 64)}, 16, 64)
    model = photos.build_photo_denoiser(width=8, depth=3)
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss="mse")
    dataset = photos.NoisyPatches(patches, batch_size=16, seed=0)
    history = model.fit(dataset, epochs=4, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    path = tmp_path / "denoiser.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    noisy = photos.add_gaussian_noise(smooth_photo(), 25, seed=3)
    np.testing.assert_allclose(
        photos.denoise(loaded, noisy, 25),
        photos.denoise(model, noisy, 25),
        atol=1e-5,
    )


@pytest.mark.parametrize("method", photos.CLASSICAL_DENOISERS)
@pytest.mark.parametrize("channels", [1, 3])
def test_classical_denoisers_remove_noise(method, channels):
    clean = smooth_photo(64, 64, channels)
    noisy = photos.add_gaussian_noise(clean, 25, seed=0)
    denoised = photos.denoise_classically(noisy, 25, method)
    assert denoised.shape == clean.shape
    before = photos.photo_quality(clean, np.clip(noisy, 0, 1))[0]
    assert photos.photo_quality(clean, denoised)[0] > before + 3


def test_photo_quality_is_scikit_images():
    clean = smooth_photo()
    noisy = np.clip(photos.add_gaussian_noise(clean, 15, seed=0), 0, 1)
    psnr, ssim = photos.photo_quality(clean, noisy)
    mse = float(np.mean((clean - noisy) ** 2))
    assert psnr == pytest.approx(10 * np.log10(1 / mse), rel=1e-5)
    assert 0 < ssim < 1
    assert photos.photo_quality(clean, clean) == (100.0, 1.0)


def test_codec_codes_any_size_and_fewer_bits_cost_fewer_bytes(tmp_path):
    keras.utils.set_random_seed(0)
    codec = photos.build_photo_codec(code_channels=4, width=8, noise_bits=4)
    image = smooth_photo(43, 50)
    codes = photos.encode_photo(codec, image)
    assert codes.shape == (6, 7, 4)
    assert 0 <= codes.min() and codes.max() <= 1
    low, high = compression.code_ranges(codes.reshape(-1, 4))
    restored, size = photos.compress_photo(codec, image, low, high, 6)
    assert restored.shape == image.shape
    assert 0 <= restored.min() and restored.max() <= 1
    _, smaller = photos.compress_photo(codec, image, low, high, 2)
    assert 0 < smaller <= size
    path = tmp_path / "codec.keras"
    codec.save(path)
    loaded = keras.saving.load_model(path)
    np.testing.assert_allclose(
        photos.encode_photo(loaded, image), codes, atol=1e-5
    )


@pytest.mark.parametrize("channels", [1, 3])
def test_jpeg_photo_round_trips_and_grows_with_quality(channels):
    image = smooth_photo(40, 48, channels)
    low_quality, small_file, small_payload = photos.jpeg_photo(image, 10)
    high_quality, big_file, big_payload = photos.jpeg_photo(image, 90)
    assert high_quality.shape == image.shape
    assert small_payload < small_file and small_file < big_file
    assert small_payload < big_payload
    assert (
        photos.photo_quality(image, high_quality)[0]
        > photos.photo_quality(image, low_quality)[0]
    )


def test_orientation_coherence_tells_stripes_from_blobs():
    rows, columns = np.mgrid[-4:4, -4:4] + 0.5
    stripes = np.sin(columns)[None]
    blob = np.exp(-(rows**2 + columns**2) / 4)[None]
    values = photos.orientation_coherence(
        np.concatenate([stripes, blob, np.zeros((1, 8, 8))])
    )
    assert values[0] == pytest.approx(1.0)
    assert values[1] < 0.05
    assert values[2] == 0
    flat = photos.orientation_coherence(stripes.reshape(1, 64))
    assert flat[0] == pytest.approx(1.0)


def test_energy_support_tells_local_from_spread():
    point = np.zeros((1, 8, 8))
    point[0, 3, 4] = 2.0
    spread = np.ones((1, 8, 8))
    values = photos.energy_support(np.concatenate([point, spread]))
    assert values[0] == pytest.approx(1 / 64)
    assert values[1] == pytest.approx(52 / 64)
    assert photos.energy_support(np.zeros((1, 8, 8)))[0] == 1
