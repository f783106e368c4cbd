"""companion.sequences and companion.detectors: windows, sequence
autoencoders, streaming scores, event counts and NAB's results format.

Backend-independent: also run on JAX (test_jax_backend).
"""

import csv

import numpy as np
import pytest

from companion import detectors, nab, sequences


def spike_series(length=400, spike=300, name="tiny/a.csv"):
    """A daily-looking sine with one spike after the probationary period
    and a label window around it."""
    timestamps = np.datetime64("2020-01-01T00:00") + np.arange(
        length
    ) * np.timedelta64(5, "m")
    values = np.sin(2 * np.pi * np.arange(length) / 24.0)
    values[spike] += 4.0
    return nab.Series(name, timestamps, values, ((spike - 5, spike + 5),))


def test_make_windows_and_standardise():
    windows = sequences.make_windows(np.arange(5.0), 3)
    assert windows.dtype == np.float32
    np.testing.assert_array_equal(windows, [[0, 1, 2], [1, 2, 3], [2, 3, 4]])
    scaled = sequences.standardise([1.0, 3.0, 5.0], [1.0, 3.0])
    np.testing.assert_allclose(scaled, [-1.0, 1.0, 3.0])


def test_model_shapes_and_the_keras_io_parameter_count():
    conv = sequences.build_conv1d_autoencoder()
    # keras-io's summary: 9,505 parameters for 288-step windows.
    assert conv.count_params() == 9505
    assert tuple(conv.output_shape) == (None, 288, 1)
    dense = sequences.build_dense_sequence_autoencoder(16, extra_inputs=4)
    assert tuple(dense.input_shape) == (None, 20)
    assert tuple(dense.output_shape) == (None, 16)
    lstm = sequences.build_lstm_autoencoder(12, units=8, code_size=3)
    assert tuple(lstm.output_shape) == (None, 12, 1)
    windows = np.zeros((2, 12, 1), "float32")
    assert lstm.predict(windows, verbose=0).shape == (2, 12, 1)


def test_window_errors_are_mean_absolute_errors():
    windows = np.zeros((2, 3, 1))
    reconstructions = np.array([[[1.0], [-1.0], [1.0]], [[0.0], [0], [3]]])
    np.testing.assert_allclose(
        sequences.window_errors(windows, reconstructions), [1.0, 1.0]
    )


def test_flag_records_needs_every_covering_window():
    # 6 windows of 3 records cover 8 records; windows 1-4 are flagged.
    flags = np.array([False, True, True, True, True, False])
    records = sequences.flag_records(flags, 3)
    assert len(records) == 8
    # Record i is covered by windows i-2..i: all flagged for i = 3 and 4.
    assert list(np.flatnonzero(records)) == [3, 4]


def test_time_features():
    stamps = np.array(
        ["1970-01-01T00:00", "1970-01-01T06:00", "1970-01-04T12:00"],
        dtype="datetime64[s]",
    )
    features = detectors.time_features(stamps)
    assert features.shape == (3, 4)
    np.testing.assert_allclose(features[0], [0, 1, 0, 1], atol=1e-6)
    np.testing.assert_allclose(features[1, :2], [1, 0], atol=1e-6)
    # Three and a half days: half a week, the far side of the week circle.
    np.testing.assert_allclose(features[2, 2:], [0, -1], atol=1e-6)


def test_spatial_scores_by_hand():
    values = [0.0, 1.0, 1.04, 1.1, 0.5, -0.1, 2.0]
    # Record 1: the range so far is 0 wide, no alarm. Record 2: range
    # [0, 1], margin 0.05, 1.04 is inside; record 3: [0, 1.04], margin
    # 0.052, 1.1 is outside. Then [0, 1.1], margin 0.055: -0.1 is outside.
    scores = detectors.spatial_scores(values)
    assert list(scores) == [0, 0, 0, 1, 0, 1, 1]
    assert list(detectors.spatial_scores(values, 0.0)) == [0, 0, 1, 1, 0, 1, 1]


