"""Figures: digit grids, original-vs-reconstruction grids, loss curves and codes.

Every function returns the ``matplotlib`` figure (Jupyter shows it) and takes
explicit indices, so that a chapter shows the same digits in every run.

Introduced in chapter 1, "The vanilla autoencoder".
"""

import matplotlib.pyplot as plt
import numpy as np

from companion.checks import check_images, check_indices, check_positive_int
from companion.data import IMAGE_SIDE


def _square(image):
    image = np.asarray(image)
    if image.size != IMAGE_SIDE * IMAGE_SIDE:
        raise ValueError(f"expected a 28x28 MNIST image, got {image.size} pixels.")
    return image.reshape(IMAGE_SIDE, IMAGE_SIDE)


def _show(axis, image):
    axis.imshow(_square(image), cmap="gray", vmin=0.0, vmax=1.0)
    axis.set_xticks([])
    axis.set_yticks([])


def plot_digits(images, indices, labels=None, columns=10, title=None):
    """Show ``images[indices]`` in a grid, with their labels as titles when given.

    Introduced in chapter 1.
    """
    images = check_images(images)
    indices = check_indices(indices, len(images))
    check_positive_int(columns, "columns")
    columns = min(columns, len(indices))
    rows = int(np.ceil(len(indices) / columns))
    figure, axes = plt.subplots(rows, columns, figsize=(1.2 * columns, 1.3 * rows), squeeze=False)
    for axis in axes.flat:
        axis.axis("off")
    for axis, index in zip(axes.flat, indices):
        axis.axis("on")
        _show(axis, images[index])
        if labels is not None:
            axis.set_title(str(labels[index]), fontsize=9)
    if title:
        figure.suptitle(title)
    figure.tight_layout()
    return figure


def plot_reconstructions(originals, reconstructions, indices, title=None):
    """Show originals in the top row and each model's reconstructions below.

    ``reconstructions`` maps a row label (the model's name) to an array of
    reconstructions aligned with ``originals``; only ``indices`` are shown.

    Introduced in chapter 1.
    """
    originals = check_images(originals, "originals")
    indices = check_indices(indices, len(originals))
    if not reconstructions:
        raise ValueError("reconstructions is empty: pass {'model name': reconstructed_images}.")
    rows = {"original": originals}
    for name, images in reconstructions.items():
        images = check_images(images, f"reconstructions[{name!r}]", require_unit_range=False)
        if len(images) != len(originals):
            raise ValueError(
                f"reconstructions[{name!r}] has {len(images)} images, originals have {len(originals)}."
            )
        rows[name] = np.clip(images, 0.0, 1.0)
    figure, axes = plt.subplots(
        len(rows), len(indices), figsize=(1.1 * len(indices) + 1.6, 1.15 * len(rows)), squeeze=False
    )
    for row, (name, images) in enumerate(rows.items()):
        for column, index in enumerate(indices):
            _show(axes[row, column], images[index])
        axes[row, 0].set_ylabel(name, rotation=0, ha="right", va="center", fontsize=9)
    if title:
        figure.suptitle(title)
    figure.tight_layout()
    return figure


def plot_loss_curves(runs, metric="loss", title=None, log_scale=False):
    """Plot training (solid) and validation (dashed) curves for one or more training runs.

    ``runs`` maps a label to a ``training.TrainingRun`` (or to a history dict
    of per-epoch lists).

    Introduced in chapter 1.
    """
    if not runs:
        raise ValueError("runs is empty: pass {'model name': training_run}.")
    figure, axis = plt.subplots(figsize=(6.4, 3.8))
    for index, (label, run) in enumerate(runs.items()):
        history = getattr(run, "history", run)
        if metric not in history:
            raise ValueError(f"run {label!r} has no {metric!r}; it has {sorted(history)}.")
        color = f"C{index % 10}"
        epochs = np.arange(1, len(history[metric]) + 1)
        axis.plot(epochs, history[metric], color=color, label=f"{label} (train)")
        validation = history.get(f"val_{metric}")
        if validation:
            axis.plot(epochs, validation, color=color, linestyle="--", label=f"{label} (validation)")
    axis.set_xlabel("epoch")
    axis.set_ylabel(metric)
    if log_scale:
        axis.set_yscale("log")
    axis.grid(alpha=0.3)
    axis.legend(fontsize=8)
    if title:
        axis.set_title(title)
    figure.tight_layout()
    return figure


def plot_codes(codes, indices, labels=None, title=None):
    """Draw the codes of a few images as bar charts, one panel per image.

    Introduced in chapter 1.
    """
    codes = np.asarray(codes, dtype="float32")
    if codes.ndim != 2:
        raise ValueError(f"codes must have shape (n, code_size), got {codes.shape}.")
    indices = check_indices(indices, len(codes))
    figure, axes = plt.subplots(
        1, len(indices), figsize=(2.2 * len(indices), 2.2), sharey=True, squeeze=False
    )
    for axis, index in zip(axes[0], indices):
        axis.bar(np.arange(codes.shape[1]), codes[index], color="C0")
        axis.set_xlabel("code unit")
        if labels is not None:
            axis.set_title(f"digit {labels[index]}", fontsize=9)
    axes[0, 0].set_ylabel("activation")
    if title:
        figure.suptitle(title)
    figure.tight_layout()
    return figure
