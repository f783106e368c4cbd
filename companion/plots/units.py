"""What the units of a model hold: codes, feature maps, weight images,
activation histograms and directions in the code space.

Introduced in chapter 1, "The vanilla autoencoder".
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib import patheffects

from companion.checks import (
    check_bool,
    check_finite_array,
    check_images,
    check_indices,
    check_labels,
    check_mapping,
    check_positive_int,
)
from companion.data import IMAGE_SIDE
from companion.plots.images import (
    _square,
)
from companion.plots.style import (
    COLUMN_INCHES,
    MAX_COLUMNS,
    SMALLEST_FONT,
    _finish_axis,
    _grid_size,
    _label_panel,
    book_style,
)


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
def plot_index_maps(images, indices, show, title=None):
    """Show digits (top row) above their grids of codebook indices (bottom
    row): each grid cell coloured by its entry and labelled with its
    number, so that the entries a digit is drawn with can be read off.
    Three or four digits fit the text column with legible numbers.

    ``images`` are ``(n, 28, 28[, 1])`` digits, ``indices`` their ``(n, 7,
    7)`` index grids (``vq.encode_indices``), ``show`` the positions to
    draw.

    Introduced in chapter 9, "Discrete codes".
    """
    images = check_images(images)
    grids = np.asarray(indices)
    if grids.ndim != 3 or grids.shape[0] != len(images):
        raise ValueError(
            "indices must be one (rows, columns) grid of integers per "
            f"image, shape ({len(images)}, rows, columns), got "
            f"{grids.shape}."
        )
    if not np.issubdtype(grids.dtype, np.integer):
        raise ValueError(
            f"indices must hold integers, got dtype {grids.dtype}."
        )
    show = check_indices(show, len(images), "show")
    columns = len(show)
    figure, axes = plt.subplots(
        2,
        columns,
        figsize=_grid_size(2, columns, cell=2.3),
        squeeze=False,
    )
    for column, index in enumerate(show):
        axes[0, column].imshow(
            _square(images[index]), cmap="gray", vmin=0.0, vmax=1.0
        )
        grid = grids[index]
        axes[1, column].imshow(
            grid % 20, cmap="tab20", vmin=0, vmax=19, interpolation="none"
        )
        for (row, cell), entry in np.ndenumerate(grid):
            axes[1, column].text(
                cell,
                row,
                str(entry),
                ha="center",
                va="center",
                fontsize=SMALLEST_FONT,
                path_effects=[
                    patheffects.withStroke(linewidth=2, foreground="white")
                ],
            )
        for axis in axes[:, column]:
            axis.set_xticks([])
            axis.set_yticks([])
    axes[1, 0].set_ylabel("entries")
    axes[0, 0].set_ylabel("digit")
    if title:
        figure.suptitle(title)
    figure.tight_layout()
    return figure
