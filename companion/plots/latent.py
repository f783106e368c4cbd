"""Latent spaces: codes scattered in the plane or in 3-d, coloured by
class.

Introduced in chapter 1, "The vanilla autoencoder".
"""

import matplotlib.pyplot as plt
import numpy as np

from companion.checks import (
    check_finite_array,
    check_labels,
    check_mapping,
    check_number,
    check_positive_int,
    check_seed,
)
from companion.plots.style import (
    COLUMN_INCHES,
    book_style,
)


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
    two axes (chapter 12 plots principal components of codes).

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
