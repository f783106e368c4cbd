"""Image grids: digits, originals beside reconstructions, corrupted and
restored rows, interpolation strips, decoded grids and nearest neighbours.

Every function returns the ``matplotlib`` figure (Jupyter shows it) and takes
explicit indices, so that a chapter shows the same digits in every run.

Introduced in chapter 1, "The vanilla autoencoder".
"""

import matplotlib.pyplot as plt
import numpy as np

from companion.checks import (
    check_finite_array,
    check_images,
    check_indices,
    check_labels,
    check_mapping,
    check_neighbour_indices,
    check_positive_int,
    check_same_length,
    check_sizes,
)
from companion.data import FLAT_SIZE, IMAGE_SIDE
from companion.plots.style import (
    COLUMN_INCHES,
    MAX_COLUMNS,
    SMALLEST_FONT,
    _grid_size,
    _split_columns,
    book_style,
)


def _square(image):
    image = np.asarray(image)
    if image.size != IMAGE_SIDE * IMAGE_SIDE:
        raise ValueError(
            f"expected a 28x28 MNIST image, got {image.size} pixels."
        )
    return image.reshape(IMAGE_SIDE, IMAGE_SIDE)


def _show(axis, image):
    axis.imshow(_square(image), cmap="gray", vmin=0.0, vmax=1.0)
    axis.set_xticks([])
    axis.set_yticks([])


def _mosaic(tiles):
    """Join a ``(rows, columns, 28, 28)`` array of images into one
    ``(rows * 28, columns * 28)`` picture.
    """
    rows, columns = tiles.shape[:2]
    return tiles.transpose(0, 2, 1, 3).reshape(
        rows * IMAGE_SIDE, columns * IMAGE_SIDE
    )


@book_style
def plot_digits(images, indices, labels=None, columns=10, title=None):
    """Show ``images[indices]`` in a grid, with their labels as titles when
    given.

    Introduced in chapter 1.
    """
    images = check_images(images)
    indices = check_indices(indices, len(images))
    check_positive_int(columns, "columns")
    if labels is not None:
        check_same_length(labels, images, "labels", "images")
    columns = min(columns, len(indices), MAX_COLUMNS)
    rows = int(np.ceil(len(indices) / columns))
    figure, axes = plt.subplots(
        rows,
        columns,
        figsize=_grid_size(rows, columns, extra_height=0.25 * rows),
        squeeze=False,
    )
    for axis in axes.flat:
        axis.axis("off")
    for axis, index in zip(axes.flat, indices):
        axis.axis("on")
        _show(axis, images[index])
        if labels is not None:
            axis.set_title(str(labels[index]))
    if title:
        figure.suptitle(title)
    figure.tight_layout()
    return figure


@book_style
def plot_reconstructions(originals, reconstructions, indices, title=None):
    """Show originals in the top row and each model's reconstructions below.

    ``reconstructions`` maps a row label (the model's name) to an array of
    reconstructions aligned with ``originals``; only ``indices`` are shown.

    Introduced in chapter 1.
    """
    originals = check_images(originals, "originals")
    indices = check_indices(indices, len(originals))
    check_mapping(
        reconstructions,
        "reconstructions",
        "{'model name': reconstructed_images}",
    )
    if not reconstructions:
        raise ValueError(
            "reconstructions is empty: pass {'model name': "
            "reconstructed_images}."
        )
    rows = {"original": originals}
    for name, images in reconstructions.items():
        images = check_images(
            images, f"reconstructions[{name!r}]", require_unit_range=False
        )
        if len(images) != len(originals):
            raise ValueError(
                f"reconstructions[{name!r}] has {len(images)} images, "
                f"originals have {len(originals)}."
            )
        rows[name] = images
    return _labelled_rows(rows, indices, title)


