"""Walking through latent space: interpolation weights and paths, grids of
codes, and directions.

An autoencoder's codes are points in a space of their own. These helpers
build paths between two codes (straight lines or arcs), the matching
cross-fade in pixel space for comparison, regular grids over a 2-d code
plane, and directions between groups of codes for latent arithmetic.

Introduced in chapter 7, "Latent-space interpolation".
"""

import math
import statistics

import numpy as np

from companion import models
from companion.checks import (
    check_finite_array,
    check_image,
    check_images,
    check_labels,
    check_model,
    check_number,
    check_positive_int,
    check_same_shape,
    check_seed,
)

METHODS = ("linear", "spherical")

# Within this angle (radians) of 0 or of pi between two codes, spherical
# interpolation falls back to linear (the arc is undefined for opposite codes,
# and sin(angle) is too close to 0 to divide by).
_SMALL_ANGLE = 1e-6


def interpolation_weights(steps=7, first=0.05, last=0.95):
    """Return ``steps`` evenly spaced weights from ``first`` to ``last``, both
    included.

    The weight is the share of the *end* point: 0 is the start, 1 the end.
    ``np.arange(0.05, 0.95, 0.15)`` stops at 0.80, because ``arange``
    excludes its stop value; ``np.linspace`` includes it.

    Introduced in chapter 7.
    """
    check_positive_int(steps, "steps")
    for name, value in (("first", first), ("last", last)):
        check_number(value, name, 0.0, 1.0)
    if first > last:
        raise ValueError(
            f"first ({first}) must not be greater than last ({last})."
        )
    return np.linspace(first, last, steps)


def check_weights(weights):
    """Return ``weights`` as a 1-d float array after checking that every weight
    lies in [0, 1].

    Introduced in chapter 7.
    """
    try:
        weights = np.asarray(weights, dtype="float64")
    except (TypeError, ValueError) as error:
        raise ValueError(
            f"weights must be a non-empty 1-d sequence of numbers in [0, 1] "
            f"({error})."
        ) from error
    if weights.ndim != 1 or weights.size == 0:
        raise ValueError(
            "weights must be a non-empty 1-d sequence, got shape "
            f"{weights.shape}."
        )
    if (
        not np.all(np.isfinite(weights))
        or weights.min() < 0.0
        or weights.max() > 1.0
    ):
        raise ValueError(
            "interpolation weights must lie in [0, 1] (0 = start, 1 = end), "
            f"got {weights.min()} to {weights.max()}."
        )
    return weights


def _check_code(code, name):
    try:
        code = np.asarray(code, dtype="float64")
    except (TypeError, ValueError) as error:
        raise ValueError(
            f"{name} must be a code: a non-empty 1-d vector of numbers "
            f"({error})."
        ) from error
    if code.ndim != 1 or code.size == 0:
        raise ValueError(
            f"{name} must be a code: a non-empty 1-d vector, got shape "
            f"{code.shape}."
        )
    if not np.all(np.isfinite(code)):
        raise ValueError(f"{name} code contains NaN or infinite values.")
    return code


def _check_code_pair(start, end):
    start = _check_code(start, "start")
    end = _check_code(end, "end")
    if start.shape != end.shape:
        raise ValueError(
            f"start and end codes must have the same size, got {start.shape} "
            f"and {end.shape}."
        )
    return start, end


def interpolate_codes(start, end, weights, method="linear"):
    """Return the codes along a path from ``start`` to ``end``, one row per
    weight.

    ``method="linear"`` gives ``(1 - w) * start + w * end``. ``"spherical"``
    (slerp) moves along the arc between the two codes, so that the norm
    changes smoothly instead of dipping in the middle; it falls back to the
    straight line when the codes point the same way or opposite ways.

    Introduced in chapter 7.
    """
    start, end = _check_code_pair(start, end)
    weights = check_weights(weights)[:, None]
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}.")
    if method == "spherical":
        norms = np.linalg.norm(start) * np.linalg.norm(end)
        if norms > 0:
            angle = np.arccos(np.clip(start @ end / norms, -1.0, 1.0))
            if _SMALL_ANGLE < angle < np.pi - _SMALL_ANGLE:
                path = (
                    np.sin((1 - weights) * angle) * start
                    + np.sin(weights * angle) * end
                ) / np.sin(angle)
                return path.astype("float32")
    return ((1 - weights) * start + weights * end).astype("float32")


def crossfade_images(start, end, weights):
    """Blend two images pixel by pixel, ``(1 - w) * start + w * end`` for each
    weight.

    The result has shape ``(len(weights),) + start.shape``: the pixel-space
    counterpart of ``interpolate_codes``.

    Introduced in chapter 7.
    """
    check_image(start, "start")
    check_image(end, "end")
    check_same_shape(start, end, "start", "end")
    return crossfade_paths(
        np.asarray(start)[None], np.asarray(end)[None], weights
    )[0]


def grid_codes(low, high, steps):
    """Return a ``steps x steps`` grid of 2-d codes, row by row from the top
    (high second coordinate).

    ``low`` and ``high`` are 2-sequences giving the range of each code unit.
    The rows of the result, decoded and shown as a ``steps x steps`` image
    grid, put the first unit on the horizontal and the second on the vertical
    axis, as in a scatter plot.

    Introduced in chapter 7.
    """
    check_positive_int(steps, "steps")
    low = check_finite_array(low, "low").astype("float64")
    high = check_finite_array(high, "high").astype("float64")
    if low.shape != (2,) or high.shape != (2,):
        raise ValueError(
            "low and high must each give 2 values (one per code unit), got "
            f"{low.shape} and {high.shape}."
        )
    if not np.all(high > low):
        raise ValueError(
            f"high {high.tolist()} must be greater than low {low.tolist()} "
            "in both units."
        )
    horizontal = np.linspace(low[0], high[0], steps)
    vertical = np.linspace(high[1], low[1], steps)
    return np.array(
        [[x, y] for y in vertical for x in horizontal], dtype="float32"
    )


