"""Training at scale: images streamed from files, several devices, long runs
that survive an interruption.

- ``write_image_folder`` writes images as 8-bit PNG files, the way a reader's
  own data usually arrives; ``read_images`` decodes a list of them.
- ``ImageFolderDataset`` is a ``keras.utils.PyDataset`` that reads one batch
  of files at a time, so the images never need to fit in memory. Its order
  depends on the epoch number only (``EpochOrder`` tells it the epoch), so a
  run resumed by ``keras.callbacks.BackupAndRestore`` sees the same batches
  as one that was never interrupted.
- ``run_with_devices`` runs a companion function in a child process on the
  JAX backend with several emulated CPU devices; ``train_data_parallel`` is
  such a function: it trains chapter 3's convolutional autoencoder with
  ``keras.distribution.DataParallel`` over every device it finds.

Introduced in chapter 15, "Training at scale".
"""

import importlib
import importlib.util
import json
import math
import os
import pathlib
import subprocess
import sys
import time

import keras
import numpy as np
from PIL import Image

from companion.checks import (
    check_bool,
    check_images,
    check_name,
    check_non_negative_int,
    check_positive_int,
    check_positive_number,
    check_seed,
)
from companion.saving import (
    _child_environment,
    _error_line,
    _find_function,
)

FILE_PATTERN = "*.png"
"""The files ``ImageFolderDataset`` reads from its folder."""

MAX_DEVICES = 64
"""Most emulated devices ``run_with_devices`` starts."""

RESULT_MARKER = "RESULT_JSON:"
"""Start of the line on which the child process prints its result."""

_CHILD = f"""
import importlib
import json
import sys

module_name, attribute = sys.argv[1].rsplit(".", 1)
function = getattr(importlib.import_module(module_name), attribute)
result = function(**json.loads(sys.argv[2]))
print({RESULT_MARKER!r} + json.dumps(result))
"""


def _folder(folder, name):
    if not isinstance(folder, (str, os.PathLike)):
        raise ValueError(
            f"{name} must be a folder path (a str or pathlib.Path), got "
            f"{type(folder).__name__}."
        )
    return pathlib.Path(folder)


def write_image_folder(images, folder, prefix="image"):
    """Write ``images`` (floats in [0, 1], ``(n, height, width)`` or
    ``(n, height, width, 1)``) as 8-bit grey PNG files
    ``<prefix>_000000.png``, ... into ``folder``, which is created and must
    not hold PNG files yet. Returns the paths, in the images' order.

    Everything is checked before the first file is written.

    Introduced in chapter 15.
    """
    array = (
        np.asarray(images) if not isinstance(images, np.ndarray) else images
    )
    if array.ndim == 4 and array.shape[-1] == 1:
        array = array[..., 0]
    if array.ndim != 3:
        raise ValueError(
            "images must have shape (n, height, width) or (n, height, width, "
            f"1), grey images, got shape {np.shape(images)}."
        )
    array = check_images(array, "images")
    if len(array) == 0:
        raise ValueError("images is empty: there is nothing to write.")
    folder = _folder(folder, "folder")
    check_name(prefix, "prefix")
    if any(character in prefix for character in "/\\"):
        raise ValueError(
            f"prefix must be a file name prefix without '/', got {prefix!r}."
        )
    if folder.exists() and not folder.is_dir():
        raise ValueError(f"folder {str(folder)!r} is a file, not a folder.")
    if folder.is_dir() and any(folder.glob(FILE_PATTERN)):
        raise ValueError(
            f"folder {str(folder)!r} already holds PNG files: choose an "
            "empty or new folder, so that old images do not mix in."
        )
    folder.mkdir(parents=True, exist_ok=True)
    pixels = np.round(array * 255).astype(np.uint8)
    width = max(6, len(str(len(pixels) - 1)))
    paths = []
    for index, image in enumerate(pixels):
        path = folder / f"{prefix}_{index:0{width}d}.png"
        Image.fromarray(image, mode="L").save(path)
        paths.append(path)
    return paths


