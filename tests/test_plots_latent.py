import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from companion import config, latent, models, plots  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


# --- plot_interpolation_strips -----------------------------------------------


def test_interpolation_strips_one_row_per_strip_with_weight_titles(
    small_images,
):
    weights = latent.interpolation_weights(7)
    strips = {
        "latent": small_images[:7],
        "pixels": latent.crossfade_images(
            small_images[0], small_images[6], weights
        ),
    }
    figure = plots.plot_interpolation_strips(strips, weights, title="a to b")
    assert len(figure.axes) == 14
    assert [axis.get_title() for axis in figure.axes[:7]] == [
        "0.05",
        "0.20",
        "0.35",
        "0.50",
        "0.65",
        "0.80",
        "0.95",
    ]
    assert (
        figure.axes[0].get_ylabel() == "latent"
        and figure.axes[7].get_ylabel() == "pixels"
    )
    assert figure._suptitle.get_text() == "a to b"
    np.testing.assert_allclose(
        figure.axes[3].images[0].get_array(), small_images[3].reshape(28, 28)
    )
    np.testing.assert_allclose(
        figure.axes[13].images[0].get_array(),
        strips["pixels"][6].reshape(28, 28),
    )
    plt.close(figure)


def test_interpolation_strips_checks(small_images):
    weights = latent.interpolation_weights(7)
    with pytest.raises(
        ValueError, match="strip 'short' has 5 images but there are 7 weights"
    ):
        plots.plot_interpolation_strips(
            {"ok": small_images[:7], "short": small_images[:5]}, weights
        )
    with pytest.raises(ValueError, match="empty"):
        plots.plot_interpolation_strips({}, weights)
    with pytest.raises(ValueError, match="NaN"):
        plots.plot_interpolation_strips(
            {"bad": np.full((7, 784), np.nan, dtype="float32")}, weights
        )


# --- plot_decoded_grid -------------------------------------------------------


