"""Photographs: learned filters of any square size, and crops of a photo
restored by several methods side by side.

Introduced in chapter 14, "Photographs and your own images".
"""

import matplotlib.pyplot as plt
import numpy as np

from companion.photos import check_filters
from companion.checks import (
    check_finite_array,
    check_mapping,
    check_non_negative_int,
    check_positive_int,
)
from companion.plots.style import (
    COLUMN_INCHES,
    MAX_COLUMNS,
    SMALLEST_FONT,
    _grid_size,
    book_style,
)


@book_style
def plot_filters(filters, columns=8, title=None):
    """Show square filters (``(units, side, side)`` or ``(units, side *
    side)``, e.g. a decoder's kernel) as small grey images, each scaled
    to its own largest absolute weight: grey is zero, white positive and
    black negative.

    Introduced in chapter 14.
    """
    filters = check_filters(filters)
    columns = min(check_positive_int(columns, "columns"), MAX_COLUMNS)
    columns = min(columns, len(filters))
    rows = int(np.ceil(len(filters) / columns))
    figure, axes = plt.subplots(
        rows,
        columns,
        figsize=_grid_size(rows, columns, cell=0.6, extra_height=0.4),
        squeeze=False,
    )
    for axis in axes.flat:
        axis.axis("off")
    for axis, image in zip(axes.flat, filters):
        limit = np.abs(image).max() or 1.0
        axis.imshow(
            image, cmap="gray", vmin=-limit, vmax=limit, interpolation="none"
        )
    if title:
        figure.suptitle(title)
    figure.tight_layout()
    return figure


def _check_box(box, shape):
    if not isinstance(box, (tuple, list)) or len(box) != 3:
        raise ValueError(
            "box must be (top, left, size) in pixels, e.g. (100, 200, 96), "
            f"got {box!r}."
        )
    top = check_non_negative_int(box[0], "box")
    left = check_non_negative_int(box[1], "box")
    size = check_positive_int(box[2], "box")
    if top + size > shape[0] or left + size > shape[1]:
        raise ValueError(
            f"box {tuple(box)} reaches outside the photo of "
            f"{shape[0]}x{shape[1]} pixels."
        )
    return top, left, size


def _check_photo_mapping(photos_by_label, example):
    """Check a non-empty dict of photos ``(h, w, channels)``; return it
    with checked arrays."""
    check_mapping(photos_by_label, "photos", example)
    if not photos_by_label:
        raise ValueError("photos is empty: pass at least one photo.")
    return {
        label: check_finite_array(
            image, f"photos[{label!r}]", 3, "(height, width, channels)"
        )
        for label, image in photos_by_label.items()
    }


@book_style
def plot_photo_crops(photos, box, columns=4, title=None):
    """Show the same square crop of several versions of one photo, each
    titled with its label (``photos`` maps a label such as ``"noisy,
    20.2 dB"`` to a photo ``(h, w, 1 or 3)``; all the same shape). Values
    are clipped to [0, 1] for display. ``box`` is ``(top, left, size)``.

    Introduced in chapter 14.
    """
    checked = _check_photo_mapping(photos, "{'clean': photo, 'noisy': noisy}")
    shapes = {image.shape for image in checked.values()}
    if len(shapes) != 1:
        raise ValueError(
            f"every photo in photos must have the same shape, got {shapes}."
        )
    top, left, size = _check_box(box, next(iter(shapes)))
    columns = min(check_positive_int(columns, "columns"), len(checked))
    rows = int(np.ceil(len(checked) / columns))
    cell = COLUMN_INCHES / columns
    figure, axes = plt.subplots(
        rows,
        columns,
        figsize=(COLUMN_INCHES, rows * (cell + 0.35)),
        squeeze=False,
    )
    for axis in axes.flat:
        axis.axis("off")
    for axis, (label, image) in zip(axes.flat, checked.items()):
        crop = np.clip(image[top : top + size, left : left + size], 0, 1)
        if crop.shape[-1] == 1:
            axis.imshow(crop[..., 0], cmap="gray", vmin=0, vmax=1)
        else:
            axis.imshow(crop)
        axis.set_title(label, fontsize=SMALLEST_FONT + 1)
    if title:
        figure.suptitle(title)
    figure.tight_layout()
    return figure


@book_style
def plot_photos(photos, columns=4, title=None):
    """Show whole photos in a grid, each titled with its name (``photos``
    maps a name to a photo ``(h, w, 1 or 3)`` in [0, 1]).

    Introduced in chapter 14.
    """
    checked = _check_photo_mapping(photos, "{'astronaut': photo}")
    columns = min(check_positive_int(columns, "columns"), len(checked))
    rows = int(np.ceil(len(checked) / columns))
    cell = COLUMN_INCHES / columns
    figure, axes = plt.subplots(
        rows,
        columns,
        figsize=(COLUMN_INCHES, rows * (cell * 0.8 + 0.3)),
        squeeze=False,
    )
    for axis in axes.flat:
        axis.axis("off")
    for axis, (label, image) in zip(axes.flat, checked.items()):
        image = np.clip(image, 0, 1)
        if image.shape[-1] == 1:
            axis.imshow(image[..., 0], cmap="gray", vmin=0, vmax=1)
        else:
            axis.imshow(image)
        axis.set_title(label, fontsize=SMALLEST_FONT)
    if title:
        figure.suptitle(title)
    figure.tight_layout()
    return figure
