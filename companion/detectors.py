"""Streaming anomaly detectors for NAB: each reads a series in time order,
learns only from its probationary period and scores every record from the
past alone.

A detector here has two parts. The first gives each record a raw error:
how badly a model fitted to the probationary period reconstructs the
newest record of the window that ends there (``autoencoder_errors``,
``pca_errors``), or how isolated that window is
(``isolation_forest_errors``). The second, ``error_scores``, turns the
errors into scores in [0, 1]: the newest error's distance, in standard
deviations, from all errors seen before it, squashed as ``z / (1 + z)``
(a running tail probability that never saturates, so the threshold search
can still tell large anomalies from huge ones); ``keep_new_highs`` lets a
run of high scores alarm once. ``spatial_scores`` is
NAB's HTM detector's range rule, and ``event_counts`` and
``write_nab_results`` measure and export what a detector flags.

Introduced in the chapter "Time series and sequences".
"""

import os
import pathlib
import shutil

import keras
import numpy as np

from companion import nab
from companion.checks import (
    check_finite_array,
    check_name,
    check_non_negative_int,
    check_number,
    check_positive_int,
    check_seed,
)
from companion.sequences import (
    build_dense_sequence_autoencoder,
    make_windows,
)

DAY_SECONDS = 86400
WEEK_SECONDS = 7 * DAY_SECONDS


def _check_length(length, series):
    check_positive_int(length, "length")
    training = nab.probation_length(len(series.values))
    if length < 2 or length > training:
        raise ValueError(
            f"length must be between 2 and the {training} records of the "
            f"probationary period of {series.name}, got {length}."
        )
    return training


def time_features(timestamps):
    """Return the time of day and of the week of each timestamp as four
    columns (sine and cosine of each, so that midnight sits next to
    23:55), float32, shape ``(n, 4)``.

    Introduced in the chapter "Time series and sequences".
    """
    stamps = np.asarray(timestamps)
    if not np.issubdtype(stamps.dtype, np.datetime64) or stamps.ndim != 1:
        raise ValueError(
            "timestamps must be a 1-d array of numpy datetime64 values "
            f"(Series.timestamps), got dtype {stamps.dtype}, shape "
            f"{stamps.shape}."
        )
    seconds = stamps.astype("datetime64[s]").astype("int64")
    angles = [
        2 * np.pi * (seconds % period) / period
        for period in (DAY_SECONDS, WEEK_SECONDS)
    ]
    columns = [f(angle) for angle in angles for f in (np.sin, np.cos)]
    return np.stack(columns, axis=1).astype("float32")


def spatial_scores(values, tolerance=0.05):
    """NAB's HTM detector's range rule: 1 for a record more than
    ``tolerance`` times the range seen so far above its maximum or below
    its minimum, 0 otherwise (also while the range is still 0).

    Introduced in the chapter "Time series and sequences".
    """
    values = check_finite_array(values, "values", ndim=1, shape_text="(n,)")
    tolerance = check_number(tolerance, "tolerance", low=0.0)
    values = values.astype("float64")
    highest = np.maximum.accumulate(values)
    lowest = np.minimum.accumulate(values)
    high, low = highest[:-1], lowest[:-1]  # the range before each record
    margin = tolerance * (high - low)
    outside = (values[1:] > high + margin) | (values[1:] < low - margin)
    scores = np.zeros(len(values))
    scores[1:] = np.where(outside & (high > low), 1.0, 0.0)
    return scores


def error_scores(errors, first, minimum_count=10):
    """Turn raw errors into scores in [0, 1] using only the past.

    For each record ``t`` after ``first``, ``z`` is ``errors[t]``'s
    distance above the mean of ``errors[first:t]`` in their standard
    deviations, and the score is ``z / (1 + z)`` (0 when ``z <= 0``).
    Records up to ``first`` (where a window-based detector has no error
    yet) and the first ``minimum_count`` records after it score 0.

    Introduced in the chapter "Time series and sequences".
    """
    errors = check_finite_array(errors, "errors", ndim=1, shape_text="(n,)")
    check_non_negative_int(first, "first")
    check_positive_int(minimum_count, "minimum_count")
    if first >= len(errors):
        raise ValueError(
            f"first must be less than the {len(errors)} errors, got {first}."
        )
    errors = errors.astype("float64")
    totals = np.concatenate([[0.0], np.cumsum(errors[first:])])
    squares = np.concatenate([[0.0], np.cumsum(errors[first:] ** 2)])
    count = np.arange(len(totals) - 1)  # errors before each record
    seen = np.maximum(count, 1)
    mean = totals[:-1] / seen
    variance = np.maximum(squares[:-1] / seen - mean**2, 0.0)
    spread = np.sqrt(variance) + 1e-12 * (1.0 + np.abs(mean))
    z = np.maximum((errors[first:] - mean) / spread, 0.0)
    z[count < minimum_count] = 0.0
    scores = np.zeros(len(errors))
    scores[first:] = z / (1.0 + z)
    return scores


