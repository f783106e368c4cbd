import keras
import numpy as np
import pytest

from companion import config, latent, models


# --- interpolation_weights and check_weights ---------------------------------


def test_interpolation_weights_include_both_ends_unlike_arange():
    weights = latent.interpolation_weights(7)
    np.testing.assert_allclose(
        weights, [0.05, 0.2, 0.35, 0.5, 0.65, 0.8, 0.95]
    )
    assert np.isclose(weights, 0.95).any()
    # The bug this function exists to avoid: arange excludes its stop value.
    assert not np.isclose(np.arange(0.05, 0.95, 0.15), 0.95).any()
    np.testing.assert_array_equal(
        latent.interpolation_weights(3, 0.0, 1.0), [0.0, 0.5, 1.0]
    )
    np.testing.assert_array_equal(
        latent.interpolation_weights(1, 0.3, 0.3), [0.3]
    )


def test_interpolation_weights_checks():
    with pytest.raises(ValueError, match="steps"):
        latent.interpolation_weights(0)
    with pytest.raises(ValueError, match="steps"):
        latent.interpolation_weights(2.5)
    with pytest.raises(ValueError, match=r"first must lie in \[0, 1\]"):
        latent.interpolation_weights(5, first=-0.1)
    with pytest.raises(ValueError, match=r"last must lie in \[0, 1\]"):
        latent.interpolation_weights(5, last=1.5)
    with pytest.raises(ValueError, match="greater than last"):
        latent.interpolation_weights(5, first=0.8, last=0.2)


def test_check_weights_accepts_the_unit_interval_and_returns_floats():
    weights = latent.check_weights([0, 0.25, 1])
    assert weights.dtype == np.float64 and weights.shape == (3,)
    np.testing.assert_array_equal(weights, [0.0, 0.25, 1.0])


@pytest.mark.parametrize(
    "bad", [[-0.01, 0.5], [0.5, 1.01], [0.2, np.nan], [0.1, np.inf]]
)
def test_check_weights_refuses_values_outside_the_unit_interval(bad):
    with pytest.raises(ValueError, match=r"must lie in \[0, 1\]"):
        latent.check_weights(bad)


@pytest.mark.parametrize("bad", [[], [[0.1, 0.2]], 0.5])
def test_check_weights_refuses_empty_or_non_1d(bad):
    with pytest.raises(ValueError, match="non-empty 1-d"):
        latent.check_weights(bad)


# --- interpolate_codes -------------------------------------------------------


def test_linear_interpolation_hits_the_endpoints_and_the_midpoint():
    start = np.array([1.0, -2.0, 0.5])
    end = np.array([3.0, 2.0, -0.5])
    path = latent.interpolate_codes(start, end, [0.0, 0.25, 0.5, 1.0])
    assert path.shape == (4, 3) and path.dtype == np.float32
    np.testing.assert_array_equal(path[0], start.astype("float32"))
    np.testing.assert_array_equal(path[-1], end.astype("float32"))
    np.testing.assert_allclose(path[1], [1.5, -1.0, 0.25], rtol=1e-6)
    np.testing.assert_allclose(path[2], [2.0, 0.0, 0.0], atol=1e-7)


def test_slerp_keeps_the_norm_of_equal_norm_orthogonal_codes():
    start = np.array([3.0, 0.0, 0.0])
    end = np.array([0.0, 0.0, 3.0])
    weights = latent.interpolation_weights(9, 0.0, 1.0)
    spherical = latent.interpolate_codes(
        start, end, weights, method="spherical"
    )
    assert spherical.shape == (9, 3) and spherical.dtype == np.float32
    np.testing.assert_allclose(
        np.linalg.norm(spherical, axis=1), 3.0, rtol=1e-6
    )
    np.testing.assert_allclose(spherical[0], start, atol=1e-6)
    np.testing.assert_allclose(spherical[-1], end, atol=1e-6)
    # Halfway along the quarter circle: 45 degrees.
    np.testing.assert_allclose(
        spherical[4], [3 / np.sqrt(2), 0.0, 3 / np.sqrt(2)], rtol=1e-6
    )
    # The straight line dips to 3 / sqrt(2) in the middle.
    linear = latent.interpolate_codes(start, end, weights, method="linear")
    assert np.linalg.norm(linear[4]) == pytest.approx(3 / np.sqrt(2), rel=1e-6)


