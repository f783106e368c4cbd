import numpy as np
import pytest
from skimage.filters import gaussian

from companion import corruption

AMOUNTS = {
    "gaussian": 0.3,
    "salt_pepper": 0.2,
    "speckle": 0.3,
    "mask_pixels": 0.3,
    "mask_blocks": 0.25,
}


@pytest.fixture
def grey_images():
    """32 flat mid-grey images: noise is neither clipped (much) nor
    invisible.
    """
    return np.full((32, 784), 0.5, dtype="float32")


@pytest.fixture
def smooth_images():
    """16 smooth 28x28x1 images in [0, 1]: blurred random fields, rescaled."""
    rng = np.random.default_rng(3)
    fields = gaussian(rng.uniform(size=(16, 28, 28)), sigma=(0, 3, 3))
    low = fields.min(axis=(1, 2), keepdims=True)
    high = fields.max(axis=(1, 2), keepdims=True)
    return ((fields - low) / (high - low))[..., None].astype("float32")


def test_noise_kinds_constant():
    assert corruption.NOISE_KINDS == (
        "gaussian",
        "salt_pepper",
        "speckle",
        "mask_pixels",
        "mask_blocks",
    )
    assert set(AMOUNTS) == set(corruption.NOISE_KINDS)


@pytest.mark.parametrize("kind", corruption.NOISE_KINDS)
def test_shape_dtype_range_and_determinism(kind, small_images):
    for images in (small_images, small_images.reshape(-1, 28, 28, 1)):
        before = images.copy()
        noisy = corruption.add_noise(images, kind, AMOUNTS[kind], seed=1)
        assert noisy.shape == images.shape and noisy.dtype == np.float32
        assert noisy.min() >= 0.0 and noisy.max() <= 1.0
        np.testing.assert_array_equal(
            images, before
        )  # the input is not modified
        np.testing.assert_array_equal(
            noisy, corruption.add_noise(images, kind, AMOUNTS[kind], seed=1)
        )
        assert not np.array_equal(
            noisy, corruption.add_noise(images, kind, AMOUNTS[kind], seed=2)
        )
        assert not np.array_equal(noisy, images)


@pytest.mark.parametrize("kind", corruption.NOISE_KINDS)
def test_flat_and_image_batches_get_the_same_noise(kind, small_images):
    flat = corruption.add_noise(small_images, kind, AMOUNTS[kind], seed=5)
    image = corruption.add_noise(
        small_images.reshape(-1, 28, 28, 1), kind, AMOUNTS[kind], seed=5
    )
    np.testing.assert_array_equal(flat, image.reshape(flat.shape))


@pytest.mark.parametrize("kind", corruption.NOISE_KINDS)
def test_zero_amount_changes_nothing(kind, small_images):
    np.testing.assert_array_equal(
        corruption.add_noise(small_images, kind, 0.0), small_images
    )


def test_gaussian_noise_has_the_requested_standard_deviation(grey_images):
    noise = corruption.add_noise(grey_images, "gaussian", 0.1, seed=0) - 0.5
    # 25,088 draws; clipping at 0.5 = 5 standard deviations is negligible.
    assert noise.std() == pytest.approx(0.1, rel=0.02)
    assert abs(noise.mean()) < 0.003


def test_gaussian_noise_is_clipped(grey_images):
    noisy = corruption.add_noise(grey_images, "gaussian", 0.5, seed=0)
    # With std 0.5 about 16% of the pixels fall below 0 and as many above 1.
    assert 0.13 < np.mean(noisy == 0.0) < 0.19
    assert 0.13 < np.mean(noisy == 1.0) < 0.19


def test_salt_and_pepper_changes_about_amount_of_pixels(grey_images):
    noisy = corruption.add_noise(grey_images, "salt_pepper", 0.3, seed=0)
    changed = noisy != 0.5
    assert changed.mean() == pytest.approx(0.3, abs=0.01)
    assert set(np.unique(noisy[changed])) == {0.0, 1.0}
    assert np.mean(noisy[changed] == 1.0) == pytest.approx(0.5, abs=0.03)


def test_speckle_is_multiplicative(grey_images):
    images = grey_images.copy()
    images[:, :100] = 0.0
    noisy = corruption.add_noise(images, "speckle", 0.2, seed=0)
    assert np.all(noisy[:, :100] == 0.0)  # black stays black
    # x + x * N(0, 0.2**2) on x = 0.5: standard deviation 0.1.
    assert (noisy[:, 100:] - 0.5).std() == pytest.approx(0.1, rel=0.03)


def test_mask_pixels_zeroes_the_expected_fraction():
    ones = np.ones((32, 28, 28, 1), dtype="float32")
    masked = corruption.add_noise(ones, "mask_pixels", 0.4, seed=0)
    assert np.mean(masked == 0.0) == pytest.approx(0.4, abs=0.01)
    assert set(np.unique(masked)) == {0.0, 1.0}