def test_error_scores_use_only_the_past():
    rng = np.random.default_rng(0)
    errors = rng.random(100)
    errors[60] = 10.0
    scores = detectors.error_scores(errors, 5)
    assert scores.min() >= 0 and scores.max() < 1
    assert np.argmax(scores) == 60
    assert np.all(scores[:16] == 0)  # up to first, then 10 to learn from
    # By hand for record 60: z against errors[5:60].
    past = errors[5:60]
    z = (errors[60] - past.mean()) / past.std()
    assert scores[60] == pytest.approx(z / (1 + z))
    # Changing the future leaves earlier scores as they were.
    later = errors.copy()
    later[80:] = 100.0
    np.testing.assert_array_equal(
        detectors.error_scores(later, 5)[:80], scores[:80]
    )


def test_keep_new_highs():
    scores = np.array([0.1, 0.5, 0.6, 0.6, 0.2, 0.55, 0.0, 0.7])
    kept = detectors.keep_new_highs(scores, 2)
    # 0.6 repeats (not higher), 0.55 is below the 0.6 two records back.
    np.testing.assert_array_equal(kept, [0.1, 0.5, 0.6, 0, 0, 0, 0, 0.7])
    assert np.all(detectors.keep_new_highs(scores, 1)[[1, 2, 5]] > 0)


@pytest.mark.parametrize(
    "errors",
    [
        lambda series: detectors.pca_errors(series, 12, 3),
        lambda series: detectors.isolation_forest_errors(series, 12),
        lambda series: detectors.autoencoder_errors(series, 12, epochs=30),
    ],
    ids=["pca", "isolation_forest", "autoencoder"],
)
def test_detectors_find_a_spike(errors):
    series = spike_series()
    raw = errors(series)
    assert raw.shape == (400,) and np.all(raw[:11] == 0)
    scores = detectors.error_scores(raw, 11)
    after = nab.probation_length(400)  # 60
    assert after + np.argmax(scores[after:]) in range(300, 312)


def test_autoencoder_errors_are_seeded():
    series = spike_series()
    first = detectors.autoencoder_errors(series, 12, epochs=2, seed=1)
    second = detectors.autoencoder_errors(series, 12, epochs=2, seed=1)
    np.testing.assert_array_equal(first, second)


def test_event_counts_by_hand():
    series = spike_series()  # window (295, 305), probation 60
    scores = np.zeros(400)
    scores[[10, 100, 101, 297, 350]] = 0.9  # 10 is in probation
    counts = detectors.event_counts({series.name: scores}, [series], 0.5)
    row = counts["all"]
    assert counts["tiny"] == row
    assert (row["windows"], row["found"], row["false_alarms"]) == (1, 1, 3)
    assert row["precision"] == pytest.approx(1 / 4)
    assert row["recall"] == 1.0
    assert row["f1"] == pytest.approx(2 * 0.25 / 1.25)
    none = detectors.event_counts({series.name: scores}, [series], 1.0)
    assert none["all"]["f1"] == 0.0


def test_write_nab_results_round_trip(tmp_path):
    series = spike_series()
    scores = np.linspace(0, 1, 400) / 3
    written = detectors.write_nab_results(
        tmp_path, "my_detector", {series.name: scores}, [series]
    )
    path = written / "tiny" / "my_detector_a.csv"
    assert written == tmp_path / "my_detector"
    with open(path) as file:
        rows = list(csv.DictReader(file))
    assert list(rows[0]) == ["timestamp", "value", "anomaly_score", "label"]
    assert rows[0]["timestamp"] == "2020-01-01 00:00:00"
    assert [int(row["label"]) for row in rows].count(1) == 11
    assert rows[295]["label"] == "1" and rows[294]["label"] == "0"
    read = np.array([float(row["anomaly_score"]) for row in rows])
    np.testing.assert_array_equal(read, nab.round_like_nab(scores))
    assert not list(tmp_path.rglob("*.part"))


def test_write_nab_results_replaces_an_earlier_run(tmp_path):
    first, second = spike_series(name="a/x.csv"), spike_series(name="b/y.csv")
    scores = {name: np.zeros(400) for name in ("a/x.csv", "b/y.csv")}
    detectors.write_nab_results(tmp_path, "ae", scores, [first, second])
    written = detectors.write_nab_results(tmp_path, "ae", scores, [second])
    # Only the second run's file: a stale a/ae_x.csv would be scored too.
    assert sorted(p.name for p in written.rglob("*.csv")) == ["ae_y.csv"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ae"]