def read_images(paths):
    """Decode the PNG files ``paths`` (all the same size) into float32
    images in [0, 1], shape ``(n, height, width, 1)``.

    Introduced in chapter 15.
    """
    if isinstance(paths, (str, os.PathLike)) or not hasattr(paths, "__len__"):
        raise ValueError(
            "paths must be a list of file paths, such as "
            f"sorted(folder.glob('*.png')), got {type(paths).__name__}."
        )
    if len(paths) == 0:
        raise ValueError("paths is empty: give at least one file.")
    images = []
    for path in paths:
        if not isinstance(path, (str, os.PathLike)):
            raise ValueError(
                "paths must hold file paths (str or pathlib.Path), got "
                f"{type(path).__name__}."
            )
        try:
            with Image.open(path) as image:
                pixels = np.asarray(image.convert("L"))
        except (OSError, ValueError) as error:
            raise ValueError(
                f"paths: {str(path)!r} is not a readable image ({error})."
            ) from None
        if images and pixels.shape != images[0].shape:
            raise ValueError(
                f"paths: {str(path)!r} is {pixels.shape[1]}x"
                f"{pixels.shape[0]} pixels, the first file "
                f"{images[0].shape[1]}x{images[0].shape[0]}: resize the "
                "images to one size first."
            )
        images.append(pixels)
    return (np.stack(images).astype(np.float32) / 255.0)[..., np.newaxis]


def shift_images(images, max_shift, rng):
    """Move each image by a random whole number of pixels, at most
    ``max_shift`` in each direction, filling with black: a cheap
    augmentation. ``rng`` is a ``numpy.random.Generator``.

    Introduced in chapter 15.
    """
    images = check_images(images, "images")
    if images.ndim != 4:
        raise ValueError(
            "images must have shape (n, height, width, channels), got "
            f"{images.shape}."
        )
    max_shift = check_non_negative_int(max_shift, "max_shift")
    if max_shift >= min(images.shape[1:3]):
        raise ValueError(
            f"max_shift must be smaller than the images' side, got "
            f"{max_shift} for {images.shape[1]}x{images.shape[2]} images."
        )
    if not isinstance(rng, np.random.Generator):
        raise ValueError(
            "rng must be a numpy.random.Generator, such as "
            f"np.random.default_rng(0), got {type(rng).__name__}."
        )
    if max_shift == 0:
        return images.copy()
    height, width = images.shape[1:3]
    padded = np.pad(
        images, ((0, 0), (max_shift,) * 2, (max_shift,) * 2, (0, 0))
    )
    moves = rng.integers(0, 2 * max_shift + 1, size=(len(images), 2))
    return np.stack(
        [
            image[row : row + height, column : column + width]
            for image, (row, column) in zip(padded, moves)
        ]
    )


