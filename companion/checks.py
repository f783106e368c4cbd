"""Argument checks shared by the companion's modules.

Every public function of the companion validates what it is given and raises
``ValueError`` with a message that names the argument, says what was wrong
and what to do, before Keras, NumPy or TensorFlow fail deep inside. The
checks live here so that they read the same everywhere.

Introduced in chapter 1, "The vanilla autoencoder".
"""

import collections.abc
import numbers

import numpy as np

RECONSTRUCTION_RANGE = (-1.0, 2.0)
"""Values a reconstruction may take (``check_images(...,
require_unit_range=False)``): a ``tanh`` output reaches -1 and a linear
model overshoots [0, 1] a little, but pixels still in 0..255 fall outside."""

SEED_LIMIT = 2**32
"""Seeds lie in ``[0, SEED_LIMIT)``, the range NumPy's legacy seeding takes."""

DIGITS = 10
"""Number of classes of digit labels (0 to 9)."""


def check_positive_int(value, name):
    """Raise ``ValueError`` unless ``value`` is an integer greater than zero.

    Introduced in chapter 1.
    """
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Integral)
        or value <= 0
    ):
        raise ValueError(f"{name} must be a positive integer, got {value!r}.")
    return int(value)


def check_non_negative_int(value, name):
    """Raise ``ValueError`` unless ``value`` is an integer of zero or more.

    Introduced in chapter 1.
    """
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Integral)
        or value < 0
    ):
        raise ValueError(
            f"{name} must be a non-negative integer, got {value!r}."
        )
    return int(value)


def check_seed(seed, name="seed"):
    """Return ``seed`` as an int after checking it is a valid random seed.

    A seed is an integer (not a bool) from 0 to ``2**32 - 1``: the range
    that ``np.random.seed`` (used by ``keras.utils.set_random_seed``) and
    ``np.random.default_rng`` both accept.

    Introduced in chapter 1.
    """
    if (
        isinstance(seed, bool)
        or not isinstance(seed, numbers.Integral)
        or not 0 <= seed < SEED_LIMIT
    ):
        raise ValueError(
            f"{name} must be an integer from 0 to 2**32 - 1, got {seed!r}; "
            "use a small whole number such as 0."
        )
    return int(seed)


def _check_finite_real(value, name):
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Real)
        or not np.isfinite(value)
    ):
        raise ValueError(f"{name} must be a finite number, got {value!r}.")
    return float(value)


def check_non_negative_number(value, name):
    """Return ``value`` as a float after checking it is a finite number >= 0.

    Introduced in chapter 4, "Sparse autoencoders".
    """
    value = _check_finite_real(value, name)
    if value < 0.0:
        raise ValueError(f"{name} must be zero or more, got {value!r}.")
    return value


def check_positive_number(value, name):
    """Return ``value`` as a float after checking it is a finite number > 0.

    Introduced in chapter 4, "Sparse autoencoders".
    """
    value = _check_finite_real(value, name)
    if value <= 0.0:
        raise ValueError(f"{name} must be greater than zero, got {value!r}.")
    return value


def check_number(
    value, name, low=None, high=None, include_low=True, include_high=True
):
    """Return ``value`` as a float after checking it is a finite number.

    ``low`` and ``high`` (``None``: no bound) bound it, each included unless
    ``include_low``/``include_high`` is False. Strings such as ``"0.5"`` are
    refused: pass numbers.

    Introduced in chapter 1.
    """
    value = _check_finite_real(value, name)
    too_low = low is not None and (
        value < low or (value == low and not include_low)
    )
    too_high = high is not None and (
        value > high or (value == high and not include_high)
    )
    if too_low or too_high:
        if low is not None and high is not None:
            interval = (
                f"{'[' if include_low else '('}{low:g}, "
                f"{high:g}{']' if include_high else ')'}"
            )
            where = f"lie in {interval}"
        elif low is not None:
            where = f"be {'>=' if include_low else 'greater than'} {low:g}"
        else:
            where = f"be {'<=' if include_high else 'less than'} {high:g}"
        raise ValueError(f"{name} must {where}, got {value!r}.")
    return value


def check_bool(value, name):
    """Return ``value`` as a bool after checking it is ``True`` or ``False``.

    Introduced in chapter 1.
    """
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be True or False, got {value!r}.")
    return bool(value)


