"""Figures: digit grids, original-vs-reconstruction grids, loss curves and
codes.

Every function returns the ``matplotlib`` figure (Jupyter shows it) and takes
explicit indices, so that a chapter shows the same digits in every run.

All figures share one style, made for the book's text column: at most
``COLUMN_INCHES`` wide at ``FIGURE_DPI`` (688 CSS pixels, so the site never
shrinks them), no text smaller than ``SMALLEST_FONT`` points (12.5 pixels),
and grids at most ``MAX_COLUMNS`` images wide. The style is applied inside
each plotting function only; importing this module changes nothing.

Introduced in chapter 1, "The vanilla autoencoder".
"""

import functools

import matplotlib
import matplotlib.pyplot as plt
import numpy as np

from companion.checks import (
    check_bool,
    check_finite_array,
    check_images,
    check_indices,
    check_labels,
    check_mapping,
    check_number,
    check_positive_int,
    check_same_length,
    check_seed,
    check_sizes,
)
from companion.data import IMAGE_SIDE

FIGURE_DPI = 100
"""Dots per inch of every figure: one figure pixel is one CSS pixel."""

COLUMN_INCHES = 6.8
"""Widest figure, in inches: the site's text column is 688 CSS pixels."""

SMALLEST_FONT = 9
"""Smallest font size in points: 12.5 pixels at ``FIGURE_DPI``."""

MAX_COLUMNS = 10
"""Widest image grid; wider ones are split into several rows."""

ROW_LABEL_INCHES = 1.3
"""Room left of an image grid for row labels such as "median filter"."""

BOOK_STYLE = {
    "figure.dpi": FIGURE_DPI,
    "savefig.dpi": FIGURE_DPI,
    "font.size": 10,
    "axes.titlesize": 10,
    "axes.labelsize": 10,
    "xtick.labelsize": SMALLEST_FONT,
    "ytick.labelsize": SMALLEST_FONT,
    "legend.fontsize": SMALLEST_FONT,
    "legend.title_fontsize": SMALLEST_FONT,
    "figure.titlesize": 11,
}
"""The ``matplotlib`` settings every plotting function draws with."""


def book_style(function):
    """Decorate a plotting function so that it draws with ``BOOK_STYLE``.

    Introduced in chapter 1.
    """
    if not callable(function):
        raise ValueError(
            f"function must be a plotting function to decorate, got "
            f"{function!r}."
        )

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with plt.rc_context(BOOK_STYLE):
            figure = function(*args, **kwargs)
            interactive = matplotlib.is_interactive()
        # Jupyter's inline backend switches interactive mode on when the
        # first figure is drawn; leaving the context would switch it off
        # again, and no later figure would be shown. Keep it.
        matplotlib.interactive(interactive)
        return figure

    return wrapper


def _grid_size(rows, columns, cell=1.0, row_labels=False, extra_height=0.0):
    """Return a ``figsize`` for a grid of images that fits the text column.

    Each image gets ``cell`` inches, less if the grid would be wider than
    ``COLUMN_INCHES`` (with room for row labels when ``row_labels``).
    """
    margin = ROW_LABEL_INCHES if row_labels else 0.0
    cell = min(cell, (COLUMN_INCHES - margin) / columns)
    return (cell * columns + margin, cell * rows * 1.05 + extra_height)


def _split_columns(count):
    """Split ``count`` images into rows of at most ``MAX_COLUMNS``,
    balanced.
    """
    blocks = int(np.ceil(count / MAX_COLUMNS))
    return int(np.ceil(count / blocks))


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


def _label_panel(axis, label):
    """Hide a small panel's ticks and title it with ``label`` (a unit or
    channel index).
    """
    axis.set_xticks([])
    axis.set_yticks([])
    axis.set_title(str(label), fontsize=SMALLEST_FONT)


