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
    figure = plots.plot_digits(
        small_images, [0, 1, 2], labels=np.arange(64), columns=2
    )
    assert len([axis for axis in figure.axes if axis.axison]) == 3


def test_plot_reconstructions_rows_and_columns(small_images):
    figure = plots.plot_reconstructions(
        small_images, {"a": small_images, "b": small_images * 0.5}, [0, 5, 9]
    )
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
    run = training.TrainingRun(
        history={"loss": [0.3, 0.2], "val_loss": [0.35, 0.25]},
        seconds=1,
        epochs=2,
    )
    figure = plots.plot_loss_curves(
        {"model": run, "other": {"loss": [0.5, 0.4]}}
    )
    assert len(figure.axes[0].lines) == 3
    with pytest.raises(ValueError, match="bce"):
        plots.plot_loss_curves({"model": run}, metric="bce")


def test_plot_codes():
    codes = np.random.default_rng(0).uniform(size=(10, 20))
    figure = plots.plot_codes(codes, [0, 4], labels=np.arange(10))
    assert len(figure.axes) == 2 and figure.axes[1].get_title() == "digit 4"
    with pytest.raises(ValueError, match="code_size"):
        plots.plot_codes(codes[0], [0])


def test_latent_scatter_2d_and_3d():
    codes = np.random.default_rng(0).normal(size=(50, 3))
    labels = np.arange(50) % 10
    figure = plots.plot_latent_scatter(codes, labels, sample=20)
    assert len(figure.axes[0].collections[0].get_offsets()) == 20
    figure = plots.plot_latent_3d(codes, labels)
    assert figure.axes[0].name == "3d"
    with pytest.raises(ValueError, match="k >= 3"):
        plots.plot_latent_3d(codes[:, :2], labels)
    with pytest.raises(ValueError, match="labels"):
        plots.plot_latent_scatter(codes, labels[:3])


def test_reconstruction_history(small_images):
    history = np.stack([small_images[:3] * scale for scale in (0.2, 0.5, 1.0)])
    figure = plots.plot_reconstruction_history(
        small_images[:3], history, epochs=[1, 3]
    )
    assert (
        len(figure.axes) == 3 * 3 and figure.axes[3].get_ylabel() == "epoch 1"
    )
    with pytest.raises(ValueError, match="epoch 4"):
        plots.plot_reconstruction_history(
            small_images[:3], history, epochs=[4]
        )
    with pytest.raises(ValueError, match="shape"):
        plots.plot_reconstruction_history(small_images[:3], history[:, :2])


def test_feature_maps():
    figure = plots.plot_feature_maps(
        np.random.default_rng(0).uniform(size=(14, 14, 10)), columns=4
    )
    assert len([axis for axis in figure.axes if axis.axison]) == 10
    with pytest.raises(ValueError, match="channels"):
        plots.plot_feature_maps(np.zeros((14, 14)))


def test_grid_pair_tiles_in_reading_order(small_images):
    figure = plots.plot_grid_pair(small_images, small_images, list(range(16)))
    canvas = figure.axes[0].images[0].get_array()
    assert canvas.shape == (112, 112)
    np.testing.assert_allclose(
        canvas[:28, 28:56], small_images[1].reshape(28, 28)
    )
    np.testing.assert_allclose(
        canvas[28:56, :28], small_images[4].reshape(28, 28)
    )
    with pytest.raises(ValueError, match="16 indices"):
        plots.plot_grid_pair(small_images, small_images, [0, 1, 2])


def test_plot_index_maps_labels_every_cell_with_its_entry():
    images = np.random.default_rng(0).random((3, 28, 28, 1)).astype("float32")
    grids = np.arange(3 * 49).reshape(3, 7, 7) % 64
    figure = plots.plot_index_maps(images, grids, [2, 0])
    bottom = figure.axes[2:]
    assert len(figure.axes) == 4
    texts = [text.get_text() for text in bottom[0].texts]
    assert texts == [str(entry) for entry in grids[2].ravel()]
    assert len(bottom[1].texts) == 49
    plt.close(figure)


def test_plot_neighbours_marks_neighbours_of_another_label(small_images):
    neighbours = np.array([[1, 2, 3], [5, 6, 7]])
    labels = np.arange(64) % 4
    labels[6] = 0  # the second query (image 4, label 0) has one right
    figure = plots.plot_neighbours(
        small_images[[0, 4]],
        small_images,
        neighbours,
        labels[[0, 4]],
        labels,
        title="two queries",
    )
    assert len(figure.axes) == 2 * (1 + 3)
    first_row, second_row = figure.axes[:4], figure.axes[4:]
    assert first_row[0].get_title() == "query"
    assert [axis.get_title() for axis in first_row[1:]] == ["1", "2", "3"]
    assert second_row[0].get_xlabel() == "0"
    assert [axis.get_xlabel() for axis in second_row[1:]] == [
        "✗ 1",
        "0",
        "✗ 3",
    ]

    def framed(axis):
        return matplotlib.colors.same_color(
            axis.spines["left"].get_edgecolor(), "tab:red"
        )

    assert [framed(axis) for axis in second_row] == [
        False,
        True,
        False,
        True,
    ]
    assert all(framed(axis) for axis in first_row[1:])
    assert figure.texts[0].get_text() == "two queries"
    # Without the queries' labels, no neighbour is marked.
    figure = plots.plot_neighbours(
        small_images[[0]], small_images, neighbours[:1], None, labels
    )
    assert [axis.get_xlabel() for axis in figure.axes[1:]] == ["1", "2", "3"]
    assert not any(framed(axis) for axis in figure.axes)
    with pytest.raises(ValueError, match="one row per query"):
        plots.plot_neighbours(small_images[[0]], small_images, neighbours)
    with pytest.raises(ValueError, match=r"\[0, 64\)"):
        plots.plot_neighbours(small_images[:2], small_images, neighbours + 60)