def _labelled_rows(
    rows, indices, title=None, column_titles=None, columns=None
):
    """Draw one labelled row of images per entry of ``rows`` (a dict).

    More than ``columns`` (default ``MAX_COLUMNS``) indices are split into
    blocks stacked one under the other, each block with all the rows.
    ``column_titles``, when given, titles the columns of every block.
    """
    columns = columns or _split_columns(len(indices))
    blocks = [
        indices[start : start + columns]
        for start in range(0, len(indices), columns)
    ]
    row_count = len(rows) * len(blocks)
    extra = 0.3 * len(blocks) if column_titles is not None else 0.0
    figure, axes = plt.subplots(
        row_count,
        columns,
        figsize=_grid_size(
            row_count, columns, row_labels=True, extra_height=extra
        ),
        squeeze=False,
    )
    for axis in axes.flat:
        axis.axis("off")
    for block_number, block in enumerate(blocks):
        for offset, (name, images) in enumerate(rows.items()):
            row = block_number * len(rows) + offset
            for column, index in enumerate(block):
                axes[row, column].axis("on")
                _show(axes[row, column], np.clip(images[index], 0.0, 1.0))
                if column_titles is not None and offset == 0:
                    axes[row, column].set_title(
                        column_titles[block_number * columns + column],
                        fontsize=SMALLEST_FONT,
                    )
            axes[row, 0].set_ylabel(name, rotation=0, ha="right", va="center")
    if title:
        figure.suptitle(title)
    figure.tight_layout()
    return figure


@book_style
def plot_reconstruction_history(originals, reconstructions, epochs=None):
    """Show how reconstructions of fixed images change while a model trains.

    ``reconstructions`` has shape ``(epochs, n_images, ...)``, as recorded by
    ``training.ReconstructionRecorder``. The top row shows the originals, then
    one row per shown epoch (all by default).

    Introduced in chapter 2, "Multilayer autoencoders".
    """
    originals = check_images(originals, "originals")
    check_images(reconstructions, "reconstructions", require_unit_range=False)
    if epochs is not None:
        check_sizes(epochs, "epochs")
    reconstructions = np.asarray(reconstructions)
    if reconstructions.ndim < 3 or reconstructions.shape[1] != len(originals):
        raise ValueError(
            f"reconstructions must have shape (epochs, {len(originals)}, "
            f"...), got {reconstructions.shape}."
        )
    epochs = (
        list(range(1, len(reconstructions) + 1))
        if epochs is None
        else list(epochs)
    )
    for epoch in epochs:
        if not 1 <= epoch <= len(reconstructions):
            raise ValueError(
                f"epoch {epoch} not recorded (1 to {len(reconstructions)})."
            )
    rows = {"original": originals}
    rows.update(
        {f"epoch {epoch}": reconstructions[epoch - 1] for epoch in epochs}
    )
    return _labelled_rows(rows, list(range(len(originals))))


@book_style
def plot_grid_pair(
    originals,
    reconstructions,
    indices,
    side=4,
    titles=("original", "reconstructed"),
):
    """Tile ``side x side`` originals and their reconstructions as two square
    canvases side by side.

    Introduced in chapter 2, "Multilayer autoencoders".
    """
    originals = check_images(originals, "originals")
    reconstructions = check_images(
        reconstructions, "reconstructions", require_unit_range=False
    )
    if len(reconstructions) != len(originals):
        raise ValueError(
            f"reconstructions has {len(reconstructions)} images, originals "
            f"have {len(originals)}."
        )
    check_positive_int(side, "side")
    indices = check_indices(indices, len(originals))
    if len(indices) != side * side:
        raise ValueError(
            f"need side * side = {side * side} indices, got {len(indices)}."
        )
    figure, axes = plt.subplots(1, 2, figsize=(6.4, 3.4))
    for axis, images, title in zip(
        axes, (originals, np.clip(reconstructions, 0.0, 1.0)), titles
    ):
        tiles = np.stack(
            [_square(images[index]) for index in indices]
        ).reshape(side, side, IMAGE_SIDE, IMAGE_SIDE)
        axis.imshow(_mosaic(tiles), cmap="gray", vmin=0.0, vmax=1.0)
        axis.set_title(title)
        axis.set_xticks([])
        axis.set_yticks([])
    figure.tight_layout()
    return figure


@book_style
def plot_noise_rows(rows, indices, title=None):
    """Show one labelled row of images per entry of ``rows``, for the same
    ``indices`` in each.

    ``rows`` maps a row label to a batch of images aligned with the others,
    e.g. ``{"noisy": x_noisy, "denoised": x_denoised, "clean": x_test}``; the
    rows appear in the dict's order. Values are clipped to [0, 1] for display.

    Introduced in chapter 5, "Denoising autoencoders".
    """
    check_mapping(rows, "rows", "{'noisy': noisy_images, 'clean': images}")
    checked = _check_rows(rows, "rows")
    indices = check_indices(indices, len(next(iter(checked.values()))))
    return _labelled_rows(checked, indices, title)