class ImageFolderDataset(keras.utils.PyDataset):
    """Batches ``(images, images)`` read from the PNG files of ``folder``,
    for training an autoencoder on data that does not fit in memory.

    Only one batch of files is decoded at a time (``read_images``). With
    ``shuffle=True`` the files are visited in an order drawn from ``seed``
    and the epoch number (``set_epoch``, called by the ``EpochOrder``
    callback), so the same epoch always sees the same batches, also after a
    resumed run. ``max_shift`` > 0 moves each training image by up to that
    many pixels (``shift_images``), a different shift each epoch.
    ``workers``, ``use_multiprocessing`` and ``max_queue_size`` go to
    ``keras.utils.PyDataset``.

    Introduced in chapter 15.
    """

    def __init__(
        self,
        folder,
        batch_size=128,
        shuffle=False,
        seed=0,
        max_shift=0,
        **kwargs,
    ):
        folder = _folder(folder, "folder")
        if not folder.is_dir():
            raise ValueError(
                f"folder {str(folder)!r} does not exist: write the images "
                "first (scale.write_image_folder)."
            )
        paths = sorted(folder.glob(FILE_PATTERN))
        if not paths:
            raise ValueError(
                f"folder {str(folder)!r} holds no PNG files ({FILE_PATTERN})."
            )
        batch_size = check_positive_int(batch_size, "batch_size")
        check_bool(shuffle, "shuffle")
        seed = check_seed(seed)
        max_shift = check_non_negative_int(max_shift, "max_shift")
        unknown = set(kwargs) - {
            "workers",
            "use_multiprocessing",
            "max_queue_size",
        }
        if unknown:
            raise ValueError(
                f"unknown arguments {sorted(unknown)}: ImageFolderDataset "
                "takes folder, batch_size, shuffle, seed, max_shift, "
                "workers, use_multiprocessing and max_queue_size."
            )
        if "workers" in kwargs:
            check_positive_int(kwargs["workers"], "workers")
        if "use_multiprocessing" in kwargs:
            check_bool(kwargs["use_multiprocessing"], "use_multiprocessing")
        if "max_queue_size" in kwargs:
            check_positive_int(kwargs["max_queue_size"], "max_queue_size")
        first = read_images(paths[:1])
        if max_shift >= min(first.shape[1:3]):
            raise ValueError(
                f"max_shift must be smaller than the images' side, got "
                f"{max_shift} for {first.shape[1]}x{first.shape[2]} images."
            )
        super().__init__(**kwargs)
        self.paths = paths
        self.image_shape = first.shape[1:]
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.seed = seed
        self.max_shift = max_shift
        self.epoch = 0
        self.order = np.arange(len(paths))
        self.set_epoch(0)

    def set_epoch(self, epoch):
        """Order the files for ``epoch`` (0 for the first)."""
        self.epoch = check_non_negative_int(epoch, "epoch")
        if self.shuffle:
            rng = np.random.default_rng([self.seed, self.epoch])
            self.order = rng.permutation(len(self.paths))

    def __len__(self):
        return math.ceil(len(self.paths) / self.batch_size)

    def __getitem__(self, index):
        if not 0 <= index < len(self):
            raise IndexError(f"batch {index} of {len(self)}")
        chosen = self.order[
            index * self.batch_size : (index + 1) * self.batch_size
        ]
        images = read_images([self.paths[i] for i in chosen])
        if images.shape[1:] != self.image_shape:
            raise ValueError(
                f"folder: batch {index} holds images of shape "
                f"{images.shape[1:]}, the first file {self.image_shape}: "
                "resize the images to one size."
            )
        if self.max_shift:
            rng = np.random.default_rng([self.seed, self.epoch, index])
            images = shift_images(images, self.max_shift, rng)
        return images, images


class EpochOrder(keras.callbacks.Callback):
    """Tell an ``ImageFolderDataset`` which epoch begins, so that its order
    depends on the epoch number, not on how many epochs this process ran.

    Introduced in chapter 15.
    """

    def __init__(self, dataset):
        if not isinstance(dataset, ImageFolderDataset):
            raise ValueError(
                "dataset must be a scale.ImageFolderDataset, got "
                f"{type(dataset).__name__}."
            )
        super().__init__()
        self.dataset = dataset

    def on_epoch_begin(self, epoch, logs=None):
        self.dataset.set_epoch(epoch)


