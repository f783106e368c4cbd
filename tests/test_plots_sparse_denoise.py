import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from companion import plots  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def _shown(figure):
    return [axis for axis in figure.axes if axis.axison]


def test_weight_images_from_encoder_columns():
    kernel = np.random.default_rng(0).normal(size=(784, 10))
    figure = plots.plot_weight_images(
        kernel, count=6, columns=4, title="encoder"
    )
    assert len(figure.axes) == 8 and len(_shown(figure)) == 6
    image = figure.axes[2].images[0]
    np.testing.assert_allclose(image.get_array(), kernel[:, 2].reshape(28, 28))
    low, high = image.get_clim()
    assert low == -high  # symmetric: zero is mid-grey
    assert high == pytest.approx(np.abs(kernel[:, 2]).max(), rel=1e-6)
    assert figure.axes[2].get_title() == "2"


def test_weight_images_from_decoder_rows_and_shared_scale():
    kernel = np.random.default_rng(0).normal(size=(5, 784))
    kernel[3] *= 10
    figure = plots.plot_weight_images(
        kernel, count=16, columns=8, shared_scale=True
    )
    assert len(figure.axes) == 5  # count is capped at the number of units
    np.testing.assert_allclose(
        figure.axes[1].images[0].get_array(), kernel[1].reshape(28, 28)
    )
    low, high = figure.axes[0].images[0].get_clim()
    assert low == -high and high == pytest.approx(
        np.abs(kernel).max(), rel=1e-6
    )


def test_weight_images_of_a_dead_unit_do_not_fail():
    figure = plots.plot_weight_images(np.zeros((784, 2)))
    assert figure.axes[0].images[0].get_clim() == (-1.0, 1.0)


def test_weight_images_checks():
    with pytest.raises(ValueError, match=r"\(784, units\)"):
        plots.plot_weight_images(np.zeros((100, 10)))
    with pytest.raises(ValueError, match=r"\(784, units\)"):
        plots.plot_weight_images(np.zeros(784))
    with pytest.raises(ValueError, match="finite"):
        plots.plot_weight_images(np.full((784, 2), np.nan))
    with pytest.raises(ValueError, match="count"):
        plots.plot_weight_images(np.zeros((784, 2)), count=0)
    with pytest.raises(ValueError, match="columns"):
        plots.plot_weight_images(np.zeros((784, 2)), columns=-1)


def test_noise_rows(small_images):
    rows = {
        "noisy": small_images,
        "denoised": small_images * 1.1,
        "clean": small_images.reshape(-1, 28, 28, 1),
    }
    figure = plots.plot_noise_rows(rows, [0, 3, 7, 9], title="denoising")
    assert len(figure.axes) == 3 * 4
    assert [figure.axes[4 * row].get_ylabel() for row in range(3)] == [
        "noisy",
        "denoised",
        "clean",
    ]
    assert (
        figure.axes[4 + 1].images[0].get_array().max() <= 1.0
    )  # clipped for display


def test_noise_rows_checks(small_images):
    with pytest.raises(ValueError, match="rows is empty"):
        plots.plot_noise_rows({}, [0])
    with pytest.raises(ValueError, match="same number of images"):
        plots.plot_noise_rows(
            {"noisy": small_images, "clean": small_images[:5]}, [0]
        )
    with pytest.raises(ValueError, match=r"\[0, 64\)"):
        plots.plot_noise_rows({"noisy": small_images}, [64])
    with pytest.raises(ValueError, match="noisy"):
        plots.plot_noise_rows(
            {"noisy": np.full((2, 784), np.nan, dtype="float32")}, [0]
        )


def test_activation_histogram():
    rng = np.random.default_rng(0)
    codes = {
        "plain": rng.uniform(0, 5, size=(50, 32)),
        "sparse": np.maximum(rng.normal(size=(50, 32)), 0),
    }
    figure = plots.plot_activation_histogram(
        codes, bins=20, title="codes", log_scale=True
    )
    (axis,) = figure.axes
    assert len(axis.patches) == 2  # one outline per model
    assert axis.get_yscale() == "log"
    labels = [text.get_text() for text in axis.get_legend().get_texts()]
    assert labels[0].startswith("plain (mean") and labels[1].startswith(
        "sparse (mean"
    )


def test_activation_histogram_of_constant_codes():
    figure = plots.plot_activation_histogram({"dead": np.zeros((10, 4))})
    assert len(figure.axes[0].patches) == 1


def test_activation_histogram_checks():
    with pytest.raises(ValueError, match="empty"):
        plots.plot_activation_histogram({})
    with pytest.raises(ValueError, match="bins"):
        plots.plot_activation_histogram({"a": np.ones((2, 2))}, bins=0)
    with pytest.raises(ValueError, match="non-empty array of numbers"):
        plots.plot_activation_histogram({"a": np.zeros((0, 4))})
    with pytest.raises(ValueError, match="NaN"):
        plots.plot_activation_histogram({"a": np.array([[1.0, np.inf]])})


