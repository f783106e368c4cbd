"""companion.nab: NAB's series, label windows and score.

The scorer is checked on small series whose scores are worked out by hand
below, and on the whole corpus, where NAB's windowed-Gaussian detector must
score what NAB publishes (39.6, 20.9 and 47.4 on its three profiles).
"""

import json
import math
import os
import pathlib

import numpy as np
import pytest

from companion import nab

ROOT = pathlib.Path(__file__).resolve().parent.parent
LOCAL_NAB = pathlib.Path(
    os.environ.get(nab.NAB_PATH_VARIABLE, "")
    or ROOT.parent / "shared" / "data" / "nab"
)


def sigmoid(position):
    """NAB's scaled sigmoid, written out: 2 / (1 + e^(5x)) - 1."""
    return 2 / (1 + math.exp(5 * position)) - 1


def tiny_series(length=20, windows=((8, 11),)):
    timestamps = np.datetime64("2020-01-01T00:00:00") + np.arange(
        length
    ) * np.timedelta64(5, "m")
    return nab.Series("tiny/a.csv", timestamps, np.zeros(length), windows)


def test_probation_is_15_percent_at_most_750():
    assert nab.probation_length(20) == 3
    assert nab.probation_length(4032) == 604
    assert nab.probation_length(22695) == 750


def test_record_weights_by_hand():
    weights, ids = nab.record_weights(20, [(8, 11)], "standard")
    best = sigmoid(-1.0)
    # Records 0-2: probation; 3-7: before any window, a full false alarm.
    assert list(ids[:3]) == [nab.PROBATION] * 3
    assert weights[3:8] == pytest.approx([-0.11] * 5)
    # Inside the window of 4 records, record i sits at -(11 - i + 1) / 4.
    assert list(ids[8:12]) == [0, 0, 0, 0]
    assert weights[8] == pytest.approx(1.0)
    assert weights[11] == pytest.approx(sigmoid(-0.25) / best)
    # After it, |i - 11| / (4 - 1), charged at the FP weight.
    assert weights[12] == pytest.approx(0.11 * sigmoid(1 / 3))
    assert weights[19] == pytest.approx(0.11 * sigmoid(8 / 3))  # ~ -0.11
    assert ids[12] == nab.OUTSIDE


def test_score_by_hand():
    series = tiny_series()
    scores = np.zeros(20)
    scores[1] = 0.95  # in probation: never counts
    scores[9] = 0.9  # in the window, 3 records before its end
    scores[15] = 0.8  # a false alarm 4 records after the window
    scores[4] = 0.7  # a false alarm before any window
    result = nab.score_corpus({"tiny/a.csv": scores}, [series])
    detected = sigmoid(-3 / 4) / sigmoid(-1.0)
    # Lower thresholds add the two false alarms, which only cost.
    assert result["threshold"] == 0.9
    assert result["raw"] == pytest.approx(detected)
    assert result["normalized"] == pytest.approx(100 * (detected + 1) / 2)
    low_fn = nab.score_corpus(
        {"tiny/a.csv": scores}, [series], "reward_low_FN_rate"
    )
    assert low_fn["normalized"] == pytest.approx(
        100 * (detected + 2) / (1 + 2)
    )


def test_null_and_perfect_detectors_score_0_and_100():
    """A constant score detects everything or nothing; on a long series
    nothing is better (NAB's null detector), which scores 0."""
    series = tiny_series(2000, ((1000, 1009), (1500, 1549)))
    perfect = np.zeros(2000)
    perfect[[1000, 1500]] = 1.0
    for profile in nab.PROFILES:
        null = nab.score_corpus(
            {series.name: np.full(2000, 0.5)}, [series], profile
        )
        best = nab.score_corpus({series.name: perfect}, [series], profile)
        assert null["normalized"] == pytest.approx(0.0)
        assert best["normalized"] == pytest.approx(100.0)


