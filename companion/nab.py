"""The Numenta Anomaly Benchmark (NAB): its series, its label windows and
its score.

NAB (Lavin and Ahmad 2015) has 58 univariate time series with timestamps
and 116 labelled anomaly windows. A detector reads each series in time
order and gives every record an anomaly score in [0, 1]; NAB rewards the
first detection inside a window (more for an early one, along a scaled
sigmoid), charges false alarms (less for those just after a window) and
missed windows, ignores the first 15% of each series (the probationary
period, at most 750 records), picks one threshold per detector for the
whole corpus and normalises the total so that the null detector (no
detections) scores 0 and a perfect one 100. This module implements that
from the paper and the repository's documentation; ``score_corpus`` with
``windowed_gaussian_scores`` gives NAB's published 39.6 / 20.9 / 47.4 for
its windowed-Gaussian detector (``tests/test_nab.py``).

The data are read from a local copy in the layout of the NAB repository
(``data/<folder>/<file>.csv``, ``labels/combined_windows.json``): the folder
passed as ``path`` or named by ``AUTOENCODERS_NAB``; otherwise each file is
downloaded from the NAB repository once (``keras.utils.get_file``).

Introduced in the chapter "Time series and sequences".
"""

import dataclasses
import json
import math
import os
import pathlib

import numpy as np

from companion.checks import (
    check_choice,
    check_finite_array,
    check_positive_int,
)

NAB_PATH_VARIABLE = "AUTOENCODERS_NAB"
"""Environment variable naming a local copy of the NAB repository's files."""

NAB_COMMIT = "ea702d75cc2258d9d7dd35ca8e5e2539d71f3140"
"""The NAB commit whose data and labels are downloaded."""

NAB_URL = f"https://raw.githubusercontent.com/numenta/NAB/{NAB_COMMIT}/"

LABELS_FILE = "labels/combined_windows.json"

PROFILES = {
    "standard": {"tp": 1.0, "fp": 0.11, "fn": 1.0},
    "reward_low_FP_rate": {"tp": 1.0, "fp": 0.22, "fn": 1.0},
    "reward_low_FN_rate": {"tp": 1.0, "fp": 0.11, "fn": 2.0},
}
"""NAB's application profiles: the weights of a true positive, a false
positive and a false negative (a missed window)."""

PROBATION_FRACTION = 0.15
"""Share of each series (at most 750 records) that no detection counts in."""

OUTSIDE = -1
"""Window id of a record outside every window (``record_weights``)."""

PROBATION = -2
"""Window id of a record in the probationary period."""


@dataclasses.dataclass(frozen=True)
class Series:
    """One NAB series: its name (``folder/file.csv``), timestamps
    (``datetime64[s]``), values and label windows, each as the indices of
    its first and last record."""

    name: str
    timestamps: np.ndarray
    values: np.ndarray
    windows: tuple


def _root(path):
    if path is None:
        path = os.environ.get(NAB_PATH_VARIABLE, "").strip() or None
    if path is None:
        return None
    if not isinstance(path, (str, os.PathLike)):
        raise ValueError(
            f"path must be a folder name, got {type(path).__name__}."
        )
    root = pathlib.Path(path)
    if not (root / LABELS_FILE).is_file():
        raise ValueError(
            f"path {str(root)!r} is not a copy of NAB: it has no "
            f"{LABELS_FILE}. Point path (or {NAB_PATH_VARIABLE}) at the "
            "folder that holds data/ and labels/."
        )
    return root


def _file(relative, path):
    """Local path of one of NAB's files, downloaded if there is no copy."""
    root = _root(path)
    if root is not None:
        return root / relative
    import keras

    folder, name = relative.rsplit("/", 1)
    return pathlib.Path(
        keras.utils.get_file(
            name, NAB_URL + relative, cache_subdir=f"datasets/nab/{folder}"
        )
    )


def _labels(path):
    labels_path = _file(LABELS_FILE, path)
    try:
        return json.loads(labels_path.read_text())
    except (OSError, ValueError) as error:
        raise ValueError(
            f"{labels_path} could not be read as NAB's label windows "
            f"({error})."
        ) from None


def series_names(path=None):
    """Return the names of NAB's 58 series (``folder/file.csv``), sorted.

    Introduced in the chapter "Time series and sequences".
    """
    return sorted(_labels(path))


