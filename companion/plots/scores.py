"""Scores: ROC curves and histograms of anomaly scores with their
thresholds.

Introduced in chapter 10, "Anomaly detection".
"""

import matplotlib.pyplot as plt
import numpy as np

from companion.checks import (
    check_finite_array,
    check_mapping,
    check_number,
)
from companion.plots.curves import (
    _check_pairs,
)
from companion.plots.style import (
    _finish_axis,
    book_style,
)


@book_style
def plot_roc_curves(curves, title=None):
    """Plot ROC curves: ``curves`` maps a label to a pair ``(false positive
    rates, true positive rates)``, as returned by ``anomaly.roc_curve``.
    The diagonal is chance.

    Introduced in chapter 10, "Anomaly detection".
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


@book_style
def plot_score_histograms(groups, xlabel, thresholds=None, title=None):
    """Overlaid histograms of anomaly scores, one per entry of ``groups``
    (e.g. ``{"normal": scores, "anomalies": scores}``), each normalised to
    unit area, with optional vertical threshold lines (``{"max": value}``).

    Introduced in chapter 10, "Anomaly detection".
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