def test_mask_blocks_zeroes_one_square_per_image():
    ones = np.ones((20, 28, 28, 1), dtype="float32")
    masked = corruption.add_noise(
        ones, "mask_blocks", 0.25, seed=0
    )  # side round(0.25 * 28) = 7
    positions = set()
    for image in masked[..., 0]:
        rows, columns = np.nonzero(image == 0.0)
        assert len(rows) == 49
        assert (
            rows.max() - rows.min() == 6 and columns.max() - columns.min() == 6
        )
        positions.add((rows.min(), columns.min()))
    assert len(positions) > 10  # positions vary between images
    np.testing.assert_array_equal(
        corruption.add_noise(ones, "mask_blocks", 1.0), np.zeros_like(ones)
    )


def test_mask_blocks_rounds_the_side():
    ones = np.ones((3, 784), dtype="float32")
    masked = corruption.add_noise(
        ones, "mask_blocks", 0.5 / 28, seed=0
    )  # 0.5 pixel rounds up to 1
    assert np.all((masked == 0.0).sum(axis=1) == 1)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (
            {"kind": "poisson"},
            "gaussian, salt_pepper, speckle, mask_pixels, mask_blocks",
        ),
        ({"amount": -0.1}, "amount"),
        ({"amount": float("nan")}, "amount"),
        (
            {"kind": "salt_pepper", "amount": 1.5},
            r"fraction and must lie in \[0, 1\]",
        ),
        ({"kind": "mask_pixels", "amount": 1.01}, "fraction"),
        ({"kind": "mask_blocks", "amount": 2.0}, "fraction"),
        ({"seed": -1}, "seed"),
        ({"seed": 1.5}, "seed"),
    ],
)
def test_add_noise_rejects_bad_arguments(kwargs, message, small_images):
    with pytest.raises(ValueError, match=message):
        corruption.add_noise(small_images, **kwargs)


def test_add_noise_allows_large_standard_deviations(small_images):
    noisy = corruption.add_noise(small_images, "gaussian", 2.0)
    assert noisy.min() >= 0.0 and noisy.max() <= 1.0


def test_add_noise_rejects_bad_images(small_images):
    with pytest.raises(ValueError, match="255"):
        corruption.add_noise(small_images * 255, "gaussian", 0.5)
    with pytest.raises(ValueError, match="square images"):
        corruption.add_noise(
            np.ones((2, 10), dtype="float32"), "mask_blocks", 0.5
        )
    with pytest.raises(ValueError, match="batch"):
        corruption.add_noise(np.ones(784, dtype="float32"), "gaussian", 0.5)


def test_median_filter_removes_salt_and_pepper(smooth_images):
    noisy = corruption.add_noise(smooth_images, "salt_pepper", 0.1, seed=0)
    filtered = corruption.filter_images(noisy, "median", size=3)
    assert (
        filtered.shape == smooth_images.shape and filtered.dtype == np.float32
    )
    error_before = np.mean((noisy - smooth_images) ** 2)
    assert np.mean((filtered - smooth_images) ** 2) < 0.2 * error_before


def test_gaussian_filter_reduces_gaussian_noise(smooth_images):
    flat = smooth_images.reshape(len(smooth_images), -1)
    noisy = corruption.add_noise(flat, "gaussian", 0.2, seed=0)
    filtered = corruption.filter_images(noisy, "gaussian", sigma=1.0)
    assert filtered.shape == flat.shape and filtered.dtype == np.float32
    assert np.mean((filtered - flat) ** 2) < 0.5 * np.mean((noisy - flat) ** 2)


def test_filters_work_per_image(small_images):
    np.testing.assert_array_equal(
        corruption.filter_images(small_images, "median", size=1), small_images
    )
    # A batch of one image and the same image in a batch filter the same way.
    batch = corruption.filter_images(small_images[:4], "median", size=5)
    single = corruption.filter_images(small_images[2:3], "median", size=5)
    np.testing.assert_allclose(batch[2:3], single)
    blurred = corruption.filter_images(small_images[:4], "gaussian", sigma=2.0)
    np.testing.assert_allclose(
        blurred[1:2],
        corruption.filter_images(small_images[1:2], "gaussian", sigma=2.0),
    )


def test_median_filter_matches_skimage_on_one_image(small_images):
    from skimage.filters import median

    expected = median(
        small_images[0].reshape(28, 28),
        footprint=np.ones((3, 3), bool),
        mode="nearest",
    )
    np.testing.assert_allclose(
        corruption.filter_images(small_images[:1])[0].reshape(28, 28), expected
    )


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"method": "wiener"}, "median, gaussian"),
        ({"size": 4}, "odd"),
        ({"size": 0}, "size"),
        ({"sigma": 0.0}, "sigma"),
        ({"sigma": "1"}, "sigma"),
    ],
)
def test_filter_images_rejects_bad_arguments(kwargs, message, small_images):
    with pytest.raises(ValueError, match=message):
        corruption.filter_images(small_images, **kwargs)