def _finish_axis(
    figure,
    axis,
    xlabel,
    ylabel,
    title=None,
    log_x=False,
    log_y=False,
    legend=True,
):
    """Label, scale, grid and title a single-axis figure, then tighten its
    layout.
    """
    axis.set_xlabel(xlabel)
    axis.set_ylabel(ylabel)
    if log_x:
        axis.set_xscale("log")
    if log_y:
        axis.set_yscale("log")
    axis.grid(alpha=0.3)
    if legend:
        axis.legend()
    if title:
        axis.set_title(title)
    figure.tight_layout()
    return figure


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
def plot_loss_curves(runs, metric="loss", title=None, log_scale=False):
    """Plot training (solid) and validation (dashed) curves for one or more
    training runs.

    ``runs`` maps a label to a ``training.TrainingRun`` (or to a history dict
    of per-epoch lists).

    Introduced in chapter 1.
    """
    check_mapping(runs, "runs", "{'model name': training_run}")
    for label, run in runs.items():
        history = check_mapping(
            getattr(run, "history", run),
            f"runs[{label!r}]",
            "a training.TrainingRun or {'loss': [0.3, 0.2]}",
        )
        if metric not in history:
            raise ValueError(
                f"metric={metric!r} is not recorded in run {label!r}; it "
                f"has {sorted(history)}."
            )
    check_bool(log_scale, "log_scale")
    if not runs:
        raise ValueError("runs is empty: pass {'model name': training_run}.")
    figure, axis = plt.subplots(figsize=(6.4, 3.8))
    for index, (label, run) in enumerate(runs.items()):
        history = getattr(run, "history", run)
        if metric not in history:
            raise ValueError(
                f"run {label!r} has no {metric!r}; it has {sorted(history)}."
            )
        color = f"C{index % 10}"
        epochs = np.arange(1, len(history[metric]) + 1)
        axis.plot(
            epochs, history[metric], color=color, label=f"{label} (train)"
        )
        validation = history.get(f"val_{metric}")
        if validation:
            axis.plot(
                epochs,
                validation,
                color=color,
                linestyle="--",
                label=f"{label} (validation)",
            )
    return _finish_axis(figure, axis, "epoch", metric, title, log_y=log_scale)


@book_style
def plot_codes(codes, indices, labels=None, title=None):
    """Draw the codes of a few images as bar charts, one panel per image.

    Introduced in chapter 1.
    """
    codes = check_finite_array(codes, "codes", 2, "(n, code_size)")
    if labels is not None:
        check_labels(labels, "labels", length=len(codes))
    codes = np.asarray(codes, dtype="float32")
    if codes.ndim != 2:
        raise ValueError(
            f"codes must have shape (n, code_size), got {codes.shape}."
        )
    indices = check_indices(indices, len(codes))
    width = min(2.2 * len(indices), COLUMN_INCHES)
    figure, axes = plt.subplots(
        1, len(indices), figsize=(width, 2.4), sharey=True, squeeze=False
    )
    for axis, index in zip(axes[0], indices):
        axis.bar(np.arange(codes.shape[1]), codes[index], color="C0")
        axis.set_xlabel("code unit")
        if labels is not None:
            axis.set_title(f"digit {labels[index]}")
    axes[0, 0].set_ylabel("activation")
    if title:
        figure.suptitle(title)
    figure.tight_layout()
    return figure


@book_style
def plot_latent_scatter(codes, labels, title=None, sample=None, seed=0):
    """Scatter 2-D codes (or the first two code units) coloured by digit.

    ``sample`` draws that many points at random (deterministic for ``seed``)
    to keep the figure readable.

    Introduced in chapter 2, "Multilayer autoencoders".
    """
    check_finite_array(codes, "codes")
    check_labels(labels, "labels")
    check_seed(seed)
    codes, labels, order = _latent_points(
        codes, labels, sample, seed, minimum=2
    )
    figure, axis = plt.subplots(figsize=(5.6, 4.6))
    points = axis.scatter(
        codes[order, 0],
        codes[order, 1],
        c=labels[order],
        cmap="tab10",
        s=4,
        vmin=-0.5,
        vmax=9.5,
    )
    figure.colorbar(points, ax=axis, ticks=range(10), label="digit")
    axis.set_xlabel("code unit 1")
    axis.set_ylabel("code unit 2")
    if title:
        axis.set_title(title)
    figure.tight_layout()
    return figure


