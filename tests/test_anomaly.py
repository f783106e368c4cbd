"""Tests of companion.anomaly: the one-class protocol, ROC-AUC with the
anomaly as the positive class, code distances, thresholds and the table.
"""

import numpy as np
import pytest

from companion import anomaly

LABELS = np.array([0, 1, 2, 3, 3, 3, 4, 5, 6, 7, 8, 9])


def test_deep_svdd_reference_mean():
    assert np.mean(anomaly.DEEP_SVDD_AUC) == pytest.approx(94.8, abs=0.05)


def test_normal_images_and_anomaly_labels():
    images = np.linspace(0, 1, len(LABELS) * 4).reshape(len(LABELS), 4)
    normal = anomaly.normal_images(images, LABELS, 3)
    assert len(normal) == 3
    labels = anomaly.anomaly_labels(LABELS, 3)
    assert labels.tolist() == [1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1]


def test_roc_auc_treats_the_anomaly_as_positive():
    is_anomaly = np.array([0, 0, 1, 1])
    assert anomaly.roc_auc(is_anomaly, [0.1, 0.2, 0.8, 0.9]) == 100.0
    # Scores that rank normal images higher give the complement.
    assert anomaly.roc_auc(is_anomaly, [0.9, 0.8, 0.2, 0.1]) == 0.0
    assert anomaly.roc_auc(is_anomaly, [0.5, 0.5, 0.5, 0.5]) == 50.0
    fpr, tpr = anomaly.roc_curve(is_anomaly, [0.1, 0.2, 0.8, 0.9])
    assert fpr[0] == 0.0 and tpr[-1] == 1.0


def test_squared_errors_per_image():
    x_true = np.zeros((2, 4), dtype="float32")
    x_pred = np.array([[0.5, 0, 0, 0], [1, 1, 0, 0]], dtype="float32")
    np.testing.assert_allclose(
        anomaly.squared_errors(x_true, x_pred), [0.25, 2.0]
    )


def test_code_distances():
    normal = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 2.0]])
    codes = np.array([[0.0, 0.1], [5.0, 0.0]])
    np.testing.assert_allclose(
        anomaly.nearest_code_distances(normal, codes), [0.1, 4.0]
    )
    np.testing.assert_allclose(
        anomaly.training_code_distances(normal), [1.0, 1.0, 2.0]
    )


def test_standardise_and_thresholds():
    training = np.array([1.0, 2.0, 3.0])
    assert anomaly.standardise(training, np.array([2.0]))[0] == 0.0
    assert anomaly.threshold(training, "max") == 3.0
    assert anomaly.threshold(training, "mean+std") == pytest.approx(
        2.0 + np.std(training)
    )


def test_threshold_report_counts_anomalies_as_positive():
    is_anomaly = np.array([0, 0, 0, 1, 1])
    scores = np.array([0.1, 0.2, 0.9, 0.8, 0.3])
    report = anomaly.threshold_report(is_anomaly, scores, 0.5)
    # Flagged: the third (normal) and the fourth (anomaly) image.
    assert report["precision"] == pytest.approx(50.0)
    assert report["recall"] == pytest.approx(50.0)
    assert report["flagged"] == pytest.approx(40.0)


def test_auc_table_has_a_column_per_digit_and_the_mean():
    row = anomaly.auc_row("PCA", np.arange(90.0, 100.0))
    assert row["mean"] == pytest.approx(94.5)
    svdd = anomaly.auc_row("Deep SVDD", anomaly.DEEP_SVDD_AUC)
    lines = anomaly.format_auc_table([row, svdd]).splitlines()
    # Header, separator, one row per digit, the mean: a column per method.
    assert len(lines) == 13
    assert lines[0] == "| normal digit | PCA | Deep SVDD |"
    assert lines[2].startswith("| 0 | 90.0 | 98.0")
    assert lines[-1] == "| **mean** | **94.5** | **94.8** |"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: anomaly.check_digit(10), "digit must be an integer 0-9"),
        (lambda: anomaly.check_digit(-1), "digit must be an integer 0-9"),
        (lambda: anomaly.check_digit(3.0), "digit must be an integer 0-9"),
        (
            lambda: anomaly.roc_auc([0, 1, 1], [0.1, 0.2]),
            "same length",
        ),
        (
            lambda: anomaly.roc_auc([0, 1], [0.1, np.nan]),
            "NaN",
        ),
        (
            lambda: anomaly.roc_auc([1, 1], [0.1, 0.2]),
            "single class",
        ),
        (
            lambda: anomaly.roc_auc([0, 2], [0.1, 0.2]),
            "0 \\(normal\\) and 1 \\(anomaly\\)",
        ),
        (
            lambda: anomaly.normal_images(np.zeros((2, 4)), [0, 1, 2], 1),
            "one label per image",
        ),
        (
            lambda: anomaly.nearest_code_distances(
                np.zeros((3, 2)), np.zeros((2, 3))
            ),
            "same encoder",
        ),
        (
            lambda: anomaly.nearest_code_distances(
                np.zeros((3, 2)), np.zeros((2, 2)), 4
            ),
            "more than the 3",
        ),
        (
            lambda: anomaly.standardise(np.ones(3), np.ones(2)),
            "all equal",
        ),
        (
            lambda: anomaly.threshold(np.ones(3), "median"),
            "rule must be one of",
        ),
        (
            lambda: anomaly.auc_row("a", np.ones(9)),
            "one ROC-AUC per digit",
        ),
        (
            lambda: anomaly.auc_row("a", np.full(10, 0.95) * 200),
            "percentages",
        ),
        (
            lambda: anomaly.format_auc_table([{"method": "a"}]),
            "a row lacks",
        ),
        (
            lambda: anomaly.format_auc_table(
                [anomaly.auc_row("a", np.full(10, 90.0))] * 2
            ),
            "repeat a method",
        ),
    ],
)
def test_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()
