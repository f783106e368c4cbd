"""One-class anomaly detection on MNIST: the protocol, scores, ROC-AUC and
thresholds, with scikit-learn.

The protocol is the one of Deep SVDD (Ruff et al., ICML 2018): for a digit
``d``, train on the training images of ``d`` only, score all test images,
and measure how well the scores separate the other digits (the anomalies)
from ``d`` with the area under the ROC curve. Throughout, the **anomaly is
the positive class** (label 1) and a higher score means more anomalous.

Introduced in chapter 10, "Anomaly detection".
"""

import numpy as np
from sklearn.metrics import precision_recall_fscore_support, roc_auc_score
from sklearn.metrics import roc_curve as sklearn_roc_curve
from sklearn.neighbors import NearestNeighbors

from companion.checks import (
    DIGITS,
    check_choice,
    check_codes,
    check_finite_array,
    check_images,
    check_labels,
    check_number,
    check_positive_int,
    check_rows,
    check_same_length,
)
from companion.metrics import markdown_table

DEEP_SVDD_AUC = (98.0, 99.7, 91.7, 91.9, 94.9, 88.5, 98.3, 94.6, 93.9, 96.5)
"""One-class Deep SVDD's published ROC-AUC (%) per normal digit 0-9 on MNIST
(Ruff et al., 2018, Table 1); mean 94.8.
"""

THRESHOLD_RULES = ("mean+std", "max")
"""Thresholds set from the *training* scores, as the tutorials do."""


def check_digit(digit, name="digit"):
    """Return ``digit`` as an int after checking it is an integer 0-9.

    Introduced in chapter 10.
    """
    if (
        isinstance(digit, bool)
        or not isinstance(digit, (int, np.integer))
        or not 0 <= digit < DIGITS
    ):
        raise ValueError(f"{name} must be an integer 0-9, got {digit!r}.")
    return int(digit)


def normal_images(images, labels, digit):
    """The images of ``digit`` only: the normal class a one-class model is
    trained on.

    Introduced in chapter 10.
    """
    digit = check_digit(digit)
    images = check_images(images)
    labels = check_labels(labels, length=len(images))
    if not np.any(labels == digit):
        raise ValueError(
            f"digit {digit} has no image in labels, so there is nothing to "
            f"train on; pick one of the digits they hold, "
            f"{np.unique(labels).tolist()}."
        )
    return images[labels == digit]


def anomaly_labels(labels, digit):
    """1 for every image that is *not* ``digit`` (an anomaly), 0 for the
    normal ones.

    Introduced in chapter 10.
    """
    digit = check_digit(digit)
    labels = check_labels(labels)
    return (labels != digit).astype("int64")


def _check_scored(is_anomaly, scores):
    check_same_length(is_anomaly, scores, "is_anomaly", "scores")
    scores = check_finite_array(scores, "scores", 1, "(n,)")
    is_anomaly = np.asarray(is_anomaly)
    if is_anomaly.ndim != 1 or not np.isin(is_anomaly, (0, 1)).all():
        raise ValueError(
            "is_anomaly must be a 1-d array of 0 (normal) and 1 (anomaly); "
            "make it with anomaly_labels(labels, digit)."
        )
    if len(np.unique(is_anomaly)) < 2:
        raise ValueError(
            "is_anomaly holds a single class; ROC-AUC needs both normal (0) "
            "and anomalous (1) images."
        )
    return is_anomaly.astype("int64"), scores.astype("float64")


def roc_auc(is_anomaly, scores):
    """ROC-AUC in percent of ``scores`` (higher = more anomalous) for the
    anomalies, with scikit-learn's ``roc_auc_score``.

    50 is chance, 100 a perfect ranking: every anomaly scored above every
    normal image.

    Introduced in chapter 10.
    """
    is_anomaly, scores = _check_scored(is_anomaly, scores)
    return 100.0 * float(roc_auc_score(is_anomaly, scores))


def roc_curve(is_anomaly, scores):
    """False and true positive rates (anomalies positive) of every
    threshold, from scikit-learn's ``roc_curve``.

    Introduced in chapter 10.
    """
    is_anomaly, scores = _check_scored(is_anomaly, scores)
    false_positive_rate, true_positive_rate, _ = sklearn_roc_curve(
        is_anomaly, scores
    )
    return false_positive_rate, true_positive_rate


def squared_errors(x_true, x_pred):
    """Per-image summed squared error: the plain reconstruction score.

    Introduced in chapter 10.
    """
    x_true = check_images(x_true, "x_true")
    x_pred = check_images(x_pred, "x_pred", require_unit_range=False)
    if x_true.shape != x_pred.shape:
        raise ValueError(
            f"x_true and x_pred must have the same shape, got {x_true.shape} "
            f"and {x_pred.shape}."
        )
    difference = (x_true - x_pred).reshape(len(x_true), -1)
    return np.sum(np.square(difference, dtype="float64"), axis=1)


def nearest_code_distances(normal_codes, codes, neighbours=1):
    """Distance from each code to its ``neighbours``-th nearest normal code
    (scikit-learn's ``NearestNeighbors``, Euclidean).

    For the normal codes themselves use ``training_code_distances``, which
    leaves each code's zero distance to itself out.

    Introduced in chapter 10.
    """
    normal_codes = check_codes(normal_codes, "normal_codes")
    codes = check_codes(codes, "codes")
    _check_code_widths(normal_codes, codes)
    check_positive_int(neighbours, "neighbours")
    if neighbours > len(normal_codes):
        raise ValueError(
            f"neighbours={neighbours} is more than the {len(normal_codes)} "
            "normal codes."
        )
    index = NearestNeighbors(n_neighbors=neighbours).fit(normal_codes)
    return index.kneighbors(codes)[0][:, -1]


