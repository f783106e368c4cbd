"""Run modes and seeding.

The book has two run modes. *Full mode* (the default) trains on all of MNIST
for the epoch counts given in the chapters. *Fast mode*, switched on by the
environment variable ``AUTOENCODERS_FAST=1``, trains for fewer epochs on a
subset of the training images; it never changes an architecture. The test
suite and CI run every chapter in fast mode.

Introduced in chapter 1, "The vanilla autoencoder".
"""

import os

import keras

from companion.checks import check_positive_int, check_seed

FAST_MODE_VARIABLE = "AUTOENCODERS_FAST"
"""Name of the environment variable that switches fast mode on."""

FAST_TRAIN_SIZE = 6000
"""Number of training images used in fast mode."""

FAST_MAX_EPOCHS = 3
"""Epochs in fast mode, unless a chapter asks for another number with
``pick_epochs(..., fast_epochs=n)``.
"""

FAST_TEST_SIZE = 2000
"""Number of test images evaluated in fast mode (the first ones of the test
set).
"""

PROGRESS_VARIABLE = "AUTOENCODERS_PROGRESS"
"""Name of the environment variable that switches training progress off (0)."""

_TRUE_WORDS = {"1", "true", "yes", "on"}
_FALSE_WORDS = {"0", "false", "no", "off"}


def _read_switch(variable, default):
    """Read an on/off environment variable; unset or empty gives
    ``default``.
    """
    value = os.environ.get(variable, "").strip().lower()
    if not value:
        return default
    if value in _TRUE_WORDS:
        return True
    if value in _FALSE_WORDS:
        return False
    raise ValueError(
        f"{variable}={value!r} is not understood: set it to 1 (on) or 0 "
        "(off), or leave it unset."
    )


def is_fast_mode():
    """Return True when ``AUTOENCODERS_FAST`` asks for fast mode.

    Accepts ``1/true/yes/on`` and ``0/false/no/off`` (any case); anything else
    raises ``ValueError`` rather than silently picking a mode.

    Introduced in chapter 1.
    """
    return _read_switch(FAST_MODE_VARIABLE, default=False)


def shows_progress():
    """Return True when training should print Keras' progress.

    On by default, for a person running a chapter in Jupyter or Colab;
    ``AUTOENCODERS_PROGRESS=0`` switches it off. The notebook executor and
    the test suite set it, so stored outputs and test logs stay quiet.

    Introduced in chapter 1.
    """
    return _read_switch(PROGRESS_VARIABLE, default=True)


def keras_verbosity():
    """Return the ``verbose`` argument for ``model.fit``: "auto" or 0.

    Introduced in chapter 1.
    """
    return "auto" if shows_progress() else 0


def mode_name():
    """Return ``"fast"`` or ``"full"``, for printing at the top of a chapter.

    Introduced in chapter 1.
    """
    return "fast" if is_fast_mode() else "full"


def pick_epochs(full_epochs, fast_epochs=None):
    """Return the number of epochs to train for in the current mode.

    Full mode returns ``full_epochs``. Fast mode returns ``fast_epochs`` when
    given, else ``min(full_epochs, FAST_MAX_EPOCHS)``. A chapter passes
    ``fast_epochs`` for a model that needs many updates before it learns
    anything: the fast-mode subset is a tenth of the data, so an epoch there
    has a tenth of the updates, and even ``fast_epochs`` above ``full_epochs``
    costs less than the full run.

    Introduced in chapter 1.
    """
    check_positive_int(full_epochs, "full_epochs")
    if fast_epochs is not None:
        check_positive_int(fast_epochs, "fast_epochs")
    if is_fast_mode():
        return (
            fast_epochs
            if fast_epochs is not None
            else min(full_epochs, FAST_MAX_EPOCHS)
        )
    return full_epochs


def train_size():
    """Return how many training images to use: all (``None``) or the fast
    subset.

    Introduced in chapter 1.
    """
    return FAST_TRAIN_SIZE if is_fast_mode() else None


def test_size():
    """Return how many test images to evaluate on: all (``None``) or the fast
    subset.

    Fast mode keeps the first ``FAST_TEST_SIZE`` test images: metrics such as
    SSIM cost about as much per image as a training step, and the test suite
    computes many of them.

    Introduced in chapter 1.
    """
    return FAST_TEST_SIZE if is_fast_mode() else None


def set_seed(seed=0):
    """Seed Python, NumPy and the Keras backend so that runs repeat on CPU.

    ``seed`` is an integer from 0 to ``2**32 - 1``.

    Introduced in chapter 1.
    """
    check_seed(seed)
    keras.utils.set_random_seed(seed)