def keep_new_highs(scores, span):
    """Keep a score only where it is higher than every score of the
    ``span`` records before it; elsewhere the record scores 0. A run of
    high scores then alarms once, at its rising edge, instead of once per
    record (NAB charges every flagged record outside a window, and counts
    only the first inside one). Uses only the past.

    Introduced in the chapter "Time series and sequences".
    """
    scores = check_finite_array(scores, "scores", ndim=1, shape_text="(n,)")
    check_positive_int(span, "span")
    padded = np.concatenate([np.full(span, -np.inf), scores])
    before = np.lib.stride_tricks.sliding_window_view(padded, span)
    highest_before = before[: len(scores)].max(axis=1)
    return np.where(scores > highest_before, scores, 0.0)


def _standardised_windows(series, length):
    """The series in standard deviations of its probationary period, cut
    into windows, and the number of windows inside that period."""
    training = _check_length(length, series)
    values = series.values.astype("float64")
    spread = float(np.std(values[:training])) or 1.0
    scaled = (values - np.mean(values[:training])) / spread
    windows = make_windows(scaled, length)
    return windows, training - length + 1


def _newest_errors(series, windows, reconstructions):
    """Squared error of each window's newest record, placed at the record
    it ends on (0 before the first full window)."""
    errors = np.zeros(len(series.values))
    length = windows.shape[1]
    errors[length - 1 :] = (reconstructions[:, -1] - windows[:, -1]) ** 2
    return errors


def autoencoder_errors(
    series, length=32, code_size=4, epochs=40, batch_size=64, seed=0
):
    """Fit ``build_dense_sequence_autoencoder`` (with ``time_features`` as
    extra inputs) to the windows of the probationary period of ``series``
    and return each record's squared reconstruction error as the newest
    value of its window (0 for the first ``length - 1`` records).

    Introduced in the chapter "Time series and sequences".
    """
    nab.check_series(series)
    windows, training = _standardised_windows(series, length)
    check_positive_int(code_size, "code_size")
    check_positive_int(epochs, "epochs")
    check_positive_int(batch_size, "batch_size")
    check_seed(seed)
    times = time_features(series.timestamps)[length - 1 :]
    inputs = np.concatenate([windows, times], axis=1)
    keras.utils.set_random_seed(seed)
    model = build_dense_sequence_autoencoder(
        length, code_size=code_size, extra_inputs=times.shape[1]
    )
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
    model.fit(
        inputs[:training],
        windows[:training],
        epochs=epochs,
        batch_size=batch_size,
        verbose=0,
    )
    # One call on all windows: model.predict would trace a new function
    # for each series' model (and TensorFlow warns about it).
    reconstructions = keras.ops.convert_to_numpy(model(inputs, training=False))
    return _newest_errors(series, windows, reconstructions)


def pca_errors(series, length=32, components=4):
    """The linear baseline: PCA with ``components`` components fitted to
    the windows of the probationary period; each record's squared
    reconstruction error as the newest value of its window.

    Introduced in the chapter "Time series and sequences".
    """
    from sklearn.decomposition import PCA

    nab.check_series(series)
    windows, training = _standardised_windows(series, length)
    check_positive_int(components, "components")
    if components >= length:
        raise ValueError(
            f"components must be less than length ({length}), got "
            f"{components}."
        )
    # Some series are flat during their probationary period: PCA then has
    # no variance to explain, and its explained-variance ratios divide 0
    # by 0 (harmless here: only the reconstruction is used).
    with np.errstate(divide="ignore", invalid="ignore"):
        pca = PCA(components).fit(windows[:training])
    reconstructions = pca.inverse_transform(pca.transform(windows))
    return _newest_errors(series, windows, reconstructions)