def test_slerp_angle_grows_linearly_with_the_weight():
    start = np.array([1.0, 0.0])
    end = np.array([np.cos(2.0), np.sin(2.0)])  # 2 radians apart
    weights = np.array([0.0, 0.1, 0.5, 0.9, 1.0])
    path = latent.interpolate_codes(start, end, weights, method="spherical")
    np.testing.assert_allclose(
        np.arctan2(path[:, 1], path[:, 0]), 2.0 * weights, atol=1e-6
    )


def test_slerp_falls_back_to_linear_for_parallel_zero_and_opposite_codes():
    weights = [0.0, 0.3, 0.5, 1.0]
    for start, end in [
        ([1.0, 2.0], [2.0, 4.0]),  # same direction
        ([0.0, 0.0], [2.0, 4.0]),  # a zero code has no direction
        (
            [1.0, 2.0, 3.0],
            [-2.0, -4.0, -6.0],
        ),  # opposite: the arc is undefined
        ([1.0, 0.0], [-1.0, 0.0]),
    ]:
        spherical = latent.interpolate_codes(
            start, end, weights, method="spherical"
        )
        linear = latent.interpolate_codes(start, end, weights, method="linear")
        assert np.all(np.isfinite(spherical))
        np.testing.assert_allclose(spherical, linear, atol=1e-6)


def test_interpolate_codes_checks():
    with pytest.raises(ValueError, match="same size"):
        latent.interpolate_codes([1.0, 2.0], [1.0, 2.0, 3.0], [0.5])
    with pytest.raises(ValueError, match="method must be one of"):
        latent.interpolate_codes([1.0, 2.0], [3.0, 4.0], [0.5], method="cubic")
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        latent.interpolate_codes([1.0, 2.0], [3.0, 4.0], [0.5, 1.2])
    with pytest.raises(ValueError, match="1-d vector"):
        latent.interpolate_codes(np.zeros((2, 2)), np.zeros((2, 2)), [0.5])
    with pytest.raises(ValueError, match="1-d vector"):
        latent.interpolate_codes([], [], [0.5])
    with pytest.raises(ValueError, match="NaN"):
        latent.interpolate_codes([1.0, np.nan], [3.0, 4.0], [0.5])


# --- crossfade_images and crossfade_paths ------------------------------------


def test_crossfade_images_blends_pixels(small_images):
    start, end = small_images[0], small_images[1]
    weights = [0.0, 0.25, 1.0]
    faded = latent.crossfade_images(start, end, weights)
    assert faded.shape == (3, 784) and faded.dtype == np.float32
    np.testing.assert_array_equal(faded[0], start)
    np.testing.assert_allclose(faded[1], 0.75 * start + 0.25 * end, rtol=1e-6)
    np.testing.assert_array_equal(faded[2], end)
    square = latent.crossfade_images(
        start.reshape(28, 28, 1), end.reshape(28, 28, 1), weights
    )
    assert square.shape == (3, 28, 28, 1)
    np.testing.assert_allclose(square.reshape(3, 784), faded)


def test_crossfade_images_checks(small_images):
    with pytest.raises(ValueError, match="same shape"):
        latent.crossfade_images(small_images[0], small_images[1, :100], [0.5])
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        latent.crossfade_images(small_images[0] * 255, small_images[1], [0.5])
    with pytest.raises(ValueError, match="floats"):
        latent.crossfade_images(
            np.zeros(784, dtype="uint8"), small_images[1], [0.5]
        )
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        latent.crossfade_images(small_images[0], small_images[1], [-0.5])


def test_crossfade_paths_shape_and_values(small_images):
    weights = latent.interpolation_weights(5, 0.0, 1.0)
    paths = latent.crossfade_paths(
        small_images[:3], small_images[3:6], weights
    )
    assert paths.shape == (3, 5, 784) and paths.dtype == np.float32
    np.testing.assert_array_equal(paths[:, 0], small_images[:3])
    np.testing.assert_array_equal(paths[:, -1], small_images[3:6])
    np.testing.assert_allclose(
        paths[1, 2], 0.5 * (small_images[1] + small_images[4]), rtol=1e-6
    )


def test_crossfade_paths_checks(small_images):
    with pytest.raises(ValueError, match="differ in shape"):
        latent.crossfade_paths(small_images[:3], small_images[3:5], [0.5])
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        latent.crossfade_paths(small_images[:3] * 2, small_images[3:6], [0.5])
    with pytest.raises(ValueError, match="batch"):
        latent.crossfade_paths(small_images[0], small_images[1], [0.5])


# --- grids -------------------------------------------------------------------


