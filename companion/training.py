"""Compiling and training autoencoders.

``fit_autoencoder`` wraps ``model.fit`` with what every chapter wants: a
seed, quiet output, the wall-clock time, and the per-epoch losses as plain
lists ready for ``plots.plot_loss_curves``.

Introduced in chapter 1, "The vanilla autoencoder".
"""

import math
import time
from dataclasses import dataclass, field

import keras
import numpy as np

from companion import config
from companion.checks import (
    check_images,
    check_labels,
    check_model,
    check_positive_int,
    check_positive_number,
    check_seed,
)
from companion.models import check_model_input


@dataclass
class TrainingRun:
    """What a training run leaves behind: per-epoch metrics and the time it
    took.

    ``history`` maps metric names (``"loss"``, ``"val_loss"``, ...) to one
    value per epoch.

    Introduced in chapter 1.
    """

    history: dict = field(default_factory=dict)
    seconds: float = 0.0
    epochs: int = 0

    @property
    def seconds_per_epoch(self):
        return self.seconds / self.epochs if self.epochs else float("nan")

    def final(self, metric="loss"):
        """Return the last recorded value of ``metric``."""
        if metric not in self.history or not self.history[metric]:
            raise ValueError(
                f"no {metric!r} recorded; available: {sorted(self.history)}."
            )
        return self.history[metric][-1]

    def summary(self):
        """One line: epochs, time, final training and validation loss."""
        text = (
            f"{self.epochs} epochs in {self.seconds:.1f} s "
            f"({self.seconds_per_epoch:.2f} s/epoch)"
        )
        text += f", final loss {self.final('loss'):.4f}"
        if self.history.get("val_loss"):
            text += f", validation loss {self.final('val_loss'):.4f}"
        return text


_DEFAULT_LEARNING_RATE = 1e-3
"""``compile_autoencoder``'s default ``learning_rate``."""


def _check_same_rate(optimizer, learning_rate):
    """Refuse a ``learning_rate`` that an optimizer object would ignore."""
    if learning_rate == _DEFAULT_LEARNING_RATE:
        return
    own_rate = float(keras.ops.convert_to_numpy(optimizer.learning_rate))
    if not math.isclose(own_rate, learning_rate, rel_tol=1e-6):
        raise ValueError(
            f"learning_rate={learning_rate!r} conflicts with the optimizer "
            f"object's own rate {own_rate:g}: the object's rate is used. "
            "Set the rate on the object, e.g. "
            "keras.optimizers.Adam(learning_rate=...), or pass the "
            "optimizer by name."
        )


def compile_autoencoder(
    model, loss="mse", optimizer="adam", learning_rate=1e-3
):
    """Compile ``model`` with a reconstruction loss and an optimizer given by
    name or object.

    ``loss`` is ``"mse"`` or ``"binary_crossentropy"`` (or any Keras loss).
    When ``optimizer`` is a name, ``learning_rate`` is passed to it explicitly,
    so the rate never depends on a Keras default. An optimizer object keeps
    its own rate: a ``learning_rate`` other than the default that differs
    from it raises ``ValueError`` instead of being ignored.

    Introduced in chapter 1.
    """
    check_model(model, "model")
    check_positive_number(learning_rate, "learning_rate")
    if loss is None:
        raise ValueError(
            "loss must be a Keras loss such as 'mse' or "
            "'binary_crossentropy', got None."
        )
    if not isinstance(optimizer, (str, keras.optimizers.Optimizer)):
        raise ValueError(
            f"optimizer must be a Keras optimizer name such as 'adam' or an "
            f"optimizer object such as keras.optimizers.Adam(1e-3), got "
            f"{optimizer!r}."
        )
    if not isinstance(optimizer, str):
        _check_same_rate(optimizer, learning_rate)
    if isinstance(optimizer, str):
        try:
            optimizer_class = type(keras.optimizers.get(optimizer))
        except ValueError as error:
            raise ValueError(
                f"optimizer={optimizer!r} is not a Keras optimizer name "
                f"({error})."
            ) from error
        optimizer = optimizer_class(learning_rate=learning_rate)
    try:
        keras.losses.get(loss)
    except ValueError as error:
        raise ValueError(
            f"loss={loss!r} is not a Keras loss ({error})."
        ) from error
    model.compile(optimizer=optimizer, loss=loss)
    return model


