"""Curves and trade-offs: loss per epoch, a measure against a setting,
and rate against distortion.

Introduced in chapter 1, "The vanilla autoencoder".
"""

import matplotlib.pyplot as plt
import numpy as np

from companion.checks import (
    check_bool,
    check_finite_array,
    check_mapping,
    check_number,
)
from companion.plots.style import (
    _finish_axis,
    book_style,
)


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
def plot_rate_distortion(
    curves,
    ylabel="PSNR (dB)",
    target=None,
    title=None,
    xlabel="bytes per image",
):
    """Plot rate-distortion curves: ``curves`` maps a codec to a pair
    ``(rates, qualities)``, one point per setting; the rate axis
    (``xlabel``: bytes per image, or bits per pixel as in chapter 14) is
    logarithmic. ``target``, when given, draws a dashed horizontal line at
    that quality (for example the PSNR of JPEG at quality 10).

    Introduced in chapter 13, "Autoencoders as compressors".
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
    if not isinstance(xlabel, str):
        raise ValueError(f"xlabel must be a string, got {xlabel!r}.")
    return _finish_axis(figure, axis, xlabel, ylabel, title, log_x=True)