def check_choice(value, choices, name):
    """Return ``value`` after checking it is one of ``choices``.

    Introduced in chapter 1.
    """
    known = isinstance(value, (str, numbers.Number)) and value in choices
    if not known:
        listed = ", ".join(repr(choice) for choice in choices)
        raise ValueError(f"{name} must be one of {listed}, got {value!r}.")
    return value


def check_name(value, name="name"):
    """Return ``value`` after checking it is a non-empty string.

    Introduced in chapter 1.
    """
    if not isinstance(value, str) or not value:
        raise ValueError(f"{name} must be a non-empty string, got {value!r}.")
    return value


def _as_array(values, name):
    """``np.asarray(values)``, with a message naming ``name`` on failure."""
    try:
        return np.asarray(values)
    except (TypeError, ValueError) as error:
        raise ValueError(
            f"{name} must be an array of numbers with one shape, but it "
            f"could not be read as one ({error})."
        ) from error


def _is_real_dtype(dtype):
    return np.issubdtype(dtype, np.integer) or np.issubdtype(
        dtype, np.floating
    )


def check_finite_array(values, name, ndim=None, shape_text=None):
    """Return ``values`` as a NumPy array of finite real numbers.

    Raises ``ValueError`` for something that is not an array of numbers
    (strings, ragged lists, booleans), for an empty array, for NaN or
    infinite values and, when ``ndim`` is given, for another number of
    dimensions (``shape_text``, such as ``"(n, code_size)"``, then says the
    expected shape). The array is returned as it is, with its own dtype.

    Introduced in chapter 1.
    """
    array = _as_array(values, name)
    if array.ndim == 0 and ndim != 0:
        raise ValueError(
            f"{name} must be an array of numbers, got {values!r}."
        )
    if not _is_real_dtype(array.dtype):
        raise ValueError(
            f"{name} must hold real numbers, got dtype {array.dtype}."
        )
    if ndim is not None and array.ndim != ndim:
        expected = shape_text or f"{ndim} dimension(s)"
        raise ValueError(
            f"{name} must have shape {expected}, got shape {array.shape}."
        )
    if array.size == 0:
        raise ValueError(f"{name} is empty (shape {array.shape}).")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinite values.")
    return array


def _check_pixel_values(array, name, low, high, hint):
    """Raise unless every value of ``array`` lies in ``[low, high]``."""
    smallest, largest = float(array.min()), float(array.max())
    if smallest < low or largest > high:
        raise ValueError(
            f"{name} must lie in {hint}, found values in "
            f"[{smallest:.3g}, {largest:.3g}]; scale 0..255 pixels by "
            "1/255 or clip first."
        )


def check_codes(codes, name="codes"):
    """Return ``codes``, one per image, as a 2-d array ``(n, values)``:
    finite numbers of at least two dimensions, flattened after the first.

    Introduced in chapter 10, "Anomaly detection".
    """
    codes = check_finite_array(codes, name)
    if codes.ndim < 2:
        raise ValueError(
            f"{name} must hold one code per image, shape (n, code_size), "
            f"got shape {codes.shape}."
        )
    return codes.reshape(len(codes), -1)


def check_images(images, name="images", require_unit_range=True):
    """Return ``images`` as a float NumPy array of pixels in [0, 1].

    Accepts any batch shape with at least two dimensions (a batch of flat
    vectors or of images). Raises ``ValueError`` for an empty batch, a
    non-float or non-numeric dtype, NaN or infinite values, or values
    outside [0, 1] (the usual cause: images still in 0..255; divide by 255).
    ``require_unit_range=False`` allows reconstructions of linear or
    ``tanh`` models, which leave [0, 1]: their values must then lie in
    ``RECONSTRUCTION_RANGE``, [-1, 2], which still refuses 0..255 pixels.

    Introduced in chapter 1.
    """
    array = _as_array(images, name)
    if array.ndim < 2:
        raise ValueError(
            f"{name} must be a batch (first axis = images) with at least "
            f"2 dimensions, got shape {array.shape}."
        )
    if array.shape[0] == 0:
        raise ValueError(f"{name} is an empty batch (shape {array.shape}).")
    if not np.issubdtype(array.dtype, np.floating):
        raise ValueError(
            f"{name} must hold floats in [0, 1], got dtype {array.dtype}; "
            "convert with images.astype('float32') / 255."
        )
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinite values.")
    if require_unit_range:
        _check_pixel_values(array, name, 0.0, 1.0, "[0, 1]")
    else:
        low, high = RECONSTRUCTION_RANGE
        _check_pixel_values(
            array,
            name,
            low,
            high,
            f"[0, 1] (reconstructions: within [{low:g}, {high:g}])",
        )
    return array