def isolation_forest_errors(series, length=32, seed=0):
    """The tree baseline: scikit-learn's Isolation Forest fitted to the
    windows of the probationary period; each record's error is the forest's
    anomaly score of the window that ends there (higher: easier to
    isolate).

    Introduced in the chapter "Time series and sequences".
    """
    from sklearn.ensemble import IsolationForest

    nab.check_series(series)
    windows, training = _standardised_windows(series, length)
    check_seed(seed)
    forest = IsolationForest(random_state=seed).fit(windows[:training])
    errors = np.zeros(len(series.values))
    errors[length - 1 :] = -forest.score_samples(windows)
    return errors


def _check_threshold(threshold):
    return check_number(threshold, "threshold", low=0.0, high=1.1)


def _folder(name):
    return name.split("/", 1)[0]


def event_counts(scores, corpus, threshold):
    """Count, per NAB folder and over the whole corpus (``"all"``), what a
    detector flags at ``threshold`` (every record scoring at least that,
    outside the probationary period): ``windows`` (labelled windows that
    NAB counts), ``found`` (windows with a flagged record inside),
    ``false_alarms`` (flagged records outside every window), and the
    event-level ``precision`` = found / (found + false alarms),
    ``recall`` = found / windows and their harmonic mean ``f1``.

    Introduced in the chapter "Time series and sequences".
    """
    threshold = _check_threshold(threshold)
    checked = nab.check_scores(scores, corpus)
    counts = {}
    for series in corpus:
        _, ids = nab.record_weights(len(series.values), series.windows)
        flagged = (checked[series.name] >= threshold) & (ids != nab.PROBATION)
        for key in (_folder(series.name), "all"):
            row = counts.setdefault(
                key, {"windows": 0, "found": 0, "false_alarms": 0}
            )
            row["windows"] += len(set(ids[ids >= 0].tolist()))
            row["found"] += len(set(ids[flagged & (ids >= 0)].tolist()))
            row["false_alarms"] += int(np.sum(flagged & (ids == nab.OUTSIDE)))
    for row in counts.values():
        alarms = row["found"] + row["false_alarms"]
        row["precision"] = row["found"] / alarms if alarms else 0.0
        row["recall"] = (
            row["found"] / row["windows"] if row["windows"] else 0.0
        )
        both = row["precision"] + row["recall"]
        row["f1"] = (
            2 * row["precision"] * row["recall"] / both if both else 0.0
        )
    return counts


def write_nab_results(folder, detector, scores, corpus):
    """Write a detector's scores in NAB's results format, one file per
    series: ``folder/<detector>/<NAB folder>/<detector>_<file>.csv`` with
    the columns ``timestamp,value,anomaly_score,label`` (label 1 inside a
    labelled window), scores kept to 12 significant digits as NAB's own
    files keep them. NAB's scorer can then score them. Returns the folder
    written (``folder/<detector>``).

    The files are written to a staging folder first, which then replaces
    ``folder/<detector>`` as a whole: the folder holds exactly this run's
    files (no stale series from an earlier run with another corpus), and a
    write that fails leaves the previous results as they were.

    Introduced in the chapter "Time series and sequences".
    """
    if not isinstance(folder, (str, os.PathLike)) or not str(folder):
        raise ValueError(
            f"folder must be the name of a folder to write into, got "
            f"{folder!r}."
        )
    check_name(detector, "detector")
    if not detector.replace("_", "").replace("-", "").isalnum():
        raise ValueError(
            f"detector must be letters, digits, '_' and '-' only (it names "
            f"a folder and files), got {detector!r}."
        )
    checked = nab.check_scores(scores, corpus)
    root = pathlib.Path(folder)
    if root.exists() and not root.is_dir():
        raise ValueError(f"folder {str(root)!r} exists and is not a folder.")
    target = root / detector
    staging = root / f".{detector}.part"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        for series in corpus:
            _write_series(staging, detector, series, checked[series.name])
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    return target


def _write_series(staging, detector, series, scores):
    """One series' results file, in NAB's format."""
    labels = np.zeros(len(series.values), dtype=int)
    for first, last in series.windows:
        labels[first : last + 1] = 1
    rounded = nab.round_like_nab(scores)
    subfolder, file = series.name.split("/", 1)
    path = staging / subfolder / f"{detector}_{file}"
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["timestamp,value,anomaly_score,label"]
    stamps = series.timestamps.astype("datetime64[s]")
    for stamp, value, score, label in zip(
        stamps, series.values, rounded, labels
    ):
        text = str(stamp).replace("T", " ")
        lines.append(f"{text},{float(value)!r},{float(score)!r},{label}")
    path.write_text("\n".join(lines) + "\n")
