"""Autoencoders for sequences: sliding windows of a time series, the
keras-io example's Conv1D autoencoder, a dense and a recurrent one, and
the keras-io rule that turns window errors into flagged records.

A window is ``length`` consecutive values; window ``j`` covers records
``j`` to ``j + length - 1``. Models take windows shaped
``(count, length, 1)`` (Conv1D, LSTM) or ``(count, length)`` (dense) and
reconstruct the same shape.

Introduced in the chapter "Time series and sequences".
"""

import keras
import numpy as np

from companion.checks import (
    check_finite_array,
    check_number,
    check_positive_int,
    check_same_shape,
)


def _check_values(values, name="values"):
    return check_finite_array(values, name, ndim=1, shape_text="(n,)")


def standardise(values, reference):
    """Return ``values`` in standard deviations from the mean of
    ``reference`` (the training series: a test series is scaled with the
    training statistics, never its own). A constant ``reference`` is
    refused.

    Introduced in the chapter "Time series and sequences".
    """
    values = _check_values(values)
    reference = _check_values(reference, "reference")
    spread = float(np.std(reference))
    if spread == 0.0:
        raise ValueError(
            "reference is constant: its standard deviation is 0, so it "
            "cannot set a scale. Pass a training series that varies."
        )
    return ((values - np.mean(reference)) / spread).astype("float32")


def make_windows(values, length):
    """Return every window of ``length`` consecutive values as the rows of
    a ``(len(values) - length + 1, length)`` float32 array (a copy).

    Introduced in the chapter "Time series and sequences".
    """
    values = _check_values(values)
    check_positive_int(length, "length")
    if length < 2 or length > len(values):
        raise ValueError(
            f"length must be between 2 and the series' {len(values)} "
            f"records, got {length}."
        )
    windows = np.lib.stride_tricks.sliding_window_view(values, length)
    return np.array(windows, dtype="float32")


def build_conv1d_autoencoder(
    length=288, filters=(32, 16), kernel_size=7, dropout=0.2
):
    """The keras-io example's autoencoder for windows of ``length`` values
    shaped ``(length, 1)``: Conv1D layers with stride 2 (``filters``), each
    followed by dropout, mirrored by Conv1DTranspose layers and a last
    Conv1DTranspose to one channel. ``length`` must be divisible by
    ``2 ** len(filters)`` so that the output has the input's length.

    Introduced in the chapter "Time series and sequences".
    """
    check_positive_int(length, "length")
    check_positive_int(kernel_size, "kernel_size")
    check_number(dropout, "dropout", low=0.0, high=1.0, include_high=False)
    if not isinstance(filters, (tuple, list)) or not filters:
        raise ValueError(
            f"filters must be a non-empty tuple such as (32, 16), got "
            f"{filters!r}."
        )
    for size in filters:
        check_positive_int(size, "every entry of filters")
    if length % 2 ** len(filters):
        raise ValueError(
            f"length must be divisible by {2 ** len(filters)} (one halving "
            f"per entry of filters), got {length}."
        )
    inputs = keras.Input((length, 1), name="window")
    x = inputs
    for index, size in enumerate(filters):
        x = keras.layers.Conv1D(
            size, kernel_size, strides=2, padding="same", activation="relu"
        )(x)
        if index == 0:
            x = keras.layers.Dropout(dropout)(x)
    for index, size in enumerate(reversed(filters)):
        x = keras.layers.Conv1DTranspose(
            size, kernel_size, strides=2, padding="same", activation="relu"
        )(x)
        if index == 0:
            x = keras.layers.Dropout(dropout)(x)
    outputs = keras.layers.Conv1DTranspose(1, kernel_size, padding="same")(x)
    return keras.Model(inputs, outputs, name="conv1d_autoencoder")