def check_image(image, name="image"):
    """Return one image (any shape, e.g. ``(784,)``) of floats in [0, 1].

    The single-image counterpart of ``check_images``, for a mean image or
    the two ends of a cross-fade.

    Introduced in chapter 1.
    """
    array = _as_array(image, name)
    if array.ndim == 0 or array.size == 0:
        raise ValueError(
            f"{name} must be one image (an array of pixels), got shape "
            f"{array.shape}."
        )
    if not np.issubdtype(array.dtype, np.floating):
        raise ValueError(
            f"{name} must hold floats in [0, 1], got dtype {array.dtype}; "
            "convert with image.astype('float32') / 255."
        )
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinite values.")
    _check_pixel_values(array, name, 0.0, 1.0, "[0, 1]")
    return array


def check_same_shape(first, second, first_name, second_name):
    """Raise ``ValueError`` unless two arrays have the same shape.

    Introduced in chapter 1.
    """
    if np.shape(first) != np.shape(second):
        raise ValueError(
            f"{first_name} and {second_name} must have the same shape, "
            f"got {np.shape(first)} and {np.shape(second)}."
        )


def _length(values, name):
    shape = np.shape(values)
    if not shape:
        raise ValueError(
            f"{name} must be a sequence (one entry per image), got {values!r}."
        )
    return shape[0]


def check_same_length(first, second, first_name, second_name):
    """Raise ``ValueError`` unless two sequences have the same length.

    Introduced in chapter 1.
    """
    first_length = _length(first, first_name)
    second_length = _length(second, second_name)
    if first_length != second_length:
        raise ValueError(
            f"{first_name} and {second_name} must have the same length "
            f"(one entry per image), got {first_length} and "
            f"{second_length}."
        )


def check_indices(indices, length, name="indices"):
    """Return ``indices`` as an int array, each in ``[0, length)``.

    Introduced in chapter 1.
    """
    array = _as_array(indices, name)
    if array.ndim != 1 or array.size == 0:
        raise ValueError(
            f"{name} must be a non-empty 1-D sequence of integers, got "
            f"shape {array.shape}."
        )
    if not np.issubdtype(array.dtype, np.integer):
        raise ValueError(f"{name} must be integers, got dtype {array.dtype}.")
    if array.min() < 0 or array.max() >= length:
        raise ValueError(
            f"{name} must lie in [0, {length}), got values from "
            f"{array.min()} to {array.max()}."
        )
    return array.astype(int)


def check_labels(labels, name="labels", length=None, classes=DIGITS):
    """Return ``labels`` as a NumPy array of integer class labels.

    Labels are a non-empty 1-d sequence of integers from 0 to
    ``classes - 1`` (digits 0-9 by default); with ``length``, one label per
    image. Float labels (``3.0``) are refused: MNIST's labels are integers.

    Introduced in chapter 1.
    """
    array = _as_array(labels, name)
    digits = f"0-{classes - 1}"
    if array.ndim != 1:
        raise ValueError(
            f"{name} must be a 1-d sequence of integer labels {digits} "
            f"(one label per image), got shape {array.shape}."
        )
    if length is not None and len(array) != length:
        raise ValueError(
            f"{name} must have shape ({length},), one label per image, "
            f"got {array.shape}."
        )
    if array.size == 0:
        raise ValueError(f"{name} is empty: give one label per image.")
    if not np.issubdtype(array.dtype, np.integer):
        raise ValueError(
            f"{name} must be integer digits {digits}, got dtype "
            f"{array.dtype}; labels are class numbers, not floats."
        )
    if array.min() < 0 or array.max() >= classes:
        raise ValueError(
            f"{name} must be integer digits {digits}, got values from "
            f"{array.min()} to {array.max()}."
        )
    return array