@book_style
def plot_latent_3d(
    codes, labels, title=None, sample=None, seed=0, elevation=25, azimuth=-60
):
    """Scatter 3-D codes coloured by digit on a ``projection="3d"`` axis.

    Introduced in chapter 2, "Multilayer autoencoders".
    """
    check_finite_array(codes, "codes")
    check_labels(labels, "labels")
    check_seed(seed)
    check_number(elevation, "elevation")
    check_number(azimuth, "azimuth")
    codes, labels, order = _latent_points(
        codes, labels, sample, seed, minimum=3
    )
    figure = plt.figure(figsize=(6.4, 5.4))
    axis = figure.add_subplot(projection="3d")
    points = axis.scatter(
        codes[order, 0],
        codes[order, 1],
        codes[order, 2],
        c=labels[order],
        cmap="tab10",
        s=3,
        vmin=-0.5,
        vmax=9.5,
    )
    axis.view_init(elev=elevation, azim=azimuth)
    axis.set_xlabel("unit 1")
    axis.set_ylabel("unit 2")
    axis.set_zlabel("unit 3")
    figure.colorbar(
        points, ax=axis, ticks=range(10), label="digit", shrink=0.7
    )
    if title:
        axis.set_title(title)
    return figure


def _latent_points(codes, labels, sample, seed, minimum):
    codes = np.asarray(codes, dtype="float32")
    labels = np.asarray(labels)
    if codes.ndim != 2 or codes.shape[1] < minimum:
        raise ValueError(
            f"codes must have shape (n, k) with k >= {minimum}, got "
            f"{codes.shape}."
        )
    if len(labels) != len(codes):
        raise ValueError(
            f"labels has {len(labels)} entries, codes has {len(codes)}."
        )
    order = np.arange(len(codes))
    if sample is not None:
        check_positive_int(sample, "sample")
        order = np.random.default_rng(seed).permutation(len(codes))[
            : min(sample, len(codes))
        ]
    return codes, labels, order


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
def plot_feature_maps(feature_maps, title=None, columns=8):
    """Show the channels of one image's feature maps
    ``(height, width, channels)`` as a grid.

    Introduced in chapter 3, "Convolutional autoencoders".
    """
    check_finite_array(
        feature_maps, "feature_maps", 3, "(height, width, channels)"
    )
    feature_maps = np.asarray(feature_maps, dtype="float32")
    if feature_maps.ndim != 3:
        raise ValueError(
            "feature_maps must have shape (height, width, channels), got "
            f"{feature_maps.shape}."
        )
    check_positive_int(columns, "columns")
    channels = feature_maps.shape[-1]
    columns = min(columns, channels, MAX_COLUMNS)
    rows = int(np.ceil(channels / columns))
    figure, axes = plt.subplots(
        rows,
        columns,
        figsize=_grid_size(rows, columns, extra_height=0.25 * rows + 0.3),
        squeeze=False,
    )
    for index, axis in enumerate(axes.flat):
        if index >= channels:
            axis.axis("off")
            continue
        axis.imshow(feature_maps[..., index], cmap="viridis")
        _label_panel(axis, index)
    if title:
        figure.suptitle(title)
    figure.tight_layout()
    return figure


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
def plot_weight_images(
    weights, count=16, columns=8, title=None, shared_scale=False
):
    """Show the weights of the first ``count`` units of a dense layer as 28x28
    images.

    ``weights`` is a dense kernel with 784 on one axis: an encoder's
    ``(784, units)`` kernel shows *columns* (the pixels each code unit looks
    at), a decoder's ``(units, 784)`` kernel shows *rows* (the image each code
    unit adds to the output). A 784x784 kernel is read as ``(784, units)``.
    Grey is zero, white positive and black negative: the grey scale is
    symmetric, ``[-m, m]`` with ``m`` each image's largest ``|weight|``, or the
    largest over all shown units with ``shared_scale=True`` (to compare
    strengths). Each panel is titled with its unit's index.

    Introduced in chapter 4, "Sparse autoencoders".
    """
    check_bool(shared_scale, "shared_scale")
    weights = np.asarray(weights)
    pixels = IMAGE_SIDE * IMAGE_SIDE
    if weights.ndim != 2 or pixels not in weights.shape:
        raise ValueError(
            f"weights must be a dense kernel of shape ({pixels}, units) or "
            f"(units, {pixels}), got {weights.shape}; "
            "take it from layer.get_weights()[0] or layer.kernel."
        )
    if not np.issubdtype(weights.dtype, np.number) or not np.all(
        np.isfinite(weights)
    ):
        raise ValueError("weights must be finite numbers.")
    check_positive_int(count, "count")
    check_positive_int(columns, "columns")
    images = weights.T if weights.shape[0] == pixels else weights
    images = images[: min(count, len(images))].astype("float32")
    largest = np.abs(images).max(axis=1)
    if shared_scale:
        largest = np.full_like(largest, largest.max())
    largest = np.where(largest > 0, largest, 1.0)
    columns = min(columns, len(images), MAX_COLUMNS)
    rows = int(np.ceil(len(images) / columns))
    figure, axes = plt.subplots(
        rows,
        columns,
        figsize=_grid_size(rows, columns, extra_height=0.25 * rows + 0.3),
        squeeze=False,
    )
    for axis in axes.flat:
        axis.axis("off")
    for unit, (axis, image, limit) in enumerate(
        zip(axes.flat, images, largest)
    ):
        axis.axis("on")
        axis.imshow(_square(image), cmap="gray", vmin=-limit, vmax=limit)
        _label_panel(axis, unit)
    if title:
        figure.suptitle(title)
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
def plot_activation_histogram(
    codes_by_name, bins=50, title=None, log_scale=False
):
    """Overlay histograms of all code values, one outline per model, on shared
    bins.

    ``codes_by_name`` maps a label to that model's codes (any shape, e.g.
    ``(n, units)``; every value counts). The legend gives each model's mean
    activation. ``log_scale=True`` uses a logarithmic count axis, which shows
    the tail when most values sit at zero, as in a sparse code.

    Introduced in chapter 4, "Sparse autoencoders".
    """
    check_mapping(codes_by_name, "codes_by_name", "{'model name': codes}")
    check_bool(log_scale, "log_scale")
    if not codes_by_name:
        raise ValueError("codes_by_name is empty: pass {'model name': codes}.")
    check_positive_int(bins, "bins")
    values = {}
    for name, codes in codes_by_name.items():
        codes = np.asarray(codes)
        if codes.size == 0 or not np.issubdtype(codes.dtype, np.number):
            raise ValueError(
                f"codes_by_name[{name!r}] must be a non-empty array of "
                f"numbers, got shape {codes.shape} and dtype {codes.dtype}."
            )
        if not np.all(np.isfinite(codes)):
            raise ValueError(
                f"codes_by_name[{name!r}] contains NaN or infinite values."
            )
        values[name] = codes.astype("float64").ravel()
    low = min(v.min() for v in values.values())
    high = max(v.max() for v in values.values())
    edges = np.linspace(low, high if high > low else low + 1.0, bins + 1)
    figure, axis = plt.subplots(figsize=(6.4, 3.8))
    for index, (name, flat) in enumerate(values.items()):
        axis.hist(
            flat,
            bins=edges,
            histtype="step",
            linewidth=1.5,
            color=f"C{index % 10}",
            label=f"{name} (mean {flat.mean():.3g})",
        )
    return _finish_axis(
        figure, axis, "code value", "count", title, log_y=log_scale
    )