def build_dense_sequence_autoencoder(
    length, code_size=4, hidden_size=32, extra_inputs=0
):
    """A dense autoencoder for flat windows of ``length`` values:
    ``length (+ extra_inputs) -> hidden_size -> code_size -> hidden_size ->
    length``, ReLU inside and a linear output (the values are standardised,
    not in [0, 1]). ``extra_inputs`` are columns appended to each window
    that the model sees but does not reconstruct (the time of day, say).

    Introduced in the chapter "Time series and sequences".
    """
    check_positive_int(length, "length")
    check_positive_int(code_size, "code_size")
    check_positive_int(hidden_size, "hidden_size")
    if not isinstance(extra_inputs, int) or isinstance(extra_inputs, bool):
        raise ValueError(
            f"extra_inputs must be a whole number >= 0, got {extra_inputs!r}."
        )
    if extra_inputs < 0:
        raise ValueError(
            f"extra_inputs must be a whole number >= 0, got {extra_inputs}."
        )
    inputs = keras.Input((length + extra_inputs,), name="window")
    x = keras.layers.Dense(hidden_size, activation="relu")(inputs)
    x = keras.layers.Dense(code_size, activation="relu", name="code")(x)
    x = keras.layers.Dense(hidden_size, activation="relu")(x)
    outputs = keras.layers.Dense(length)(x)
    return keras.Model(inputs, outputs, name="dense_sequence_autoencoder")


def build_lstm_autoencoder(length, units=32, code_size=8):
    """A recurrent autoencoder for windows shaped ``(length, 1)``: an LSTM
    reads the window into its last state, a Dense layer makes the code,
    ``RepeatVector`` hands the code to every step of a decoding LSTM, and a
    Dense layer applied at each step gives one value per step.

    Introduced in the chapter "Time series and sequences".
    """
    check_positive_int(length, "length")
    check_positive_int(units, "units")
    check_positive_int(code_size, "code_size")
    inputs = keras.Input((length, 1), name="window")
    x = keras.layers.LSTM(units)(inputs)
    code = keras.layers.Dense(code_size, name="code")(x)
    x = keras.layers.RepeatVector(length)(code)
    x = keras.layers.LSTM(units, return_sequences=True)(x)
    outputs = keras.layers.Dense(1)(x)
    return keras.Model(inputs, outputs, name="lstm_autoencoder")


def window_errors(windows, reconstructions):
    """Return each window's mean absolute error (the keras-io example's
    score), one number per window.

    Introduced in the chapter "Time series and sequences".
    """
    windows = check_finite_array(windows, "windows")
    reconstructions = check_finite_array(reconstructions, "reconstructions")
    check_same_shape(windows, reconstructions, "windows", "reconstructions")
    if windows.ndim < 2:
        raise ValueError(
            f"windows must have one row per window, got shape {windows.shape}."
        )
    flat = np.abs(windows - reconstructions).reshape(len(windows), -1)
    return flat.mean(axis=1)


def flag_records(window_flags, length):
    """The keras-io example's rule: record ``i`` is anomalous when every
    window of ``length`` values that contains it is flagged. As in the
    example, the first and last ``length - 1`` records, which fewer windows
    cover, are never flagged. Returns one boolean per record.

    Introduced in the chapter "Time series and sequences".
    """
    flags = np.asarray(window_flags)
    if flags.dtype != bool or flags.ndim != 1 or flags.size == 0:
        raise ValueError(
            "window_flags must be a non-empty 1-d array of booleans "
            f"(errors > threshold), got dtype {flags.dtype}, shape "
            f"{flags.shape}."
        )
    check_positive_int(length, "length")
    if length > len(flags):
        raise ValueError(
            f"length ({length}) is longer than the {len(flags)} windows "
            "flagged."
        )
    records = np.zeros(len(flags) + length - 1, dtype=bool)
    covered = np.lib.stride_tricks.sliding_window_view(flags, length)
    records[length - 1 : len(flags)] = covered.all(axis=1)
    return records