def run_with_devices(function, device_count, arguments=None, timeout=1800):
    """Run ``function(**arguments)`` in a new Python process on the JAX
    backend with ``device_count`` emulated CPU devices, and return what it
    returns (it must return something ``json`` can write).

    The devices are emulated by XLA
    (``--xla_force_host_platform_device_count``), which must be set before
    JAX is imported: hence the child process. ``function`` is a full name
    such as ``"companion.scale.train_data_parallel"``. The child inherits
    this process's environment (fast mode, the MNIST path), with
    ``KERAS_BACKEND=jax`` and ``JAX_PLATFORMS=cpu``. Raises ``RuntimeError``
    with the child's own error when it fails, or when JAX is not installed.

    Introduced in chapter 15.
    """
    _find_function(function, "companion.scale.train_data_parallel")
    device_count = check_positive_int(device_count, "device_count")
    if device_count > MAX_DEVICES:
        raise ValueError(
            f"device_count must be at most {MAX_DEVICES}, got {device_count}."
        )
    if arguments is None:
        arguments = {}
    if not isinstance(arguments, dict) or not all(
        isinstance(key, str) for key in arguments
    ):
        raise ValueError(
            "arguments must be a dict of keyword arguments, such as "
            f"{{'epochs': 3}}, got {type(arguments).__name__}."
        )
    try:
        encoded = json.dumps(arguments)
    except (TypeError, ValueError) as error:
        raise ValueError(
            f"arguments must hold plain numbers, strings, lists and dicts "
            f"that json can write: {error}."
        ) from None
    check_positive_number(timeout, "timeout")
    if importlib.util.find_spec("jax") is None:
        raise RuntimeError(
            "run_with_devices needs JAX: pip install jax (Colab has it)."
        )
    environment = _child_environment()
    flags = environment.get("XLA_FLAGS", "")
    environment.update(
        KERAS_BACKEND="jax",
        JAX_PLATFORMS="cpu",
        XLA_FLAGS=(
            f"{flags} --xla_force_host_platform_device_count={device_count}"
        ).strip(),
    )
    child = subprocess.run(
        [sys.executable, "-c", _CHILD, function, encoded],
        capture_output=True,
        text=True,
        env=environment,
        timeout=timeout,
    )
    results = [
        line[len(RESULT_MARKER) :]
        for line in child.stdout.splitlines()
        if line.startswith(RESULT_MARKER)
    ]
    if child.returncode != 0 or not results:
        error = _error_line(child.stderr) or child.stderr[-1000:]
        raise RuntimeError(
            f"{function} failed with {device_count} devices:\n{error}"
        )
    return json.loads(results[-1])


class _EpochTimes(keras.callbacks.Callback):
    def on_train_begin(self, logs=None):
        self.seconds = []

    def on_epoch_begin(self, epoch, logs=None):
        self.start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self.start)


def train_data_parallel(
    train_size=6000, epochs=3, batch_size=128, learning_rate=2e-3, seed=0
):
    """Train chapter 3's convolutional autoencoder on the first
    ``train_size`` MNIST training images, data-parallel over every device
    ``keras.distribution.list_devices()`` finds (one device: no
    distribution), with the global ``batch_size`` split evenly between
    them. Meant to run in ``run_with_devices``.

    Returns a dict: ``devices``, the per-epoch ``loss`` and ``seconds``, and
    ``steps_per_second`` over the epochs after the first (which compiles).

    Introduced in chapter 15.
    """
    from companion import data, models

    train_size = check_positive_int(train_size, "train_size")
    epochs = check_positive_int(epochs, "epochs")
    batch_size = check_positive_int(batch_size, "batch_size")
    check_positive_number(learning_rate, "learning_rate")
    seed = check_seed(seed)
    if train_size > 60000:
        raise ValueError(
            f"train_size must be at most 60000, got {train_size}."
        )
    devices = keras.distribution.list_devices()
    if batch_size % len(devices):
        raise ValueError(
            f"batch_size must be a multiple of the {len(devices)} devices, "
            f"got {batch_size}: each device takes an equal share."
        )
    if len(devices) > 1:
        keras.distribution.set_distribution(
            keras.distribution.DataParallel(devices=devices)
        )
    keras.utils.set_random_seed(seed)
    images = data.load_mnist(shape="image").x_train[:train_size]
    model = models.build_pooling_conv_autoencoder()
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss="binary_crossentropy",
    )
    timer = _EpochTimes()
    history = model.fit(
        images,
        images,
        batch_size=batch_size,
        epochs=epochs,
        shuffle=False,
        verbose=0,
        callbacks=[timer],
    )
    steps = math.ceil(train_size / batch_size)
    later = timer.seconds[1:] or timer.seconds
    return {
        "backend": keras.backend.backend(),
        "devices": [str(device) for device in devices],
        "loss": [float(value) for value in history.history["loss"]],
        "seconds": timer.seconds,
        "steps_per_second": steps * len(later) / sum(later),
    }