@book_style
def plot_tradeoff(points, xlabel, ylabel, title=None, log_x=False):
    """Plot a trade-off curve: one labelled point per setting, joined in the
    given order.

    ``points`` maps a label (for example a penalty weight) to an ``(x, y)``
    pair of numbers, such as (mean code activation, test error) for one model
    of a sweep. Each point is annotated with its label.

    Introduced in chapter 4, "Sparse autoencoders".
    """
    check_mapping(points, "points", "{'label': (x, y)}")
    check_bool(log_x, "log_x")
    if not points:
        raise ValueError(
            "points is empty: pass {'label': (x, y)} for each setting."
        )
    coordinates = []
    for label, pair in points.items():
        try:
            pair = np.asarray(pair, dtype="float64")
        except (TypeError, ValueError):
            pair = np.asarray([np.nan])
        if pair.shape != (2,) or not np.all(np.isfinite(pair)):
            raise ValueError(
                f"points[{label!r}] must be a pair of finite numbers (x, y), "
                f"got {points[label]!r}."
            )
        coordinates.append(pair)
    coordinates = np.array(coordinates)
    if log_x and np.any(coordinates[:, 0] <= 0):
        raise ValueError("log_x=True needs every x greater than zero.")
    figure, axis = plt.subplots(figsize=(6.4, 4.0))
    axis.plot(coordinates[:, 0], coordinates[:, 1], "o-")
    for label, (x, y) in zip(points, coordinates):
        axis.annotate(
            str(label), (x, y), textcoords="offset points", xytext=(5, 5)
        )
    return _finish_axis(
        figure, axis, xlabel, ylabel, title, log_x=log_x, legend=False
    )


