"""Compiling and training autoencoders.

``fit_autoencoder`` wraps ``model.fit`` with what every chapter wants: a
seed, quiet output, the wall-clock time, and the per-epoch losses as plain
lists ready for ``plots.plot_loss_curves``.

Introduced in chapter 1, "The vanilla autoencoder".
"""

import time
from dataclasses import dataclass, field

import keras
import numpy as np

from companion import config
from companion.checks import check_non_negative_int, check_positive_int
from companion.models import check_model_input


@dataclass
class TrainingRun:
    """What a training run leaves behind: per-epoch metrics and the time it took.

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
            raise ValueError(f"no {metric!r} recorded; available: {sorted(self.history)}.")
        return self.history[metric][-1]

    def summary(self):
        """One line: epochs, time, final training and validation loss."""
        text = f"{self.epochs} epochs in {self.seconds:.1f} s ({self.seconds_per_epoch:.2f} s/epoch)"
        text += f", final loss {self.final('loss'):.4f}"
        if self.history.get("val_loss"):
            text += f", validation loss {self.final('val_loss'):.4f}"
        return text


def compile_autoencoder(model, loss="mse", optimizer="adam", learning_rate=1e-3):
    """Compile ``model`` with a reconstruction loss and an optimizer given by name or object.

    ``loss`` is ``"mse"`` or ``"binary_crossentropy"`` (or any Keras loss).
    When ``optimizer`` is a name, ``learning_rate`` is passed to it explicitly,
    so the rate never depends on a Keras default.

    Introduced in chapter 1.
    """
    if isinstance(optimizer, str):
        if not learning_rate > 0:
            raise ValueError(f"learning_rate must be positive, got {learning_rate!r}.")
        try:
            optimizer_class = type(keras.optimizers.get(optimizer))
        except ValueError as error:
            raise ValueError(f"optimizer={optimizer!r} is not a Keras optimizer name ({error}).") from error
        optimizer = optimizer_class(learning_rate=learning_rate)
    try:
        keras.losses.get(loss)
    except ValueError as error:
        raise ValueError(f"loss={loss!r} is not a Keras loss ({error}).") from error
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
    """Train a compiled autoencoder to reproduce its input and return a ``TrainingRun``.

    Targets default to the inputs; pass ``train_targets`` (and
    ``validation_targets``) to train on other targets, such as clean images for
    noisy inputs. Training is seeded (shuffling included) and silent.

    Introduced in chapter 1.
    """
    check_positive_int(epochs, "epochs")
    check_positive_int(batch_size, "batch_size")
    check_non_negative_int(seed, "seed")
    if not getattr(model, "compiled", False) or getattr(model, "optimizer", None) is None:
        raise ValueError(f"{model.name} is not compiled; call training.compile_autoencoder first.")
    x_train = check_model_input(model, x_train, "x_train")
    train_targets = x_train if train_targets is None else np.asarray(train_targets)
    if len(train_targets) != len(x_train):
        raise ValueError(
            f"train_targets has {len(train_targets)} examples but x_train has {len(x_train)}."
        )
    validation_data = None
    if x_validation is not None:
        x_validation = check_model_input(model, x_validation, "x_validation")
        validation_targets = x_validation if validation_targets is None else np.asarray(validation_targets)
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
        callbacks=list(callbacks),
        verbose=config.keras_verbosity(),
    )
    seconds = time.perf_counter() - start
    values = {name: [float(value) for value in series] for name, series in history.history.items()}
    return TrainingRun(history=values, seconds=seconds, epochs=len(values.get("loss", [])))


class ReconstructionRecorder(keras.callbacks.Callback):
    """Keras callback that stores the model's reconstructions of a few fixed images after every epoch.

    After training, ``recorder.reconstructions`` has shape
    ``(epochs, n_images, *image_shape)``; ``plots.plot_reconstruction_history``
    draws it. Pass the recorder in ``fit_autoencoder(..., callbacks=[recorder])``.

    Introduced in chapter 2, "Multilayer autoencoders".
    """

    def __init__(self, images):
        super().__init__()
        from companion.checks import check_images

        images = check_images(images, "images")
        if len(images) > 64:
            raise ValueError(f"record at most 64 images (a figure row each), got {len(images)}.")
        self.images = images
        self._epochs = []

    def on_train_begin(self, logs=None):
        check_model_input(self.model, self.images)
        self._epochs = []

    def on_epoch_end(self, epoch, logs=None):
        self._epochs.append(np.asarray(self.model.predict(self.images, verbose=0), dtype="float32"))

    @property
    def reconstructions(self):
        if not self._epochs:
            raise ValueError("nothing recorded yet: train with this callback first.")
        return np.stack(self._epochs)
