"""Argument checks shared by the companion's modules.

Every public function of the companion validates what it is given and raises
``ValueError`` with a message that says what was wrong and what to do. The
checks live here so that they read the same everywhere.

Introduced in chapter 1, "The vanilla autoencoder".
"""

import numbers

import numpy as np


def check_positive_int(value, name):
    """Raise ``ValueError`` unless ``value`` is an integer greater than zero.

    Introduced in chapter 1.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value <= 0:
        raise ValueError(f"{name} must be a positive integer, got {value!r}.")
    return int(value)


def check_non_negative_int(value, name):
    """Raise ``ValueError`` unless ``value`` is an integer of zero or more.

    Introduced in chapter 1.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {value!r}.")
    return int(value)


def _check_finite_real(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}.")
    return float(value)


def check_non_negative_number(value, name):
    """Return ``value`` as a float after checking it is a finite number of zero or more.

    Introduced in chapter 4, "Sparse autoencoders".
    """
    value = _check_finite_real(value, name)
    if value < 0.0:
        raise ValueError(f"{name} must be zero or more, got {value!r}.")
    return value


def check_positive_number(value, name):
    """Return ``value`` as a float after checking it is a finite number greater than zero.

    Introduced in chapter 4, "Sparse autoencoders".
    """
    value = _check_finite_real(value, name)
    if value <= 0.0:
        raise ValueError(f"{name} must be greater than zero, got {value!r}.")
    return value


def check_images(images, name="images", require_unit_range=True):
    """Return ``images`` as a float NumPy array after checking it holds pixels in [0, 1].

    Accepts any batch shape with at least two dimensions (a batch of flat
    vectors or of images). Raises ``ValueError`` for an empty batch, a non-float
    or non-numeric dtype, NaN or infinite values, or values outside [0, 1]
    (the usual cause: images still in 0..255; divide by 255).
    ``require_unit_range=False`` skips the range check, for reconstructions of
    linear models, which may overshoot a little.

    Introduced in chapter 1.
    """
    array = np.asarray(images)
    if array.ndim < 2:
        raise ValueError(
            f"{name} must be a batch (first axis = images) with at least 2 dimensions, "
            f"got shape {array.shape}."
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
    if not require_unit_range:
        return array
    low, high = float(array.min()), float(array.max())
    if low < 0.0 or high > 1.0:
        raise ValueError(
            f"{name} must lie in [0, 1], found values in [{low:.3g}, {high:.3g}]; "
            "scale 0..255 pixels by 1/255 or clip first."
        )
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


def check_indices(indices, length, name="indices"):
    """Return ``indices`` as an int array after checking each lies in ``[0, length)``.

    Introduced in chapter 1.
    """
    array = np.asarray(indices)
    if array.ndim != 1 or array.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D sequence of integers, got shape {array.shape}.")
    if not np.issubdtype(array.dtype, np.integer):
        raise ValueError(f"{name} must be integers, got dtype {array.dtype}.")
    if array.min() < 0 or array.max() >= length:
        raise ValueError(
            f"{name} must lie in [0, {length}), got values from {array.min()} to {array.max()}."
        )
    return array.astype(int)
