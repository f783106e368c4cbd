"""Reconstruction metrics on the test set, and the results table every chapter
ends with.

All metrics compare clean images ``x_true`` in [0, 1] with reconstructions
``x_pred`` of the same shape (finite floats; a linear or ``tanh`` model's
reconstructions may leave [0, 1], within [-1, 2], and only the
cross-entropy clips them; pixels in 0..255 are refused):

* ``mean_squared_error``: mean over pixels and images (what Keras' ``"mse"``
  reports);
* ``binary_cross_entropy``: mean over pixels and images (Keras'
  ``"binary_crossentropy"``);
* ``summed_squared_error``: squared error summed over an image's 784 pixels,
  averaged over images (the figure Hinton & Salakhutdinov, 2006, report);
* ``peak_signal_noise_ratio`` and ``structural_similarity``: per image with
  ``skimage.metrics`` (data range 1), averaged over images.

Introduced in chapter 1, "The vanilla autoencoder".
"""

import collections.abc

import numpy as np
from skimage.metrics import peak_signal_noise_ratio as _skimage_psnr
from skimage.metrics import structural_similarity as _skimage_ssim

from companion.checks import (
    check_images,
    check_mapping,
    check_non_negative_int,
    check_non_negative_number,
    check_rows,
    check_same_shape,
)
from companion.data import IMAGE_SIDE

EPSILON = 1e-7
"""Clip for predictions in the cross-entropy, the same as Keras' backend
epsilon.
"""

METRIC_NAMES = ("mse", "bce", "sse", "psnr", "ssim")


def _checked_pair(x_true, x_pred):
    x_true = check_images(x_true, "x_true")
    x_pred = check_images(x_pred, "x_pred", require_unit_range=False)
    check_same_shape(x_true, x_pred, "x_true", "x_pred")
    return x_true.astype("float64"), x_pred.astype("float64")


def _as_square_images(images, name):
    """Reshape a batch of 784-vectors or (28, 28[, 1]) images to
    (n, 28, 28).
    """
    n = images.shape[0]
    if images[0].size != IMAGE_SIDE * IMAGE_SIDE:
        raise ValueError(
            f"PSNR and SSIM need 28x28 MNIST images, got {name} with images "
            f"of {images[0].size} pixels."
        )
    return images.reshape(n, IMAGE_SIDE, IMAGE_SIDE)


def mean_squared_error(x_true, x_pred):
    """Mean squared error per pixel. Introduced in chapter 1."""
    x_true, x_pred = _checked_pair(x_true, x_pred)
    return float(np.mean((x_true - x_pred) ** 2))


def binary_cross_entropy(x_true, x_pred):
    """Mean binary cross-entropy per pixel (predictions clipped to
    [1e-7, 1 - 1e-7]).

    Introduced in chapter 1.
    """
    x_true, x_pred = _checked_pair(x_true, x_pred)
    x_pred = np.clip(x_pred, EPSILON, 1.0 - EPSILON)
    return float(
        np.mean(
            -(x_true * np.log(x_pred) + (1.0 - x_true) * np.log(1.0 - x_pred))
        )
    )


def summed_squared_error(x_true, x_pred):
    """Squared error summed over each image's pixels, averaged over images.

    Introduced in chapter 1.
    """
    x_true, x_pred = _checked_pair(x_true, x_pred)
    per_image = ((x_true - x_pred) ** 2).reshape(len(x_true), -1).sum(axis=1)
    return float(per_image.mean())


def peak_signal_noise_ratio(x_true, x_pred):
    """PSNR in dB per image (``skimage.metrics``, data range 1), averaged over
    images.

    A perfectly reconstructed image has infinite PSNR; such images are capped
    at 100 dB so that the average stays finite.

    Introduced in chapter 1.
    """
    x_true, x_pred = _checked_pair(x_true, x_pred)
    values = []
    square_true = _as_square_images(x_true, "x_true")
    square_pred = _as_square_images(x_pred, "x_pred")
    for true_image, predicted_image in zip(square_true, square_pred):
        if np.array_equal(true_image, predicted_image):
            values.append(100.0)
        else:
            values.append(
                _skimage_psnr(true_image, predicted_image, data_range=1.0)
            )
    return float(np.mean(values))


def structural_similarity(x_true, x_pred):
    """Mean SSIM per image (``skimage.metrics``, data range 1, default 7x7
    window).

    The images are stacked along a channel axis so that scikit-image computes
    every image's SSIM in one call and averages them.

    Introduced in chapter 1.
    """
    x_true, x_pred = _checked_pair(x_true, x_pred)
    stacked_true = np.moveaxis(_as_square_images(x_true, "x_true"), 0, -1)
    stacked_pred = np.moveaxis(_as_square_images(x_pred, "x_pred"), 0, -1)
    return float(
        _skimage_ssim(
            stacked_true, stacked_pred, data_range=1.0, channel_axis=-1
        )
    )