def test_grid_codes_row_order_and_values():
    grid = latent.grid_codes(low=(0.0, -1.0), high=(1.0, 1.0), steps=3)
    assert grid.shape == (9, 2) and grid.dtype == np.float32
    # Top row first (second unit at its high end), first unit increasing left
    # to right.
    expected = [
        [0.0, 1.0],
        [0.5, 1.0],
        [1.0, 1.0],
        [0.0, 0.0],
        [0.5, 0.0],
        [1.0, 0.0],
        [0.0, -1.0],
        [0.5, -1.0],
        [1.0, -1.0],
    ]
    np.testing.assert_array_equal(grid, expected)


def test_grid_codes_checks():
    with pytest.raises(ValueError, match="steps"):
        latent.grid_codes((0, 0), (1, 1), 0)
    with pytest.raises(ValueError, match="2 values"):
        latent.grid_codes((0, 0, 0), (1, 1, 1), 3)
    with pytest.raises(ValueError, match="greater than low"):
        latent.grid_codes((0, 1), (1, 1), 3)
    with pytest.raises(ValueError, match="greater than low"):
        latent.grid_codes((2, 0), (1, 1), 3)


def test_normal_quantile_grid_is_symmetric_about_zero():
    grid = latent.normal_quantile_grid(5)
    assert grid.shape == (25, 2) and grid.dtype == np.float32
    np.testing.assert_array_equal(
        grid[12], [0.0, 0.0]
    )  # the centre is exactly the prior's mode
    np.testing.assert_allclose(
        grid[::-1], -grid, atol=1e-6
    )  # point reflection through the origin
    z95 = 1.6448536  # standard normal quantile at 0.95
    np.testing.assert_allclose(grid[0], [-z95, z95], rtol=1e-6)  # top left
    np.testing.assert_allclose(
        grid[-1], [z95, -z95], rtol=1e-6
    )  # bottom right
    # Same row order as grid_codes: first unit increases along a row, second
    # decreases down the rows.
    rows = grid.reshape(5, 5, 2)
    assert np.all(np.diff(rows[..., 0], axis=1) > 0) and np.all(
        np.diff(rows[..., 1], axis=0) < 0
    )
    # Quantile spacing: dense near 0, sparse in the tails.
    values = rows[0, :, 0]
    assert values[1] - values[0] > values[2] - values[1]
    wide = latent.normal_quantile_grid(2, margin=0.25)
    np.testing.assert_allclose(
        np.unique(wide), [-0.6744898, 0.6744898], rtol=1e-6
    )


def test_normal_quantile_grid_checks():
    with pytest.raises(ValueError, match="steps"):
        latent.normal_quantile_grid(0)
    for margin in (0.0, 0.5, -0.1):
        with pytest.raises(ValueError, match="margin"):
            latent.normal_quantile_grid(3, margin=margin)


# --- directions and pairs ----------------------------------------------------


def test_mean_code_direction_known_value():
    codes = np.array(
        [[1.0, 0.0], [3.0, 2.0], [0.0, 1.0], [0.0, 3.0], [3.0, 2.0]]
    )
    selected = np.array([True, True, False, False, False])
    direction = latent.mean_code_direction(codes, selected)
    assert direction.dtype == np.float32 and direction.shape == (2,)
    np.testing.assert_allclose(direction, [2.0 - 1.0, 1.0 - 2.0])


def test_mean_code_direction_checks():
    codes = np.zeros((4, 3))
    with pytest.raises(ValueError, match=r"\(n, code_size\)"):
        latent.mean_code_direction(np.zeros(4), [True, False, True, False])
    with pytest.raises(ValueError, match="boolean mask"):
        latent.mean_code_direction(codes, [1, 0, 1, 0])
    with pytest.raises(ValueError, match="boolean mask"):
        latent.mean_code_direction(codes, [True, False])
    with pytest.raises(ValueError, match="leave some out"):
        latent.mean_code_direction(codes, [True] * 4)
    with pytest.raises(ValueError, match="leave some out"):
        latent.mean_code_direction(codes, [False] * 4)