@book_style
def plot_curves(
    x,
    curves,
    xlabel,
    ylabel,
    title=None,
    marker=None,
    log_x=False,
    log_y=False,
):
    """Plot one line per entry of ``curves`` against the shared ``x`` values,
    with a vertical marker.

    ``curves`` maps a label to a sequence of numbers, one per ``x`` value
    (for example PSNR against the test noise level for the noisy input, a
    filter and a denoiser). ``marker``, when given, draws a dashed vertical
    line there (for example the noise level a model was trained at).
    ``log_x`` and ``log_y`` (chapter 6) put an axis on a log scale; its
    values must then be greater than zero.

    Introduced in chapter 5, "Denoising autoencoders".
    """
    check_finite_array(x, "x", 1, "(number of x values,)")
    check_mapping(curves, "curves", "{'label': values}")
    for label, values in curves.items():
        check_finite_array(values, f"curves[{label!r}]")
    if marker is not None:
        check_number(marker, "marker")
    check_bool(log_x, "log_x")
    check_bool(log_y, "log_y")
    if log_x and np.any(np.asarray(x, dtype="float64") <= 0):
        raise ValueError("log_x=True needs every x value greater than zero.")
    if log_y and any(
        np.any(np.asarray(values, dtype="float64") <= 0)
        for values in curves.values()
    ):
        raise ValueError("log_y=True needs every curve value above zero.")
    x = np.asarray(x, dtype="float64")
    if x.ndim != 1 or len(x) < 2 or not np.all(np.isfinite(x)):
        raise ValueError(
            "x must be a 1-d sequence of at least 2 finite numbers, got "
            f"shape {x.shape}."
        )
    if not curves:
        raise ValueError(
            "curves is empty: pass {'label': values} with one value per x."
        )
    figure, axis = plt.subplots(figsize=(6.4, 4.0))
    for label, values in curves.items():
        values = np.asarray(values, dtype="float64")
        if values.shape != x.shape:
            raise ValueError(
                f"curves[{label!r}] has {values.shape} values for {x.shape} "
                "x values; give one per x."
            )
        axis.plot(x, values, "o-", label=label, markersize=4)
    if marker is not None:
        axis.axvline(marker, color="grey", linestyle="--", linewidth=1)
    return _finish_axis(
        figure, axis, xlabel, ylabel, title, log_x=log_x, log_y=log_y
    )


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