def evaluate_reconstructions(x_true, x_pred):
    """Return every metric above as a dict with keys
    ``mse, bce, sse, psnr, ssim``.

    Introduced in chapter 1.
    """
    return {
        "mse": mean_squared_error(x_true, x_pred),
        "bce": binary_cross_entropy(x_true, x_pred),
        "sse": summed_squared_error(x_true, x_pred),
        "psnr": peak_signal_noise_ratio(x_true, x_pred),
        "ssim": structural_similarity(x_true, x_pred),
    }


def results_row(
    name, x_true, x_pred, code_size=None, parameters=None, seconds=None
):
    """Evaluate one model's test reconstructions and return a row for
    ``format_results_table``.

    ``parameters`` and ``seconds`` (training time) may be ``None`` for
    baselines that have none.

    Introduced in chapter 1.
    """
    if not isinstance(name, str) or not name:
        raise ValueError(f"name must be a non-empty string, got {name!r}.")
    if code_size is not None:
        check_non_negative_int(code_size, "code_size")
    if parameters is not None:
        check_non_negative_int(parameters, "parameters")
    if seconds is not None:
        check_non_negative_number(seconds, "seconds")
    row = {"model": name, "code size": code_size, "parameters": parameters}
    row.update(evaluate_reconstructions(x_true, x_pred))
    row["training time (s)"] = seconds
    return row


_COLUMN_FORMATS = {
    "model": "{}",
    "code size": "{:d}",
    "parameters": "{:,d}",
    "mse": "{:.4f}",
    "bce": "{:.4f}",
    "sse": "{:.2f}",
    "psnr": "{:.2f}",
    "ssim": "{:.3f}",
    "training time (s)": "{:.0f}",
}

_COLUMN_TITLES = {
    "mse": "test MSE",
    "bce": "test BCE",
    "sse": "summed sq. error / image",
    "psnr": "PSNR (dB)",
    "ssim": "SSIM",
}


def format_results_table(rows):
    """Format rows from ``results_row`` as a Markdown table (display it with
    ``IPython.display.Markdown``).

    Missing values (``None``) print as a dash.

    Introduced in chapter 1.
    """
    rows = check_rows(rows, "rows", "results_row")
    columns = list(_COLUMN_FORMATS)
    for row in rows:
        unknown = set(row) - set(columns)
        if unknown:
            raise ValueError(
                f"unknown columns {sorted(unknown)}; rows must come from "
                "results_row."
            )
    return markdown_table(rows, _COLUMN_FORMATS, _COLUMN_TITLES)


def markdown_table(rows, formats, titles=None):
    """Render dict rows as a Markdown table: one column per key of ``formats``,
    in its order.

    ``formats`` maps each column to a format string (e.g. ``"{:.2f}"``);
    ``titles`` optionally renames columns in the header. The first column is
    left-aligned, the others right-aligned; a missing or ``None`` value
    prints as a dash. Used by the chapters' table helpers.

    Introduced in chapter 1.
    """
    rows = check_rows(rows, "rows", "a table helper")
    check_mapping(formats, "formats", "{'model': '{}', 'mse': '{:.4f}'}")
    for column, text in formats.items():
        if not isinstance(text, str):
            raise ValueError(
                f"formats[{column!r}] must be a format string such as "
                f"'{{:.2f}}', got {text!r}."
            )
    if titles is not None and not isinstance(titles, collections.abc.Mapping):
        raise ValueError(
            f"titles must be None or a dict from column to title, got "
            f"{type(titles).__name__}."
        )
    titles = titles or {}
    columns = list(formats)
    header = [titles.get(column, column) for column in columns]
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join(["---"] + ["---:"] * (len(columns) - 1)) + "|",
    ]
    for index, row in enumerate(rows):
        cells = [
            _cell(row, column, formats[column], index) for column in columns
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _cell(row, column, text, index):
    """Format one cell; a missing or ``None`` value prints as a dash."""
    value = row.get(column)
    if value is None:
        return "–"
    try:
        return text.format(value)
    except (TypeError, ValueError, IndexError, KeyError) as error:
        raise ValueError(
            f"rows[{index}][{column!r}] = {value!r} does not fit the format "
            f"{text!r} of column {column!r} ({error})."
        ) from error