def check_sizes(values, name):
    """Return ``values`` as a tuple of positive integers.

    ``values`` is a tuple or list (or a 1-d array or range), such as layer
    sizes ``(128, 64)``; a lone integer is refused, write ``(128,)``.

    Introduced in chapter 1.
    """
    is_sequence = isinstance(values, (tuple, list, range)) or (
        isinstance(values, np.ndarray) and values.ndim == 1
    )
    if not is_sequence:
        raise ValueError(
            f"{name} must be a tuple of positive integers such as (128,) "
            f"or (128, 64), got {values!r}."
        )
    for size in values:
        check_positive_int(size, f"every entry of {name}")
    return tuple(int(size) for size in values)


def check_mapping(value, name, example="{'label': value}"):
    """Return ``value`` after checking it is a non-empty dict.

    ``example`` shows in the message what to pass instead.

    Introduced in chapter 1.
    """
    if not isinstance(value, collections.abc.Mapping):
        raise ValueError(
            f"{name} must be a dict such as {example}, got "
            f"{type(value).__name__}; wrap a single entry as "
            "{'label': entry}."
        )
    if not value:
        raise ValueError(f"{name} is empty: pass {example}.")
    return value


def check_rows(rows, name="rows", source="results_row"):
    """Return table ``rows`` as a list after checking it holds dicts.

    ``rows`` is a list (or tuple, or iterable) of row dicts as made by
    ``source``; a single row dict is refused: wrap it in a list.

    Introduced in chapter 1.
    """
    if isinstance(rows, collections.abc.Mapping):
        raise ValueError(
            f"{name} must be a list of rows, got a single row (a dict); "
            "wrap it in a list: [row]."
        )
    if isinstance(rows, (str, bytes)):
        raise ValueError(
            f"{name} must be a list of rows from {source}, got {rows!r}."
        )
    try:
        rows = list(rows)
    except TypeError as error:
        raise ValueError(
            f"{name} must be a list of rows from {source}, got "
            f"{type(rows).__name__}."
        ) from error
    if not rows:
        raise ValueError(
            f"{name} is empty: make at least one row with {source}."
        )
    for index, row in enumerate(rows):
        if not isinstance(row, collections.abc.Mapping):
            raise ValueError(
                f"{name}[{index}] must be a row dict from {source}, got "
                f"{row!r}."
            )
    return rows


def check_model(model, name="model", built=False):
    """Return ``model`` after checking it is a ``keras.Model``.

    With ``built=True`` the model must also have a defined input: a
    Functional model, or a model that has been built. A ``Sequential``
    model made without ``keras.Input`` and never called has none, so its
    input shape cannot be checked and Keras would fail deep inside.

    Introduced in chapter 1; ``built`` in chapter 6.
    """
    import keras

    if not isinstance(model, keras.Model):
        raise ValueError(
            f"{name} must be a Keras model (keras.Model), got "
            f"{type(model).__name__}."
        )
    if built:
        try:
            _ = model.input
        except (AttributeError, ValueError):
            raise ValueError(
                f"{name} ({model.name!r}) is not built: it has no input "
                "shape yet. Start a Sequential model with keras.Input("
                "shape=...) or call the model on a batch first."
            ) from None
    return model


def check_classifier_head(classes, dropout):
    """Return ``(classes, dropout)`` as an int and a float after checking
    the head of a classifier: ``classes`` a positive integer of at least 2
    (a classifier chooses among classes) and ``dropout`` a rate of zero or
    more, below 1.

    Introduced in chapter 12.
    """
    check_positive_int(classes, "classes")
    if classes < 2:
        raise ValueError(
            f"classes must be at least 2 (a classifier chooses among "
            f"classes), got {classes!r}."
        )
    rate = check_non_negative_number(dropout, "dropout")
    if rate >= 1:
        raise ValueError(f"dropout must be below 1, got {dropout!r}.")
    return int(classes), rate


