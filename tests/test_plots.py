import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from companion import plots, training  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_plot_digits(small_images):
    figure = plots.plot_digits(small_images, [0, 1, 2], labels=np.arange(64), columns=2)
    assert len([axis for axis in figure.axes if axis.axison]) == 3


def test_plot_reconstructions_rows_and_columns(small_images):
    figure = plots.plot_reconstructions(small_images, {"a": small_images, "b": small_images * 0.5}, [0, 5, 9])
    assert len(figure.axes) == 3 * 3
    assert figure.axes[3].get_ylabel() == "a"


def test_plot_reconstructions_checks(small_images):
    with pytest.raises(ValueError, match="empty"):
        plots.plot_reconstructions(small_images, {}, [0])
    with pytest.raises(ValueError, match="has 3 images"):
        plots.plot_reconstructions(small_images, {"a": small_images[:3]}, [0])
    with pytest.raises(ValueError, match=r"\[0, 64\)"):
        plots.plot_reconstructions(small_images, {"a": small_images}, [64])


def test_plot_loss_curves():
    run = training.TrainingRun(history={"loss": [0.3, 0.2], "val_loss": [0.35, 0.25]}, seconds=1, epochs=2)
    figure = plots.plot_loss_curves({"model": run, "other": {"loss": [0.5, 0.4]}})
    assert len(figure.axes[0].lines) == 3
    with pytest.raises(ValueError, match="bce"):
        plots.plot_loss_curves({"model": run}, metric="bce")


def test_plot_codes():
    codes = np.random.default_rng(0).uniform(size=(10, 20))
    figure = plots.plot_codes(codes, [0, 4], labels=np.arange(10))
    assert len(figure.axes) == 2 and figure.axes[1].get_title() == "digit 4"
    with pytest.raises(ValueError, match="code_size"):
        plots.plot_codes(codes[0], [0])