def test_pick_digit_pairs_differ_and_repeat_with_the_seed():
    labels = np.array([0, 0, 0, 1, 1, 2, 2, 2, 2, 7])
    starts, ends = latent.pick_digit_pairs(labels, 50, seed=3)
    assert starts.shape == ends.shape == (50,)
    assert np.issubdtype(starts.dtype, np.integer) and np.issubdtype(
        ends.dtype, np.integer
    )
    assert starts.min() >= 0 and max(starts.max(), ends.max()) < len(labels)
    assert np.all(labels[starts] != labels[ends])
    again = latent.pick_digit_pairs(labels, 50, seed=3)
    np.testing.assert_array_equal(again[0], starts)
    np.testing.assert_array_equal(again[1], ends)
    other = latent.pick_digit_pairs(labels, 50, seed=4)
    assert not (
        np.array_equal(other[0], starts) and np.array_equal(other[1], ends)
    )


def test_pick_digit_pairs_checks():
    with pytest.raises(ValueError, match="count"):
        latent.pick_digit_pairs([0, 1, 2], 0)
    with pytest.raises(ValueError, match="two different labels"):
        latent.pick_digit_pairs([3, 3, 3], 2)
    with pytest.raises(ValueError, match="1-d"):
        latent.pick_digit_pairs(np.array([[0, 1], [2, 3]]), 2)


# --- decode_paths ------------------------------------------------------------


def _linear_decoder(code_size=3):
    """A decoder whose pixels are a known linear function of the code:
    pixel j = sum(code) / 10 + j / 7840.
    """
    codes = keras.Input(shape=(code_size,), name="code")
    pixels = keras.layers.Dense(784, name="pixels")(codes)
    decoder = keras.Model(codes, pixels, name="decoder")
    decoder.get_layer("pixels").set_weights(
        [
            np.full((code_size, 784), 0.1, dtype="float32"),
            np.arange(784, dtype="float32") / 7840,
        ]
    )
    return decoder


def test_decode_paths_decodes_every_step_of_every_path():
    decoder = _linear_decoder()
    starts = np.array([[0.0, 0.0, 0.0], [1.0, 2.0, 3.0]])
    ends = np.array([[1.0, 1.0, 1.0], [-1.0, 0.0, 1.0]])
    weights = [0.0, 0.5, 1.0]
    images = latent.decode_paths(decoder, starts, ends, weights)
    assert images.shape == (2, 3, 784) and images.dtype == np.float32
    offsets = np.arange(784) / 7840
    for pair in range(2):
        sums = (1 - np.array(weights)) * starts[pair].sum() + np.array(
            weights
        ) * ends[pair].sum()
        np.testing.assert_allclose(
            images[pair], sums[:, None] / 10 + offsets, atol=1e-5
        )


def test_decode_paths_with_a_convolutional_decoder_and_spherical_paths(
    small_images,
):
    config.set_seed(0)
    autoencoder = models.build_pooling_conv_autoencoder()
    encoder, decoder = (
        autoencoder.get_layer("encoder"),
        autoencoder.get_layer("decoder"),
    )
    codes = models.encode(encoder, small_images[:4].reshape(-1, 28, 28, 1))
    assert codes.shape == (4, 4, 4, 8)
    weights = latent.interpolation_weights(4, 0.0, 1.0)
    images = latent.decode_paths(
        decoder, codes[:2], codes[2:], weights, method="spherical"
    )
    assert images.shape == (2, 4, 28, 28, 1)
    # The endpoints are the decoded codes themselves.
    decoded = models.decode(decoder, codes)
    np.testing.assert_allclose(images[:, 0], decoded[:2], atol=1e-5)
    np.testing.assert_allclose(images[:, -1], decoded[2:], atol=1e-5)
    # The middle steps are the decoded slerp codes, reshaped from flat.
    middle = latent.interpolate_codes(
        codes[0].ravel(), codes[2].ravel(), weights, "spherical"
    )
    np.testing.assert_allclose(
        images[0], models.decode(decoder, middle), atol=1e-5
    )


def test_decode_paths_checks():
    decoder = _linear_decoder()
    with pytest.raises(ValueError, match="same shape"):
        latent.decode_paths(decoder, np.zeros((2, 3)), np.zeros((3, 3)), [0.5])
    with pytest.raises(ValueError, match="same shape"):
        latent.decode_paths(decoder, np.zeros(3), np.zeros(3), [0.5])
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        latent.decode_paths(
            decoder, np.zeros((2, 3)), np.ones((2, 3)), [0.5, 2.0]
        )
    with pytest.raises(ValueError, match="method"):
        latent.decode_paths(
            decoder, np.zeros((2, 3)), np.ones((2, 3)), [0.5], method="cubic"
        )
    with pytest.raises(ValueError, match=r"\(n, 3\)"):
        latent.decode_paths(decoder, np.zeros((2, 4)), np.ones((2, 4)), [0.5])