def _read_csv(csv_path, name):
    try:
        lines = csv_path.read_text().splitlines()
    except OSError as error:
        raise ValueError(
            f"name={name!r}: its file could not be read ({error})."
        ) from None
    if not lines or lines[0].strip() != "timestamp,value":
        raise ValueError(
            f"name={name!r}: {csv_path} is not a NAB series: its first line "
            "must be "
            "'timestamp,value'."
        )
    stamps, values = [], []
    for number, line in enumerate(lines[1:], start=2):
        parts = line.split(",")
        try:
            if len(parts) != 2:
                raise ValueError("expected two fields")
            stamps.append(np.datetime64(parts[0].strip(), "s"))
            values.append(float(parts[1]))
        except ValueError as error:
            raise ValueError(
                f"name={name!r}: {csv_path}, line {number}: {line!r} is not "
                f"'timestamp,value' ({error})."
            ) from None
    return np.array(stamps, dtype="datetime64[s]"), np.array(values)


def _window_indices(timestamps, limits, name):
    windows = []
    for start, end in limits:
        first = np.flatnonzero(timestamps == np.datetime64(start[:19], "s"))
        last = np.flatnonzero(timestamps == np.datetime64(end[:19], "s"))
        if len(first) == 0 or len(last) == 0:
            raise ValueError(
                f"name={name!r}: a label window ({start} to {end}) does not "
                "start and end at records of the series."
            )
        windows.append((int(first[0]), int(last[0])))
    return check_windows(
        windows, len(timestamps), f"the label windows of name={name!r}"
    )


def load_series(name, path=None, strict_time=False):
    """Load one NAB series by name (``"realKnownCause/nyc_taxi.csv"``).

    Raises ``ValueError`` for an unknown name, a missing or corrupt file,
    values that are not finite, and label windows that do not fit the
    series; with ``strict_time=True`` also for timestamps that repeat or go
    back in time. That is off by default because NAB's own files have such
    records (clock changes: eight series repeat a time, one goes back an
    hour), and NAB scores records in file order, not times (a window starts
    and ends at the first record with its start and end time).

    Introduced in the chapter "Time series and sequences".
    """
    if not isinstance(name, str):
        raise ValueError(
            f"name must be a series name such as "
            f"'realKnownCause/nyc_taxi.csv', got {type(name).__name__}."
        )
    if not isinstance(strict_time, bool):
        raise ValueError(
            f"strict_time must be True or False, got {strict_time!r}."
        )
    labels = _labels(path)
    if name not in labels:
        close = [known for known in labels if name in known][:3]
        raise ValueError(
            f"name {name!r} is not a NAB series"
            + (f" (did you mean {close}?)" if close else "")
            + "; series_names() lists them."
        )
    timestamps, values = _read_csv(_file(f"data/{name}", path), name)
    if len(values) < 2:
        raise ValueError(
            f"name={name!r}: the series has fewer than 2 records."
        )
    steps = np.diff(timestamps).astype("int64")
    if strict_time and np.any(steps <= 0):
        where = int(np.flatnonzero(steps <= 0)[0]) + 1
        raise ValueError(
            f"name={name!r}: the timestamps repeat or go back in time at "
            f"record {where} ({timestamps[where]}); strict_time=False keeps "
            "the records in file order, as NAB scores them."
        )
    if not np.all(np.isfinite(values)):
        raise ValueError(
            f"name={name!r}: the series has NaN or infinite values."
        )
    windows = _window_indices(timestamps, labels[name], name)
    return Series(name, timestamps, values, windows)


def check_series(series, name="series"):
    """Return ``series`` after checking it is a ``Series`` (from
    ``load_series``).

    Introduced in the chapter "Time series and sequences".
    """
    if not isinstance(series, Series):
        raise ValueError(
            f"{name} must be a Series from nab.load_series, got "
            f"{type(series).__name__}."
        )
    return series