def _check_rows(rows, name):
    """Check a dict of aligned image batches; return it with checked arrays."""
    if not rows:
        raise ValueError(
            f"{name} is empty: pass {{'noisy': noisy_images, "
            "'clean': clean_images}."
        )
    checked = {}
    for label, images in rows.items():
        checked[label] = check_images(
            images, f"{name}[{label!r}]", require_unit_range=False
        )
    lengths = {label: len(images) for label, images in checked.items()}
    if len(set(lengths.values())) != 1:
        raise ValueError(
            f"every entry of {name} must hold the same number of images, "
            f"got {lengths}."
        )
    return checked


@book_style
def plot_interpolation_strips(strips, weights, title=None):
    """Show one labelled interpolation strip per entry of ``strips``, with the
    weights as column titles.

    ``strips`` maps a row label to the images along a path, shape
    ``(steps, ...)``; every strip has one image per weight (the end point's
    share).

    Introduced in chapter 7, "Latent-space interpolation".
    """
    check_mapping(strips, "strips", "{'path name': images}")
    check_finite_array(weights, "weights", 1, "(steps,)")
    for name, images in strips.items():
        check_images(images, f"strips[{name!r}]", require_unit_range=False)
        if len(images) != len(weights):
            raise ValueError(
                f"strip {name!r} has {len(images)} images but there are "
                f"{len(weights)} weights: every entry of strips needs one "
                "image per weight."
            )
    weights = np.asarray(weights, dtype="float64")
    if not strips:
        raise ValueError("strips is empty: pass {'path name': images}.")
    for name, images in strips.items():
        if len(images) != len(weights):
            raise ValueError(
                f"strip {name!r} has {len(images)} images but there are "
                f"{len(weights)} weights."
            )
    strips = _check_rows(strips, "strips")
    # A path reads as one row: it is not split, even past MAX_COLUMNS.
    return _labelled_rows(
        strips,
        list(range(len(weights))),
        title,
        column_titles=[f"{weight:.2f}" for weight in weights],
        columns=len(weights),
    )


@book_style
def plot_decoded_grid(
    images,
    horizontal,
    vertical,
    title=None,
    xlabel="code unit 1",
    ylabel="code unit 2",
):
    """Tile images decoded from a grid of 2-d codes into one picture, with the
    code values on the axes.

    ``images`` holds ``len(vertical) * len(horizontal)`` images row by row,
    top row first (as made by ``latent.grid_codes``); ``horizontal`` and
    ``vertical`` are the code values of the columns and of the rows, the
    rows listed from the top.

    Introduced in chapter 7.
    """
    images = check_images(images, require_unit_range=False)
    check_finite_array(horizontal, "horizontal", 1, "(columns,)")
    check_finite_array(vertical, "vertical", 1, "(rows,)")
    horizontal = np.asarray(horizontal, dtype="float64")
    vertical = np.asarray(vertical, dtype="float64")
    if len(images) != len(horizontal) * len(vertical):
        raise ValueError(
            f"expected {len(vertical)} x {len(horizontal)} = "
            f"{len(horizontal) * len(vertical)} images, got {len(images)}."
        )
    tiles = np.clip(
        images.reshape(len(vertical), len(horizontal), IMAGE_SIDE, IMAGE_SIDE),
        0.0,
        1.0,
    )
    figure, axis = plt.subplots(figsize=(COLUMN_INCHES, COLUMN_INCHES))
    axis.imshow(_mosaic(tiles), cmap="gray", vmin=0.0, vmax=1.0)
    centres = (
        IMAGE_SIDE * np.arange(max(len(horizontal), len(vertical)))
        + IMAGE_SIDE / 2
    )
    axis.set_xticks(
        centres[: len(horizontal)],
        [f"{value:.2g}" for value in horizontal],
        rotation=90,
    )
    axis.set_yticks(
        centres[: len(vertical)], [f"{value:.2g}" for value in vertical]
    )
    axis.set_xlabel(xlabel)
    axis.set_ylabel(ylabel)
    if title:
        axis.set_title(title)
    figure.tight_layout()
    return figure