def test_decoded_grid_tiles_images_row_by_row():
    images = np.stack(
        [
            np.full(784, value, dtype="float32")
            for value in (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
        ]
    )
    images[1, 0] = 1.5  # out of range: clipped for display, not refused
    horizontal, vertical = [-1.0, 0.0, 1.0], [2.0, -2.0]
    figure = plots.plot_decoded_grid(
        images, horizontal, vertical, title="grid"
    )
    axis = figure.axes[0]
    mosaic = np.asarray(axis.images[0].get_array())
    assert mosaic.shape == (2 * 28, 3 * 28)
    assert mosaic.min() >= 0.0 and mosaic.max() <= 1.0
    for index in range(6):
        row, column = divmod(index, 3)
        tile = mosaic[
            28 * row : 28 * (row + 1), 28 * column : 28 * (column + 1)
        ]
        np.testing.assert_allclose(
            tile, np.clip(images[index].reshape(28, 28), 0, 1)
        )
    assert [label.get_text() for label in axis.get_xticklabels()] == [
        "-1",
        "0",
        "1",
    ]
    assert [label.get_text() for label in axis.get_yticklabels()] == [
        "2",
        "-2",
    ]
    np.testing.assert_allclose(axis.get_xticks(), [14, 42, 70])
    np.testing.assert_allclose(axis.get_yticks(), [14, 42])
    assert (
        axis.get_xlabel() == "code unit 1"
        and axis.get_ylabel() == "code unit 2"
    )
    assert axis.get_title() == "grid"
    plt.close(figure)


def test_decoded_grid_from_grid_codes_and_checks():
    codes = latent.grid_codes((-1, -1), (1, 1), 3)
    images = np.clip(
        np.repeat(codes[:, :1] * 0.5 + 0.5, 784, axis=1), 0, 1
    )  # brightness from the first unit
    figure = plots.plot_decoded_grid(
        images.reshape(-1, 28, 28, 1),
        np.linspace(-1, 1, 3),
        np.linspace(1, -1, 3),
        xlabel="z1",
        ylabel="z2",
    )
    mosaic = np.asarray(figure.axes[0].images[0].get_array())
    assert (
        mosaic[0, 0] == 0.0
        and mosaic[0, -1] == 1.0
        and mosaic[-1, 28 + 5] == pytest.approx(0.5)
    )
    assert figure.axes[0].get_xlabel() == "z1"
    plt.close(figure)
    with pytest.raises(ValueError, match=r"expected 2 x 3 = 6 images, got 5"):
        plots.plot_decoded_grid(images[:5], [0, 1, 2], [0, 1])
    with pytest.raises(ValueError, match="floats"):
        plots.plot_decoded_grid(images.astype("uint8"), [0, 1, 2], [0, 1, 2])


# --- plot_latent_scatters ----------------------------------------------------


def test_latent_scatters_one_panel_per_model():
    rng = np.random.default_rng(0)
    labels = np.arange(50) % 10
    codes = {
        "autoencoder": rng.normal(size=(50, 2)),
        "VAE": rng.normal(size=(50, 3)),
    }
    figure = plots.plot_latent_scatters(codes, labels)
    panels = figure.axes[:2]
    assert len(figure.axes) == 3  # two panels and the colour bar
    assert [axis.get_title() for axis in panels] == ["autoencoder", "VAE"]
    assert (
        panels[0].get_ylabel() == "code unit 2"
        and panels[1].get_xlabel() == "code unit 1"
    )
    np.testing.assert_allclose(
        panels[1].collections[0].get_offsets(), codes["VAE"][:, :2], rtol=1e-6
    )
    np.testing.assert_array_equal(panels[0].collections[0].get_array(), labels)
    assert figure.axes[2].get_ylabel() == "digit"
    plt.close(figure)
    sampled = plots.plot_latent_scatters(codes, labels, sample=20, seed=1)
    assert all(
        len(axis.collections[0].get_offsets()) == 20
        for axis in sampled.axes[:2]
    )
    plt.close(sampled)


def test_latent_scatters_checks():
    labels = np.arange(10)
    with pytest.raises(ValueError, match="empty"):
        plots.plot_latent_scatters({}, labels)
    with pytest.raises(ValueError, match=r"k >= 2"):
        plots.plot_latent_scatters({"a": np.zeros((10, 1))}, labels)
    with pytest.raises(ValueError, match="labels has 9 entries"):
        plots.plot_latent_scatters({"a": np.zeros((10, 2))}, labels[:9])
    with pytest.raises(ValueError, match="sample"):
        plots.plot_latent_scatters({"a": np.zeros((10, 2))}, labels, sample=0)


# --- models.decode with flat codes for a convolutional decoder ---------------


@pytest.fixture(scope="module")
def conv_decoder():
    config.set_seed(0)
    return models.build_pooling_conv_autoencoder().get_layer("decoder")


def test_decode_accepts_flat_and_shaped_codes_for_a_conv_decoder(conv_decoder):
    codes = (
        np.random.default_rng(0)
        .uniform(0, 2, size=(3, 4, 4, 8))
        .astype("float32")
    )
    shaped = models.decode(conv_decoder, codes)
    flat = models.decode(conv_decoder, codes.reshape(3, 128))
    assert (
        shaped.shape == flat.shape == (3, 28, 28, 1)
        and flat.dtype == np.float32
    )
    np.testing.assert_array_equal(
        flat, shaped
    )  # C-order flattening, reshaped back
    direct = np.asarray(conv_decoder(codes))
    np.testing.assert_allclose(shaped, direct, atol=1e-6)
    # A flat code is not reinterpreted in another order: a permutation changes
    # the images.
    permuted = codes.transpose(0, 3, 1, 2).reshape(3, 128)
    assert not np.allclose(models.decode(conv_decoder, permuted), shaped)


@pytest.mark.parametrize(
    "shape", [(2, 100), (2, 4, 4, 4), (2, 8, 4, 4), (128,), (2, 128, 1)]
)
def test_decode_refuses_other_code_shapes(conv_decoder, shape):
    with pytest.raises(
        ValueError,
        match=r"expects codes of shape \(n, 128\) or \(n, 4, 4, 8\)",
    ):
        models.decode(conv_decoder, np.zeros(shape, dtype="float32"))


def test_decode_still_checks_values_and_dense_shapes(conv_decoder):
    codes = np.zeros((2, 128), dtype="float32")
    codes[0, 5] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        models.decode(conv_decoder, codes)
    with pytest.raises(ValueError, match="batch_size"):
        models.decode(conv_decoder, np.zeros((2, 128)), batch_size=0)
    dense = models.build_dense_decoder(code_size=8)
    with pytest.raises(
        ValueError, match=r"expects codes of shape \(n, 8\), got \(3, 5\)"
    ):
        models.decode(dense, np.zeros((3, 5)))
    assert models.decode(dense, np.zeros((3, 8))).shape == (3, 784)
