"""The style every figure of the book shares, and the layout helpers the
figure modules use.

All figures are made for the book's text column: at most ``COLUMN_INCHES``
wide at ``FIGURE_DPI`` (688 CSS pixels, so the site never shrinks them), no
text smaller than ``SMALLEST_FONT`` points (12.5 pixels), and grids at most
``MAX_COLUMNS`` images wide. The style is applied inside each plotting
function only (``book_style``); importing this module changes nothing.

Introduced in chapter 1, "The vanilla autoencoder".
"""

import functools

import matplotlib
import matplotlib.pyplot as plt
import numpy as np

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
