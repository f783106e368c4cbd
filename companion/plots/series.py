"""Time series: a series with its labelled anomaly windows shaded, a
detector's scores and flagged records; windows and their reconstructions.

Introduced in the chapter "Time series and sequences".
"""

import matplotlib.pyplot as plt
import numpy as np

from companion import nab
from companion.checks import (
    check_bool,
    check_finite_array,
    check_mapping,
    check_number,
)
from companion.plots.style import COLUMN_INCHES, book_style


def _shade_windows(axis, series, label=True):
    for index, (first, last) in enumerate(series.windows):
        axis.axvspan(
            series.timestamps[first],
            series.timestamps[last],
            color="tab:red",
            alpha=0.15,
            linewidth=0,
            label="labelled window" if label and index == 0 else None,
        )


@book_style
def plot_series(
    series, scores=None, threshold=None, title=None, show_probation=False
):
    """Plot a NAB ``series`` with its labelled windows shaded; with
    ``scores`` (one per record, in [0, 1]) add a panel of scores below and,
    with ``threshold``, its line and the flagged records (score at least
    ``threshold``) marked on the series. ``show_probation`` shades NAB's
    probationary period in grey (records there are not scored).

    Introduced in the chapter "Time series and sequences".
    """
    nab.check_series(series)
    panels = 1
    if scores is not None:
        scores = check_finite_array(scores, "scores", 1, "(n,)")
        if len(scores) != len(series.values):
            raise ValueError(
                f"scores has {len(scores)} values for the "
                f"{len(series.values)} records of the series."
            )
        panels = 2
    if threshold is not None:
        if scores is None:
            raise ValueError("threshold needs scores to compare with.")
        threshold = check_number(threshold, "threshold", low=0.0, high=1.1)
    show_probation = check_bool(show_probation, "show_probation")
    figure, axes = plt.subplots(
        panels,
        1,
        figsize=(COLUMN_INCHES, 2.4 + 1.5 * (panels - 1)),
        sharex=True,
        squeeze=False,
        gridspec_kw={"height_ratios": [2, 1][:panels]},
    )
    top = axes[0, 0]
    top.plot(series.timestamps, series.values, linewidth=0.8)
    _shade_windows(top, series)
    if show_probation:
        end = series.timestamps[nab.probation_length(len(series.values))]
        for axis in axes[:, 0]:
            axis.axvspan(
                series.timestamps[0],
                end,
                color="grey",
                alpha=0.25,
                linewidth=0,
                label="probation (not scored)" if axis is top else None,
            )
    if threshold is not None:
        flagged = np.flatnonzero(scores >= threshold)
        top.plot(
            series.timestamps[flagged],
            series.values[flagged],
            "kx",
            markersize=6,
            label="flagged",
        )
    top.set_ylabel("value")
    if series.windows or threshold is not None or show_probation:
        # Room above the series for a one-row legend that hides nothing.
        low, high = float(series.values.min()), float(series.values.max())
        spread = (high - low) or 1.0
        top.set_ylim(low - 0.05 * spread, high + 0.35 * spread)
        top.legend(loc="upper left", ncols=3)
    top.set_title(title or series.name)
    if scores is not None:
        bottom = axes[1, 0]
        bottom.plot(
            series.timestamps, scores, linewidth=0.8, color="tab:green"
        )
        _shade_windows(bottom, series, label=False)
        if threshold is not None:
            bottom.axhline(threshold, color="black", linestyle="--", lw=1)
        bottom.set_ylim(-0.02, 1.05)
        bottom.set_ylabel("score")
    figure.autofmt_xdate()
    figure.tight_layout()
    return figure


@book_style
def plot_window_reconstructions(windows, reconstructions, titles=None):
    """Plot windows (rows of ``windows``) as lines with each model's
    reconstruction over them: ``reconstructions`` maps a model's name to
    an array shaped like ``windows``. One panel per window, titled by
    ``titles``.

    Introduced in the chapter "Time series and sequences".
    """
    windows = check_finite_array(windows, "windows")
    windows = windows.reshape(len(windows), -1) if windows.ndim > 1 else None
    if windows is None:
        raise ValueError("windows must have one row per window.")
    check_mapping(reconstructions, "reconstructions", "{'dense': array}")
    if not reconstructions:
        raise ValueError("reconstructions is empty: pass {'name': array}.")
    checked = {}
    for name, values in reconstructions.items():
        values = check_finite_array(values, f"reconstructions[{name!r}]")
        if values.size != windows.size:
            raise ValueError(
                f"reconstructions[{name!r}] has shape {values.shape}, "
                f"not that of the {len(windows)} windows."
            )
        checked[name] = values.reshape(windows.shape)
    if titles is not None and len(titles) != len(windows):
        raise ValueError(
            f"titles must have one entry per window ({len(windows)}), got "
            f"{len(titles)}."
        )
    count = len(windows)
    figure, axes = plt.subplots(
        1, count, figsize=(COLUMN_INCHES, 2.8), sharey=True, squeeze=False
    )
    steps = np.arange(windows.shape[1])
    for index, axis in enumerate(axes[0]):
        axis.plot(steps, windows[index], color="black", lw=2, label="window")
        for name, values in checked.items():
            axis.plot(steps, values[index], lw=1, label=name)
        axis.set_xlabel("step")
        if titles is not None:
            axis.set_title(str(titles[index]))
    axes[0, 0].set_ylabel("standardised value")
    axes[0, -1].legend(loc="best")
    figure.tight_layout()
    return figure