def reference_gaussian(values, window, step):
    """NAB's detector as it reads: a list that fills, then slides."""
    data, buffer, mean, std, scores = [], [], 0.0, 1.0, []
    for value in values:
        score = 0.0
        if data:
            z = abs(value - mean) / std
            score = 1 - 0.5 * math.erfc(z / math.sqrt(2))
        scores.append(score)
        if len(data) < window:
            data.append(value)
        else:
            buffer.append(value)
            if len(buffer) < step:
                continue
            data, buffer = data[step:] + buffer, []
        mean, std = np.mean(data), np.std(data) or 1e-6
    return np.array(scores)


def test_windowed_gaussian_follows_its_definition():
    values = np.random.default_rng(0).normal(size=200).cumsum()
    for window, step in [(5, 2), (20, 7), (300, 100), (4, 4)]:
        np.testing.assert_allclose(
            nab.windowed_gaussian_scores(values, window, step),
            reference_gaussian(values, window, step),
            rtol=0,
            atol=1e-12,
        )
    # A value at the mean scores 1 - Q(0) = 0.5; the first record 0.
    flat = nab.windowed_gaussian_scores(np.ones(10), 5, 1)
    assert list(flat) == [0.0] + [0.5] * 9


def test_round_like_nab():
    rounded = nab.round_like_nab([0.99999999999997, 0.123456789012345, 0])
    assert list(rounded) == [1.0, 0.123456789012, 0.0]


def write_copy(folder, rows, windows):
    (folder / "data" / "tiny").mkdir(parents=True)
    (folder / "labels").mkdir()
    lines = ["timestamp,value"] + [f"{t},{v}" for t, v in rows]
    (folder / "data" / "tiny" / "a.csv").write_text("\n".join(lines))
    (folder / nab.LABELS_FILE).write_text(json.dumps({"tiny/a.csv": windows}))


def test_load_series_from_a_local_copy(tmp_path):
    rows = [(f"2020-01-01 00:0{i}:00", i * 1.5) for i in range(8)]
    window = ["2020-01-01 00:02:00.000000", "2020-01-01 00:04:00.000000"]
    write_copy(tmp_path, rows, [window])
    assert nab.series_names(tmp_path) == ["tiny/a.csv"]
    series = nab.load_series("tiny/a.csv", tmp_path)
    assert series.windows == ((2, 4),)
    assert series.values[-1] == 10.5
    assert series.timestamps[0] == np.datetime64("2020-01-01T00:00:00")


def test_repeated_times_are_kept_unless_strict(tmp_path):
    rows = [("2020-01-01 00:00:00", 1), ("2020-01-01 00:00:00", 2)]
    rows += [(f"2020-01-01 00:0{i}:00", i) for i in range(1, 6)]
    write_copy(tmp_path, rows, [])
    assert len(nab.load_series("tiny/a.csv", tmp_path).values) == 7
    with pytest.raises(ValueError, match="record 1"):
        nab.load_series("tiny/a.csv", tmp_path, strict_time=True)


@pytest.mark.skipif(
    not (LOCAL_NAB / nab.LABELS_FILE).is_file(),
    reason=f"no local copy of NAB (set {nab.NAB_PATH_VARIABLE})",
)
def test_windowed_gaussian_scores_what_nab_publishes():
    """NAB's scoreboard: windowed Gaussian 39.6 / 20.9 / 47.4."""
    corpus = [
        nab.load_series(name, LOCAL_NAB)
        for name in nab.series_names(LOCAL_NAB)
    ]
    assert len(corpus) == 58
    assert sum(len(series.windows) for series in corpus) == 116
    scores = {
        series.name: nab.round_like_nab(
            nab.windowed_gaussian_scores(series.values)
        )
        for series in corpus
    }
    published = {
        "standard": 39.6,
        "reward_low_FP_rate": 20.9,
        "reward_low_FN_rate": 47.4,
    }
    for profile, score in published.items():
        result = nab.score_corpus(scores, corpus, profile)
        assert round(result["normalized"], 1) == score, (profile, result)
        assert result["threshold"] == 1.0