def check_windows(windows, length, name="windows"):
    """Return label windows as a tuple of ``(first, last)`` record indices,
    checking that each has at least 2 records, lies within a series of
    ``length`` records, and that they come in order without overlapping.

    Introduced in the chapter "Time series and sequences".
    """
    check_positive_int(length, "length")
    try:
        pairs = [tuple(pair) for pair in windows]
    except TypeError:
        raise ValueError(
            f"{name} must be a list of (first, last) index pairs, got "
            f"{windows!r}."
        ) from None
    previous = -1
    for pair in pairs:
        if len(pair) != 2 or not all(
            isinstance(i, (int, np.integer)) and not isinstance(i, bool)
            for i in pair
        ):
            raise ValueError(
                f"{name} must hold (first, last) pairs of record indices, "
                f"got {pair!r}."
            )
        first, last = int(pair[0]), int(pair[1])
        if last - first + 1 < 2:
            raise ValueError(
                f"{name}: window {pair} has fewer than 2 records."
            )
        if first <= previous or last >= length:
            raise ValueError(
                f"{name}: window {pair} overlaps the one before it or lies "
                f"outside the series of {length} records."
            )
        previous = last
    return tuple((int(a), int(b)) for a, b in pairs)


def probation_length(length):
    """Return the number of records at the start of a series of ``length``
    records in which NAB counts no detection: 15%, at most 750.

    Introduced in the chapter "Time series and sequences".
    """
    check_positive_int(length, "length")
    return int(min(math.floor(PROBATION_FRACTION * length), 750))


def windowed_gaussian_scores(values, window=6400, step=100):
    """Score each record by NAB's windowed-Gaussian detector:
    ``1 - Q(|z|)``, with ``z`` the record's distance from the mean of the
    previous values in standard deviations (Q is the normal tail
    probability). The statistics cover every earlier value until there are
    ``window`` of them, then the last ``window`` values, refreshed every
    ``step`` records. The first record scores 0.

    Introduced in the chapter "Time series and sequences".
    """
    values = check_finite_array(values, "values", ndim=1, shape_text="(n,)")
    values = values.astype("float64")
    check_positive_int(window, "window")
    check_positive_int(step, "step")
    if step > window:
        raise ValueError(
            f"step must be at most window ({window}), got {step}."
        )
    scores = np.zeros(len(values))
    count, mean, spread = 0, 0.0, 0.0  # Welford's running mean and sum of
    for i in range(1, len(values)):  # squared deviations, until full
        if i <= window:
            count += 1
            delta = values[i - 1] - mean
            mean += delta / count
            spread += delta * (values[i - 1] - mean)
            std = math.sqrt(spread / count)
        elif (i - window) % step == 0:
            data = values[i - window : i]
            mean, std = float(np.mean(data)), float(np.std(data))
        std = std if std != 0.0 else 1e-6
        distance = abs(values[i] - mean) / std
        scores[i] = 1.0 - 0.5 * math.erfc(distance / math.sqrt(2.0))
    return scores


def round_like_nab(scores):
    """Round scores to 12 significant digits, as NAB's result files store
    them (so 0.9999999999999 becomes 1.0, which decides NAB's thresholds).

    Introduced in the chapter "Time series and sequences".
    """
    scores = check_finite_array(scores, "scores")
    return np.array([float(f"{value:.12g}") for value in scores.ravel()])


def _scaled_sigmoid(position):
    if position >= 3.0:
        return -1.0
    return 2.0 / (1.0 + math.exp(5.0 * position)) - 1.0


def record_weights(length, windows, profile="standard"):
    """Return what detecting each record is worth under NAB's ``profile``,
    and the window each record belongs to.

    Inside a window a detection earns up to the profile's TP weight, less
    the later it comes (a scaled sigmoid of its position); outside, it costs
    up to the FP weight, less just after a window. Window ids count from 0;
    ``OUTSIDE`` marks a record outside every window and ``PROBATION`` one in
    the probationary period.

    Introduced in the chapter "Time series and sequences".
    """
    windows = check_windows(windows, length)
    check_choice(profile, tuple(PROFILES), "profile")
    weights_of = PROFILES[profile]
    weights = np.empty(length)
    ids = np.full(length, OUTSIDE)
    best = _scaled_sigmoid(-1.0)
    previous_end, previous_width = None, None
    next_window = 0
    for i in range(length):
        if next_window < len(windows) and i > windows[next_window][1]:
            first, last = windows[next_window]
            previous_end, previous_width = last, last - first + 1
            next_window += 1
        if next_window < len(windows) and i >= windows[next_window][0]:
            first, last = windows[next_window]
            position = -(last - i + 1) / (last - first + 1)
            weights[i] = _scaled_sigmoid(position) * weights_of["tp"] / best
            ids[i] = next_window
        else:
            position = (
                3.0
                if previous_end is None
                else abs(i - previous_end) / (previous_width - 1)
            )
            weights[i] = _scaled_sigmoid(position) * weights_of["fp"]
    ids[: probation_length(length)] = PROBATION
    return weights, ids