def check_neighbour_indices(
    neighbour_indices, database_size, database_name, queries=None
):
    """Return ``neighbour_indices`` as an int array ``(n_queries, k)`` after
    checking it holds finite integer indices into a database of
    ``database_size`` items, the argument ``database_name`` (such as
    ``"database_labels"``), as ``retrieval.nearest_neighbours`` returns.

    With ``queries``, the number of ``query_images``, there must be one
    row per query image.

    Introduced in chapter 12.
    """
    indices = check_finite_array(
        neighbour_indices, "neighbour_indices", 2, "(n_queries, k)"
    )
    if not np.issubdtype(indices.dtype, np.integer):
        raise ValueError(
            f"neighbour_indices must be integer indices into "
            f"{database_name}, got dtype {indices.dtype}; pass what "
            "retrieval.nearest_neighbours returns."
        )
    if queries is not None and len(indices) != queries:
        raise ValueError(
            f"neighbour_indices must hold one row per query image, got "
            f"{len(indices)} rows for {queries} query_images."
        )
    if indices.min() < 0 or indices.max() >= database_size:
        raise ValueError(
            f"neighbour_indices must lie in [0, {database_size}), one index "
            f"into {database_name} each, got values from {indices.min()} "
            f"to {indices.max()}; pass the {database_name} of the database "
            "the neighbours were found in."
        )
    return indices.astype(int)


def _given_whole(data):
    """True for data given whole (an array, a list, a tensor), which can be
    checked at once; False for a dataset or generator, which Keras reads
    batch by batch."""
    return isinstance(data, (np.ndarray, list, tuple)) or hasattr(
        data, "__array__"
    )


class CheckedFitMixin:
    """Checks the data of ``fit`` and ``evaluate`` before Keras uses it.

    For the companion's own ``keras.Model`` subclasses, listed before
    ``keras.Model`` (``class JointAutoencoder(CheckedFitMixin,
    keras.Model)``). The model defines ``check_data(x, y, x_name, y_name)``,
    which checks the inputs and targets and returns them; both ``fit`` and
    ``evaluate`` call it on their data, and ``fit`` on each part of
    ``validation_data`` too, so bad data is refused before any training
    step. Data given whole (arrays, lists, tensors) is checked; a dataset
    or generator, which Keras reads batch by batch, is passed on as it is.
    ``batch_size`` must be a positive integer: Keras would read 0 as its
    default, 32.

    Introduced in chapter 6, "Contractive autoencoders".
    """

    def check_data(self, x, y, x_name="x", y_name="y"):
        """Return ``(x, y)`` checked; subclasses say what they expect."""
        raise NotImplementedError(
            f"{type(self).__name__} must define check_data."
        )

    def _checked(self, x, y, x_name, y_name):
        if x is not None and not _given_whole(x):
            return x, y
        return self.check_data(x, y, x_name, y_name)

    def _checked_validation(self, validation_data):
        if not isinstance(validation_data, (tuple, list)):
            return validation_data
        if len(validation_data) not in (2, 3):
            raise ValueError(
                "validation_data must be a pair (x, y) or a triple (x, y, "
                f"sample_weight), got {len(validation_data)} items."
            )
        x, y = self._checked(
            validation_data[0],
            validation_data[1],
            "validation_data[0]",
            "validation_data[1]",
        )
        return (x, y, *validation_data[2:])

    def fit(self, x=None, y=None, batch_size=None, *args, **kwargs):
        """``keras.Model.fit``, after checking ``x``, ``y``,
        ``batch_size`` and ``validation_data``."""
        x, y = self._checked(x, y, "x", "y")
        if batch_size is not None:
            check_positive_int(batch_size, "batch_size")
        if kwargs.get("validation_data") is not None:
            kwargs["validation_data"] = self._checked_validation(
                kwargs["validation_data"]
            )
        return super().fit(x, y, batch_size, *args, **kwargs)

    def evaluate(self, x=None, y=None, batch_size=None, *args, **kwargs):
        """``keras.Model.evaluate``, after checking ``x``, ``y`` and
        ``batch_size`` (``fit``'s own validation runs are checked once, by
        ``fit``)."""
        if not kwargs.get("_use_cached_eval_dataset"):
            x, y = self._checked(x, y, "x", "y")
            if batch_size is not None:
                check_positive_int(batch_size, "batch_size")
        return super().evaluate(x, y, batch_size, *args, **kwargs)