def test_plot_tradeoff_draws_one_point_per_setting():
    figure = plots.plot_tradeoff(
        {"0": (7.3, 3.1), "1e-4": (3.3, 4.0), "1e-3": (0.5, 9.0)},
        "mean activation",
        "error",
        title="sweep",
    )
    axis = figure.axes[0]
    assert len(axis.lines[0].get_xdata()) == 3
    assert [text.get_text() for text in axis.texts] == ["0", "1e-4", "1e-3"]
    plt.close(figure)


@pytest.mark.parametrize(
    "points, message",
    [
        ({}, "empty"),
        ({"a": (1.0,)}, "pair"),
        ({"a": (1.0, float("nan"))}, "pair"),
        ({"a": "xy"}, "pair"),
    ],
)
def test_plot_tradeoff_rejects_bad_points(points, message):
    with pytest.raises(ValueError, match=message):
        plots.plot_tradeoff(points, "x", "y")


def test_plot_tradeoff_rejects_non_positive_x_on_log_axis():
    with pytest.raises(ValueError, match="log_x"):
        plots.plot_tradeoff({"a": (0.0, 1.0)}, "x", "y", log_x=True)


def test_plot_curves_draws_one_line_per_curve_and_a_marker():
    figure = plots.plot_curves(
        [0.1, 0.3, 0.5],
        {"noisy": [20, 15, 11], "denoised": [22, 21, 19]},
        "sigma",
        "PSNR (dB)",
        title="sweep",
        marker=0.5,
    )
    axis = figure.axes[0]
    assert len(axis.lines) == 3  # two curves and the marker
    assert list(axis.lines[1].get_ydata()) == [22, 21, 19]
    plt.close(figure)


@pytest.mark.parametrize(
    "x, curves, message",
    [
        ([0.1], {"a": [1]}, "at least 2"),
        ([0.1, 0.2], {}, "empty"),
        ([0.1, 0.2], {"a": [1, 2, 3]}, "one per x"),
    ],
)
def test_plot_curves_rejects_bad_input(x, curves, message):
    with pytest.raises(ValueError, match=message):
        plots.plot_curves(x, curves, "x", "y")


# --- chapter 6: contractive autoencoders ------------------------------------


def test_plot_curves_log_axes():
    figure = plots.plot_curves(
        [1, 2, 4], {"a": [1.0, 0.1, 0.01]}, "k", "σ_k", log_x=True, log_y=True
    )
    axis = figure.axes[0]
    assert axis.get_xscale() == "log" and axis.get_yscale() == "log"


def test_plot_curves_log_y_refuses_zero():
    with pytest.raises(ValueError, match="log_y=True needs"):
        plots.plot_curves([1, 2], {"a": [1.0, 0.0]}, "k", "y", log_y=True)


def test_plot_directions_draws_a_row_per_model():
    rng = np.random.default_rng(0)
    figure = plots.plot_directions(
        {"plain": rng.normal(size=(4, 784)), "cae": rng.normal(size=(3, 784))}
    )
    shown = [axis for axis in figure.axes if axis.images]
    assert len(shown) == 7


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ({}, "rows is empty"),
        ({"a": np.zeros((2, 100))}, r"must have shape \(count, 784\)"),
        ({"a": np.full((2, 784), np.nan)}, "NaN"),
        ({"a": np.zeros((11, 784))}, "at most 10 images"),
        ([np.zeros((2, 784))], "rows must be"),
    ],
)
def test_plot_directions_refuses_bad_rows(rows, message):
    with pytest.raises(ValueError, match=message):
        plots.plot_directions(rows)


# --- chapter 10: anomaly detection ------------------------------------------


def test_plot_roc_curves_draws_each_curve_and_the_diagonal():
    figure = plots.plot_roc_curves(
        {"a": ([0, 0.5, 1], [0, 0.9, 1]), "b": ([0, 1], [0, 1])}
    )
    assert len(figure.axes[0].lines) == 3


def test_plot_score_histograms_with_thresholds():
    rng = np.random.default_rng(0)
    figure = plots.plot_score_histograms(
        {"normal": rng.normal(size=50), "anomalies": rng.normal(2, 1, 50)},
        "score",
        thresholds={"max": 2.5},
    )
    assert len(figure.axes[0].lines) == 1


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: plots.plot_roc_curves({}), "curves is empty"),
        (lambda: plots.plot_roc_curves({"a": [0, 1]}), "a pair"),
        (
            lambda: plots.plot_roc_curves({"a": ([0, 1], [0, 0.5, 1])}),
            "same length",
        ),
        (
            lambda: plots.plot_score_histograms({"a": [np.nan]}, "x"),
            "NaN",
        ),
        (
            lambda: plots.plot_score_histograms(
                {"a": [1.0, 2.0]}, "x", thresholds={"max": "3"}
            ),
            "finite number",
        ),
    ],
)
def test_anomaly_plots_refuse_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()