def training_code_distances(normal_codes, neighbours=1):
    """``nearest_code_distances`` of the normal codes to the *other* normal
    codes (each code's own zero distance left out), for thresholds and
    standardisation.

    Introduced in chapter 10.
    """
    normal_codes = check_codes(normal_codes, "normal_codes")
    check_positive_int(neighbours, "neighbours")
    if neighbours >= len(normal_codes):
        raise ValueError(
            f"neighbours={neighbours} needs more than {neighbours} normal "
            f"codes, got {len(normal_codes)}."
        )
    index = NearestNeighbors(n_neighbors=neighbours + 1).fit(normal_codes)
    return index.kneighbors(normal_codes)[0][:, -1]


def _check_code_widths(normal_codes, codes):
    if normal_codes.shape[1] != codes.shape[1]:
        raise ValueError(
            f"normal_codes have {normal_codes.shape[1]} values per image and "
            f"codes {codes.shape[1]}; encode both with the same encoder."
        )


def standardise(training_scores, scores):
    """``(scores - mean) / std`` with the mean and standard deviation of the
    *training* scores, so that scores of different kinds can be added.

    Introduced in chapter 10.
    """
    training_scores = check_finite_array(
        training_scores, "training_scores", 1, "(n,)"
    )
    scores = check_finite_array(scores, "scores", 1, "(n,)")
    spread = float(np.std(training_scores))
    if spread == 0.0:
        raise ValueError(
            "training_scores are all equal, so they cannot set a scale."
        )
    return (scores - float(np.mean(training_scores))) / spread


def threshold(training_scores, rule="mean+std"):
    """A threshold from the training (normal) scores: ``"mean+std"`` (their
    mean plus one standard deviation) or ``"max"`` (the largest).

    Introduced in chapter 10.
    """
    training_scores = check_finite_array(
        training_scores, "training_scores", 1, "(n,)"
    )
    check_choice(rule, THRESHOLD_RULES, "rule")
    if rule == "max":
        return float(np.max(training_scores))
    return float(np.mean(training_scores) + np.std(training_scores))


def threshold_report(is_anomaly, scores, limit):
    """Precision, recall and F1 (percent) for the **anomalies** as the
    positive class when images scoring above ``limit`` are flagged, and the
    share of images flagged.

    Introduced in chapter 10.
    """
    is_anomaly, scores = _check_scored(is_anomaly, scores)
    limit = check_number(limit, "limit")
    flagged = (scores > limit).astype("int64")
    precision, recall, f1, _ = precision_recall_fscore_support(
        is_anomaly, flagged, pos_label=1, average="binary", zero_division=0
    )
    return {
        "precision": 100.0 * float(precision),
        "recall": 100.0 * float(recall),
        "f1": 100.0 * float(f1),
        "flagged": 100.0 * float(np.mean(flagged)),
    }


def auc_row(method, aucs):
    """A row for ``format_auc_table``: ``aucs`` lists the ROC-AUC (%) for the
    normal digits 0-9 in order; the mean is added.

    Introduced in chapter 10.
    """
    if not isinstance(method, str) or not method:
        raise ValueError(f"method must be a non-empty string, got {method!r}.")
    aucs = check_finite_array(aucs, "aucs", 1, "(10,)")
    if len(aucs) != DIGITS:
        raise ValueError(
            f"aucs must hold one ROC-AUC per digit 0-9 (10 values), got "
            f"{len(aucs)}."
        )
    if aucs.min() < 0 or aucs.max() > 100:
        raise ValueError("aucs must be percentages from 0 to 100.")
    if aucs.max() <= 1:
        raise ValueError(
            "aucs look like fractions (every value is at most 1); give "
            "percentages from 0 to 100, as roc_auc returns."
        )
    row = {"method": method, "mean": float(np.mean(aucs))}
    row.update({str(digit): float(auc) for digit, auc in enumerate(aucs)})
    return row


def format_auc_table(rows):
    """Markdown table of ``auc_row`` rows, one *column* per method and one
    row per normal digit 0-9, then the mean in bold (narrow enough for a
    phone).

    Introduced in chapter 10.
    """
    rows = check_rows(rows, "rows", "auc_row")
    for row in rows:
        missing = [
            key
            for key in ("method", "mean", *map(str, range(DIGITS)))
            if key not in row
        ]
        if missing:
            raise ValueError(
                f"rows must come from auc_row; a row lacks {missing}."
            )
    methods = [row["method"] for row in rows]
    if len(set(methods)) != len(methods):
        raise ValueError(f"rows repeat a method: {methods}.")
    table = [
        {
            "digit": str(digit),
            **{row["method"]: row[str(digit)] for row in rows},
        }
        for digit in range(DIGITS)
    ]
    table.append(
        {"digit": "mean", **{row["method"]: row["mean"] for row in rows}}
    )
    formats = {"digit": "{}", **{method: "{:.1f}" for method in methods}}
    text = markdown_table(table, formats, {"digit": "normal digit"})
    lines = text.splitlines()
    cells = lines[-1].split(" | ")
    bold = [cells[0].replace("mean", "**mean**")] + [
        f"**{cell.strip(' |')}**" for cell in cells[1:]
    ]
    lines[-1] = " | ".join(bold) + " |"
    return "\n".join(lines)