@book_style
def plot_latent_scatters(
    codes_by_name,
    labels,
    sample=None,
    seed=0,
    axis_labels=("code unit 1", "code unit 2"),
):
    """Scatter several sets of 2-d codes side by side, each coloured by digit.

    ``codes_by_name`` maps a panel title to codes of shape ``(n, 2)``, all for
    the same images, whose digits are ``labels``. ``axis_labels`` names the
    two axes (chapter 10 plots principal components of codes).

    Introduced in chapter 8, "Variational autoencoders".
    """
    if (
        not isinstance(axis_labels, (tuple, list))
        or len(axis_labels) != 2
        or not all(isinstance(label, str) for label in axis_labels)
    ):
        raise ValueError(
            "axis_labels must be two strings (x label, y label), got "
            f"{axis_labels!r}."
        )
    check_mapping(codes_by_name, "codes_by_name", "{'model name': codes}")
    for name, codes in codes_by_name.items():
        check_finite_array(codes, f"codes_by_name[{name!r}]")
    check_labels(labels, "labels")
    check_seed(seed)
    if not codes_by_name:
        raise ValueError("codes_by_name is empty: pass {'model name': codes}.")
    figure, axes = plt.subplots(
        1,
        len(codes_by_name),
        figsize=(COLUMN_INCHES, COLUMN_INCHES / len(codes_by_name) + 0.6),
        squeeze=False,
    )
    for axis, (name, codes) in zip(axes[0], codes_by_name.items()):
        codes, checked_labels, order = _latent_points(
            codes, labels, sample, seed, minimum=2
        )
        points = axis.scatter(
            codes[order, 0],
            codes[order, 1],
            c=checked_labels[order],
            cmap="tab10",
            s=3,
            vmin=-0.5,
            vmax=9.5,
        )
        axis.set_title(name)
        axis.set_xlabel(axis_labels[0])
    axes[0, 0].set_ylabel(axis_labels[1])
    figure.colorbar(points, ax=list(axes[0]), ticks=range(10), label="digit")
    return figure


@book_style
def plot_directions(rows, title=None):
    """Show signed images, such as input directions, one labelled row per
    entry of ``rows``.

    ``rows`` maps a row label to an array of shape ``(count, 784)`` (or
    ``(count, 28, 28[, 1])``), e.g. the leading right singular vectors of an
    encoder's Jacobian at one digit, for several models. Grey is zero, white
    positive and black negative, each image on its own symmetric scale
    ``[-m, m]`` with ``m`` its largest absolute value; the first full row's
    columns are titled 1, 2, ... (the vector's rank).

    Introduced in chapter 6, "Contractive autoencoders".
    """
    check_mapping(rows, "rows", "{'plain': vectors, 'contractive': vectors}")
    checked = {}
    for label, vectors in rows.items():
        vectors = check_finite_array(vectors, f"rows[{label!r}]")
        if vectors.ndim < 2 or vectors[0].size != IMAGE_SIDE * IMAGE_SIDE:
            raise ValueError(
                f"rows[{label!r}] must have shape (count, 784), got "
                f"{vectors.shape}."
            )
        checked[label] = vectors.reshape(len(vectors), -1)
    if not checked:
        raise ValueError("rows is empty: pass {'label': vectors}.")
    columns = max(len(vectors) for vectors in checked.values())
    if columns > MAX_COLUMNS:
        raise ValueError(
            f"at most {MAX_COLUMNS} images per row fit the column, got "
            f"{columns}."
        )
    figure, axes = plt.subplots(
        len(checked),
        columns,
        figsize=_grid_size(
            len(checked), columns, row_labels=True, extra_height=0.3
        ),
        squeeze=False,
    )
    for axis in axes.flat:
        axis.axis("off")
    titled = next(
        row
        for row, vectors in enumerate(checked.values())
        if len(vectors) == columns
    )
    for row, (label, vectors) in enumerate(checked.items()):
        for column, vector in enumerate(vectors):
            axis = axes[row, column]
            axis.axis("on")
            limit = float(np.abs(vector).max()) or 1.0
            axis.imshow(_square(vector), cmap="gray", vmin=-limit, vmax=limit)
            _label_panel(axis, column + 1 if row == titled else "")
        axes[row, 0].set_ylabel(label, rotation=0, ha="right", va="center")
    if title:
        figure.suptitle(title)
    figure.tight_layout()
    return figure


@book_style
def plot_roc_curves(curves, title=None):
    """Plot ROC curves: ``curves`` maps a label to a pair ``(false positive
    rates, true positive rates)``, as returned by ``anomaly.roc_curve``.
    The diagonal is chance.

    Introduced in chapter 9, "Anomaly detection".
    """
    checked = _check_pairs(curves, "(fpr, tpr)", "anomaly.roc_curve")
    figure, axis = plt.subplots(figsize=(5.0, 4.4))
    for label, rates in checked.items():
        axis.plot(rates[0], rates[1], label=label)
    axis.plot([0, 1], [0, 1], color="grey", linestyle="--", linewidth=1)
    axis.set_xlim(0, 1)
    axis.set_ylim(0, 1.01)
    return _finish_axis(
        figure,
        axis,
        "false positive rate (normal images flagged)",
        "true positive rate (anomalies caught)",
        title,
    )