def fit_autoencoder(
    model,
    x_train,
    x_validation=None,
    *,
    epochs,
    batch_size=256,
    seed=0,
    callbacks=(),
    train_targets=None,
    validation_targets=None,
):
    """Train a compiled autoencoder to reproduce its input and return a
    ``TrainingRun``.

    Targets default to the inputs; pass ``train_targets`` (and
    ``validation_targets``) to train on other targets, such as clean images for
    noisy inputs. Training is seeded (shuffling included) and silent.
    Targets must fit the model's output: images in [0, 1] of its output
    shape, or integer class labels for a classifier. ``callbacks=None``
    means no callbacks.

    Introduced in chapter 1.
    """
    check_model(model, "model")
    check_positive_int(epochs, "epochs")
    check_positive_int(batch_size, "batch_size")
    check_seed(seed)
    callbacks = _check_callbacks(callbacks)
    if (
        not getattr(model, "compiled", False)
        or getattr(model, "optimizer", None) is None
    ):
        raise ValueError(
            f"{model.name} is not compiled; call "
            "training.compile_autoencoder first."
        )
    x_train = check_model_input(model, x_train, "x_train")
    if validation_targets is not None and x_validation is None:
        raise ValueError(
            "validation_targets were given without x_validation, so they "
            "would be ignored; pass x_validation (the inputs they belong "
            "to) as well, or leave validation_targets out."
        )
    if train_targets is None:
        train_targets = x_train
    else:
        train_targets = _check_targets(
            model, train_targets, len(x_train), "train_targets", "x_train"
        )
    validation_data = None
    if x_validation is not None:
        x_validation = check_model_input(model, x_validation, "x_validation")
        if validation_targets is None:
            validation_targets = x_validation
        else:
            validation_targets = _check_targets(
                model,
                validation_targets,
                len(x_validation),
                "validation_targets",
                "x_validation",
            )
        validation_data = (x_validation, validation_targets)

    config.set_seed(seed)
    start = time.perf_counter()
    history = model.fit(
        x_train,
        train_targets,
        epochs=epochs,
        batch_size=batch_size,
        shuffle=True,
        validation_data=validation_data,
        callbacks=callbacks,
        verbose=config.keras_verbosity(),
    )
    seconds = time.perf_counter() - start
    values = {
        name: [float(value) for value in series]
        for name, series in history.history.items()
    }
    return TrainingRun(
        history=values, seconds=seconds, epochs=len(values.get("loss", []))
    )


def _check_callbacks(callbacks):
    """Return ``callbacks`` as a list of Keras callbacks (``None``: none)."""
    if callbacks is None:
        return []
    if not isinstance(callbacks, (list, tuple)):
        raise ValueError(
            f"callbacks must be a list of Keras callbacks such as "
            f"[recorder], got {type(callbacks).__name__}."
        )
    for index, callback in enumerate(callbacks):
        if not isinstance(callback, keras.callbacks.Callback):
            raise ValueError(
                f"callbacks[{index}] must be a keras.callbacks.Callback, "
                f"got {callback!r}."
            )
    return list(callbacks)


def _output_shape(model):
    """The model's output shape without the batch axis, or None if unknown."""
    try:
        output = model.output
    except (AttributeError, ValueError):
        # A subclassed model, such as the VAE: its decoder has the output.
        decoder = getattr(model, "decoder", None)
        if not isinstance(decoder, keras.Model):
            return None
        output = decoder.output
    if isinstance(output, (list, tuple, dict)):
        return None
    return tuple(output.shape[1:])


def _check_targets(model, targets, count, name, inputs_name):
    """Check targets against the inputs' length and the model's output.

    Targets are images in [0, 1] of the model's output shape, or, for a
    model with ``k`` outputs per example, integer class labels ``0..k-1``
    of shape ``(n,)``. Returns them as a NumPy array.
    """
    array = np.asarray(targets)
    if array.ndim == 0 or len(array) != count:
        found = "no examples" if array.ndim == 0 else f"{len(array)} examples"
        raise ValueError(
            f"{name} has {found} but {inputs_name} has {count}; give one "
            "target per input."
        )
    expected = _output_shape(model)
    if (
        array.ndim == 1
        and np.issubdtype(array.dtype, np.integer)
        and expected is not None
        and len(expected) == 1
        and expected[0] is not None
        and expected[0] > 1
    ):
        check_labels(array, name, length=count, classes=expected[0])
        return array
    check_images(array, name)
    if expected is not None and not _shapes_match(array.shape[1:], expected):
        shape = ", ".join(
            "?" if size is None else str(size) for size in expected
        )
        raise ValueError(
            f"{name} must have the model's output shape (n, {shape}), got "
            f"{array.shape}."
        )
    return array


def _shapes_match(shape, expected):
    return len(shape) == len(expected) and all(
        size is None or size == actual for actual, size in zip(shape, expected)
    )


class ReconstructionRecorder(keras.callbacks.Callback):
    """Keras callback that stores the model's reconstructions of a few fixed
    images after every epoch.

    After training, ``recorder.reconstructions`` has shape
    ``(epochs, n_images, *image_shape)``; ``plots.plot_reconstruction_history``
    draws it. Pass the recorder in
    ``fit_autoencoder(..., callbacks=[recorder])``.

    Introduced in chapter 2, "Multilayer autoencoders".
    """

    def __init__(self, images):
        super().__init__()
        from companion.checks import check_images

        images = check_images(images, "images")
        if len(images) > 64:
            raise ValueError(
                "record at most 64 images (a figure row each), got "
                f"{len(images)}."
            )
        self.images = images
        self._epochs = []

    def on_train_begin(self, logs=None):
        check_model_input(self.model, self.images)
        self._epochs = []

    def on_epoch_end(self, epoch, logs=None):
        self._epochs.append(
            np.asarray(
                self.model.predict(self.images, verbose=0), dtype="float32"
            )
        )

    @property
    def reconstructions(self):
        if not self._epochs:
            raise ValueError(
                "nothing recorded yet: train with this callback first."
            )
        return np.stack(self._epochs)