def check_scores(scores, corpus):
    """Return ``scores`` (a dict from series name to one score per record)
    as float64 arrays after checking that ``corpus`` is a non-empty list
    of ``Series`` and that every series has one finite score in [0, 1]
    per record.

    Introduced in the chapter "Time series and sequences".
    """
    if not isinstance(corpus, (list, tuple)) or not all(
        isinstance(series, Series) for series in corpus
    ):
        raise ValueError(
            "corpus must be a list of Series from load_series, got "
            f"{type(corpus).__name__}."
        )
    if not corpus:
        raise ValueError("corpus is empty.")
    if not isinstance(scores, dict):
        raise ValueError(
            "scores must be a dict from series name to one score per "
            f"record, got {type(scores).__name__}."
        )
    missing = [s.name for s in corpus if s.name not in scores]
    if missing:
        raise ValueError(
            f"scores has no scores for {missing[:3]} ({len(missing)} of "
            f"{len(corpus)} series)."
        )
    checked = {}
    for series in corpus:
        values = check_finite_array(
            scores[series.name], f"scores[{series.name!r}]", ndim=1
        )
        if len(values) != len(series.values):
            raise ValueError(
                f"scores[{series.name!r}] has {len(values)} scores for "
                f"{len(series.values)} records."
            )
        if values.min() < 0 or values.max() > 1:
            raise ValueError(
                f"scores[{series.name!r}] must lie in [0, 1], found "
                f"[{values.min():.3g}, {values.max():.3g}]."
            )
        checked[series.name] = values.astype("float64")
    return checked


def score_corpus(scores, corpus, profile="standard"):
    """Score a detector over ``corpus`` (a list of ``Series``) the way NAB
    does: every record at or above a threshold is a detection; only the
    best (earliest) detection in a window counts; the threshold is the one,
    shared by all series, that gives the highest total. Returns a dict with
    ``threshold``, the ``raw`` total, the ``normalized`` score (null
    detector 0, perfect detector 100) and the number of ``windows``.

    ``scores`` maps each series name to one score in [0, 1] per record.
    Pass them through ``round_like_nab`` to reproduce NAB's own files.

    Introduced in the chapter "Time series and sequences".
    """
    check_choice(profile, tuple(PROFILES), "profile")
    scores = check_scores(scores, corpus)
    all_scores, all_weights, all_ids = [], [], []
    windows = 0
    for series in corpus:
        weights, ids = record_weights(
            len(series.values), series.windows, profile
        )
        counted = ids != PROBATION
        inside = ids >= 0
        ids = np.where(inside, ids + windows, ids)
        windows += len(set(ids[inside & counted].tolist()))
        all_scores.append(scores[series.name][counted])
        all_weights.append(weights[counted])
        all_ids.append(ids[counted])
    all_scores = np.concatenate(all_scores)
    all_weights = np.concatenate(all_weights)
    all_ids = np.concatenate(all_ids)
    miss = PROFILES[profile]["fn"]
    order = np.argsort(-all_scores, kind="stable")
    best_total, best_threshold = -miss * windows, 1.1
    detected = {}
    false_alarms = 0.0
    position = 0
    while position < len(order):
        threshold = all_scores[order[position]]
        while (
            position < len(order) and all_scores[order[position]] == threshold
        ):
            record = order[position]
            window = int(all_ids[record])
            if window == OUTSIDE:
                false_alarms += all_weights[record]
            else:
                detected[window] = max(
                    detected.get(window, -miss), all_weights[record]
                )
            position += 1
        total = (
            sum(detected.values())
            + false_alarms
            - miss * (windows - len(detected))
        )
        if total > best_total:
            best_total, best_threshold = total, float(threshold)
    null, perfect = -miss * windows, PROFILES[profile]["tp"] * windows
    return {
        "threshold": best_threshold,
        "raw": float(best_total),
        "normalized": float(100 * (best_total - null) / (perfect - null)),
        "windows": windows,
    }