def _check_pairs(curves, pair_text, source):
    """Check a mapping label -> pair of 1-d arrays of the same length and
    return it with the pairs as float arrays."""
    check_mapping(curves, "curves", f"{{'label': {pair_text}}}")
    if not curves:
        raise ValueError(f"curves is empty: pass {{'label': {pair_text}}}.")
    checked = {}
    for label, pair in curves.items():
        if (
            not isinstance(pair, (tuple, list))
            or len(pair) != 2
            or any(np.ndim(values) != 1 for values in pair)
        ):
            raise ValueError(
                f"curves[{label!r}] must be a pair {pair_text} of 1-d "
                f"arrays, as returned by {source}; got {pair!r}."
            )
        first, second = (
            check_finite_array(values, f"curves[{label!r}]", 1, "(n,)")
            for values in pair
        )
        if first.shape != second.shape:
            raise ValueError(
                f"curves[{label!r}] pairs {len(first)} values with "
                f"{len(second)}; give {pair_text} of the same length."
            )
        checked[label] = (first, second)
    return checked


@book_style
def plot_rate_distortion(curves, ylabel="PSNR (dB)", target=None, title=None):
    """Plot rate-distortion curves: ``curves`` maps a codec to a pair
    ``(bytes per image, quality)``, one point per setting; the rate axis is
    logarithmic. ``target``, when given, draws a dashed horizontal line at
    that quality (for example the PSNR of JPEG at quality 10).

    Introduced in chapter 11, "Autoencoders as compressors".
    """
    checked = _check_pairs(
        curves, "(rates, qualities)", "a codec's measured points"
    )
    if any(np.any(rates <= 0) for rates, _ in checked.values()):
        raise ValueError(
            "every rate in curves must be above zero (a log axis)."
        )
    if target is not None:
        check_number(target, "target")
    figure, axis = plt.subplots(figsize=(6.4, 4.4))
    for label, (rates, qualities) in checked.items():
        order = np.argsort(rates)
        axis.plot(
            rates[order], qualities[order], "o-", label=label, markersize=4
        )
    if target is not None:
        axis.axhline(target, color="grey", linestyle="--", linewidth=1)
    return _finish_axis(
        figure, axis, "bytes per image", ylabel, title, log_x=True
    )


@book_style
def plot_score_histograms(groups, xlabel, thresholds=None, title=None):
    """Overlaid histograms of anomaly scores, one per entry of ``groups``
    (e.g. ``{"normal": scores, "anomalies": scores}``), each normalised to
    unit area, with optional vertical threshold lines (``{"max": value}``).

    Introduced in chapter 9, "Anomaly detection".
    """
    check_mapping(groups, "groups", "{'normal': scores, 'anomalies': s}")
    if not groups:
        raise ValueError("groups is empty: pass {'normal': scores, ...}.")
    checked = {
        label: check_finite_array(values, f"groups[{label!r}]", 1, "(n,)")
        for label, values in groups.items()
    }
    thresholds = thresholds or {}
    check_mapping(thresholds, "thresholds", "{'max': value}")
    for label, value in thresholds.items():
        check_number(value, f"thresholds[{label!r}]")
    everything = np.concatenate(list(checked.values()))
    edges = np.histogram_bin_edges(everything, bins=60)
    figure, axis = plt.subplots(figsize=(6.4, 3.8))
    for label, values in checked.items():
        axis.hist(values, bins=edges, density=True, alpha=0.5, label=label)
    styles = ["--", ":", "-."]
    for index, (label, value) in enumerate(thresholds.items()):
        axis.axvline(
            value,
            color="black",
            linestyle=styles[index % len(styles)],
            linewidth=1,
            label=f"threshold: {label}",
        )
    return _finish_axis(figure, axis, xlabel, "density", title)