def normal_quantile_grid(steps, margin=0.05):
    """Return a ``steps x steps`` grid of 2-d codes at quantiles of the
    standard normal distribution.

    The quantiles run evenly from ``margin`` to ``1 - margin``, so the grid
    covers where a VAE's prior puts its mass, densely near 0 and sparsely in
    the tails. Same row order as ``grid_codes``.

    Introduced in chapter 8, "Variational autoencoders".
    """
    check_positive_int(steps, "steps")
    if not 0.0 < check_number(margin, "margin") < 0.5:
        raise ValueError(
            f"margin must lie strictly between 0 and 0.5, got {margin!r}."
        )
    normal = statistics.NormalDist()
    values = np.array(
        [normal.inv_cdf(p) for p in np.linspace(margin, 1 - margin, steps)]
    )
    values = (
        values - values[::-1]
    ) / 2  # exactly symmetric, with an exact 0 in the middle for odd steps
    return np.array(
        [[x, y] for y in values[::-1] for x in values], dtype="float32"
    )


def mean_code_direction(codes, selected):
    """Return the mean code of the ``selected`` rows minus the mean code of the
    others.

    ``selected`` is a boolean mask over the rows of ``codes`` (for example,
    the images with the most ink). Adding multiples of the result to a code
    is the simplest form of latent arithmetic.

    Introduced in chapter 7.
    """
    codes = check_finite_array(codes, "codes", 2, "(n, code_size)")
    codes = codes.astype("float64")
    selected = np.asarray(selected)
    if selected.dtype != bool or selected.shape != (len(codes),):
        raise ValueError(
            f"selected must be a boolean mask of shape ({len(codes)},), got "
            f"{selected.dtype} {selected.shape}."
        )
    if selected.all() or not selected.any():
        raise ValueError("selected must pick some rows and leave some out.")
    return (
        codes[selected].mean(axis=0) - codes[~selected].mean(axis=0)
    ).astype("float32")


def pick_digit_pairs(labels, count, seed=0):
    """Draw ``count`` pairs of indices whose labels differ; return two int
    arrays ``(starts, ends)``.

    Deterministic for a given ``seed``. Used to score many interpolation
    paths at once.

    Introduced in chapter 7.
    """
    labels = np.asarray(labels)
    check_positive_int(count, "count")
    check_seed(seed)
    if labels.ndim == 1 and labels.size:
        check_labels(labels, "labels")
    if labels.ndim != 1 or len(np.unique(labels)) < 2:
        raise ValueError(
            "labels must be a 1-d array with at least two different labels."
        )
    rng = np.random.default_rng(seed)
    starts, ends = [], []
    while len(starts) < count:
        first, second = rng.integers(0, len(labels), size=2)
        if labels[first] != labels[second]:
            starts.append(first)
            ends.append(second)
    return np.array(starts), np.array(ends)


def decode_paths(decoder, start_codes, end_codes, weights, method="linear"):
    """Interpolate between each pair of codes and decode every step; shape
    ``(pairs, steps) +`` image shape.

    ``start_codes`` and ``end_codes`` hold one code per pair (codes of any
    shape are flattened, then reshaped back for the decoder).

    Introduced in chapter 7.
    """
    check_model(decoder, "decoder")
    start_codes = check_finite_array(start_codes, "start_codes")
    end_codes = check_finite_array(end_codes, "end_codes")
    start_codes = start_codes.astype("float32")
    end_codes = end_codes.astype("float32")
    if (
        start_codes.shape != end_codes.shape
        or start_codes.ndim < 2
        or len(start_codes) == 0
    ):
        raise ValueError(
            "start_codes and end_codes must be non-empty batches of the "
            f"same shape, got {start_codes.shape} and {end_codes.shape}."
        )
    weights = check_weights(weights)
    pairs = len(start_codes)
    size = math.prod(decoder.input.shape[1:])
    if start_codes[0].size != size:
        raise ValueError(
            f"start_codes and end_codes hold codes of {start_codes[0].size} "
            f"numbers, but {decoder.name} expects codes of shape (n, {size})."
        )
    flat_start = start_codes.reshape(pairs, -1)
    flat_end = end_codes.reshape(pairs, -1)
    codes = np.concatenate(
        [
            interpolate_codes(a, b, weights, method)
            for a, b in zip(flat_start, flat_end)
        ]
    )
    images = models.decode(decoder, codes)
    return images.reshape((pairs, len(weights)) + images.shape[1:])


def crossfade_paths(start_images, end_images, weights):
    """Pixel-space counterpart of ``decode_paths``: cross-fade each pair of
    images.

    Returns shape ``(pairs, len(weights)) +`` image shape.

    Introduced in chapter 7.
    """
    start_images = check_images(start_images, "start_images")
    end_images = check_images(end_images, "end_images")
    if start_images.shape != end_images.shape:
        raise ValueError(
            f"start_images and end_images differ in shape: they must have "
            f"the same shape, "
            f"got {start_images.shape} and {end_images.shape}."
        )
    weights = check_weights(weights).reshape(
        (1, -1) + (1,) * (start_images.ndim - 1)
    )
    return (
        (1 - weights) * start_images[:, None] + weights * end_images[:, None]
    ).astype("float32")