MISTAKE_COLOUR = "tab:red"
"""Frame and label colour of a neighbour whose label is not the query's."""

_GAP = 0.3
"""Width of the gap between a query and its neighbours, in image widths."""


def _check_mnist_images(images, name):
    """Check a batch of 28x28 images in [0, 1] (flat or not)."""
    images = check_images(images, name)
    if images[0].size != FLAT_SIZE:
        raise ValueError(
            f"{name} must be 28x28 images, {FLAT_SIZE} pixels each, got "
            f"shape {images.shape}."
        )
    return images


def _check_neighbour_indices(neighbour_indices, queries, database):
    """Return ``neighbour_indices`` as an int array ``(queries, k)``, each
    an index into a database of ``database`` images, at most
    ``MAX_COLUMNS`` per row."""
    indices = check_neighbour_indices(
        neighbour_indices, database, "database_images", queries=queries
    )
    if indices.shape[1] > MAX_COLUMNS:
        raise ValueError(
            f"neighbour_indices has {indices.shape[1]} neighbours per query; "
            f"show at most {MAX_COLUMNS}: pass "
            f"neighbour_indices[:, :{MAX_COLUMNS}]."
        )
    return indices


def _frame(axis, colour, width):
    """Draw a frame of ``colour`` around an image's axis."""
    for spine in axis.spines.values():
        spine.set_visible(True)
        spine.set_edgecolor(colour)
        spine.set_linewidth(width)


@book_style
def plot_neighbours(
    query_images,
    database_images,
    neighbour_indices,
    query_labels=None,
    database_labels=None,
    title=None,
):
    """Show each query image at the left of a row, then, after a gap, its
    nearest database images, nearest first.

    ``neighbour_indices`` has one row per query, indices into
    ``database_images``, as ``retrieval.nearest_neighbours`` returns (at
    most ``MAX_COLUMNS`` per row). With labels, each image shows its label
    under it; with both ``query_labels`` and ``database_labels``, a
    neighbour of another label than its query's gets a red frame and a red
    label, "✗ 7", so that the mistakes stand out (also without colour).

    Introduced in chapter 12, "Codes as features".
    """
    query_images = _check_mnist_images(query_images, "query_images")
    database_images = _check_mnist_images(database_images, "database_images")
    indices = _check_neighbour_indices(
        neighbour_indices, len(query_images), len(database_images)
    )
    if query_labels is not None:
        query_labels = check_labels(
            query_labels, "query_labels", length=len(query_images)
        )
    if database_labels is not None:
        database_labels = check_labels(
            database_labels, "database_labels", length=len(database_images)
        )
    rows, k = indices.shape
    labelled = query_labels is not None or database_labels is not None
    figure = plt.figure(
        figsize=_grid_size(
            rows,
            k + 1 + _GAP,
            extra_height=0.3 + (0.25 * rows if labelled else 0.0),
        )
    )
    grid = figure.add_gridspec(
        rows, k + 2, width_ratios=[1.0, _GAP] + [1.0] * k
    )
    for row in range(rows):
        query = figure.add_subplot(grid[row, 0])
        _show(query, query_images[row])
        if query_labels is not None:
            query.set_xlabel(str(query_labels[row]), fontsize=SMALLEST_FONT)
        if row == 0:
            query.set_title("query", fontsize=SMALLEST_FONT)
        for rank, index in enumerate(indices[row]):
            axis = figure.add_subplot(grid[row, rank + 2])
            _show(axis, database_images[index])
            if row == 0:
                axis.set_title(str(rank + 1), fontsize=SMALLEST_FONT)
            if database_labels is None:
                continue
            label = str(database_labels[index])
            wrong = (
                query_labels is not None
                and database_labels[index] != query_labels[row]
            )
            if wrong:
                _frame(axis, MISTAKE_COLOUR, 2.5)
                axis.set_xlabel(
                    f"✗ {label}",
                    fontsize=SMALLEST_FONT,
                    color=MISTAKE_COLOUR,
                    fontweight="bold",
                )
            else:
                axis.set_xlabel(label, fontsize=SMALLEST_FONT)
    if title:
        figure.suptitle(title)
    figure.tight_layout()
    return figure
