"""Loading MNIST, offline or online.

``load_mnist`` reads a local ``.npz`` file when the environment variable
``AUTOENCODERS_MNIST`` names one (or when ``path=`` is given), and otherwise
calls ``keras.datasets.mnist.load_data()``, which downloads and caches the data
set as it does in Colab. Images come back as float32 in [0, 1].

``load_fashion_mnist`` does the same for Fashion-MNIST (the variable is
``AUTOENCODERS_FASHION_MNIST``); it is introduced in chapter 14,
"Photographs and your own images".

Introduced in chapter 1, "The vanilla autoencoder".
"""

import collections.abc
import hashlib
import os
import zipfile
from dataclasses import dataclass

import numpy as np

from companion.checks import (
    check_bool,
    check_choice,
    check_number,
    check_positive_int,
    check_seed,
)

MNIST_PATH_VARIABLE = "AUTOENCODERS_MNIST"
"""Name of the environment variable that points to a local ``mnist.npz``."""

FASHION_MNIST_PATH_VARIABLE = "AUTOENCODERS_FASHION_MNIST"
"""Name of the environment variable that points to a local
``fashion_mnist.npz`` (chapter 14)."""

FASHION_MNIST_CLASSES = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)
"""Names of Fashion-MNIST's ten classes: ``FASHION_MNIST_CLASSES[label]``.

Introduced in chapter 14.
"""

IMAGE_SIDE = 28
IMAGE_SHAPE = (IMAGE_SIDE, IMAGE_SIDE, 1)
FLAT_SIZE = IMAGE_SIDE * IMAGE_SIDE

EXPECTED_ARRAYS = {
    "x_train": ((60000, 28, 28), np.uint8),
    "y_train": ((60000,), np.uint8),
    "x_test": ((10000, 28, 28), np.uint8),
    "y_test": ((10000,), np.uint8),
}
"""Keys, shapes and dtypes of the arrays in an MNIST ``.npz`` file."""

MNIST_SHA256 = {
    "x_train": (
        "741c988805d008ac6e4c904b69001ba184c24b2c540a4ef403f4c71b676cf757"
    ),
    "y_train": (
        "1feba77c54802fa5339a11837ea4b2866434b83314ec45192930f1df69120c13"
    ),
    "x_test": (
        "6d87418db22cc8025d05968bec9bd5c3932904b23485740db143a061a2c9d161"
    ),
    "y_test": (
        "ddeff807876a9661a1110d45c266c86239a3a1b7d37da0c3716a7a683c852ff5"
    ),
}
"""SHA-256 of each array's raw bytes (``hashlib.sha256(a.tobytes())``) for the
canonical MNIST.
"""

SHAPES = ("flat", "image")


class MnistDataError(ValueError):
    """MNIST (or Fashion-MNIST) could not be loaded: a missing, corrupt or
    wrong file, or no network.
    """


@dataclass(frozen=True)
class Mnist:
    """MNIST as float32 images in [0, 1] with their digit labels (uint8).

    ``x_train``/``x_test`` have shape ``(n, 784)`` when loaded ``shape="flat"``
    and ``(n, 28, 28, 1)`` when loaded ``shape="image"``.
    ``load_fashion_mnist`` returns Fashion-MNIST in the same form; its labels
    0-9 are clothing classes, named by ``FASHION_MNIST_CLASSES``.

    Introduced in chapter 1.
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray


@dataclass(frozen=True)
class _Dataset:
    """What the messages of one data set's loader name."""

    name: str
    file_name: str
    article: str
    variable: str
    keras_name: str
    offline_hint: str


_MNIST = _Dataset(
    name="MNIST",
    file_name="mnist.npz",
    article="an",
    variable=MNIST_PATH_VARIABLE,
    keras_name="mnist",
    offline_hint=" (the book's CI uses ../shared/data/mnist.npz)",
)
_FASHION_MNIST = _Dataset(
    name="Fashion-MNIST",
    file_name="fashion_mnist.npz",
    article="a",
    variable=FASHION_MNIST_PATH_VARIABLE,
    keras_name="fashion_mnist",
    offline_hint="",
)


def load_mnist(
    shape="flat",
    train_size=None,
    seed=0,
    path=None,
    verify_hashes=False,
    test_size=None,
):
    """Load MNIST as float32 in [0, 1].

    Parameters
    ----------
    shape:
        ``"flat"`` for ``(n, 784)`` vectors or ``"image"`` for
        ``(n, 28, 28, 1)``.
    train_size:
        ``None`` for all 60,000 training images, or a number of training
        images drawn at random (without replacement, deterministic for a given
        ``seed``).
    seed:
        Seed for drawing the training subset.
    path:
        A local ``.npz`` file. When ``None``, the file named by the environment
        variable ``AUTOENCODERS_MNIST`` is used if it is set; otherwise Keras
        downloads MNIST (and caches it in ``~/.keras/datasets``).
    verify_hashes:
        Also compare the arrays with the SHA-256 hashes of canonical MNIST.
    test_size:
        ``None`` for all 10,000 test images, or keep only the first
        ``test_size`` of them (fast mode's quicker evaluation; every digit
        occurs among the first 100).

    Raises ``MnistDataError`` (a ``ValueError``) naming the file or the
    variable to set when the data cannot be read, and ``ValueError`` for bad
    arguments.

    Introduced in chapter 1.
    """
    _check_load_arguments(shape, train_size, seed, test_size)
    check_bool(verify_hashes, "verify_hashes")
    arrays, source = _read_arrays(_MNIST, path)
    if verify_hashes:
        check_mnist_hashes(arrays, source=source)
    return _to_mnist(arrays, shape, train_size, seed, test_size)


def load_fashion_mnist(
    shape="flat", train_size=None, seed=0, path=None, test_size=None
):
    """Load Fashion-MNIST as float32 in [0, 1], in the form of ``load_mnist``.

    Fashion-MNIST (Zalando's 28x28 grey photographs of clothes) has MNIST's
    layout: 60,000 training and 10,000 test images, labels 0-9, which
    ``FASHION_MNIST_CLASSES`` names.

    Parameters
    ----------
    shape:
        ``"flat"`` for ``(n, 784)`` vectors or ``"image"`` for
        ``(n, 28, 28, 1)``.
    train_size:
        ``None`` for all 60,000 training images, or a number of training
        images drawn at random (without replacement, deterministic for a given
        ``seed``).
    seed:
        Seed for drawing the training subset.
    path:
        A local ``.npz`` file with MNIST's keys, shapes and dtypes
        (``x_train``, ``y_train``, ``x_test``, ``y_test``). When ``None``, the
        file named by the environment variable ``AUTOENCODERS_FASHION_MNIST``
        is used if it is set; otherwise Keras downloads Fashion-MNIST (and
        caches it in ``~/.keras/datasets``).
    test_size:
        ``None`` for all 10,000 test images, or keep only the first
        ``test_size`` of them.

    Returns an ``Mnist`` (float32 images, uint8 labels). Raises
    ``MnistDataError`` (a ``ValueError``) naming the file or the variable to
    set when the data cannot be read, and ``ValueError`` for bad arguments.

    Introduced in chapter 14, "Photographs and your own images".
    """
    _check_load_arguments(shape, train_size, seed, test_size)
    arrays, _ = _read_arrays(_FASHION_MNIST, path)
    return _to_mnist(arrays, shape, train_size, seed, test_size)


def _check_load_arguments(shape, train_size, seed, test_size):
    """Check the arguments the loaders share, in ``load_mnist``'s order."""
    check_choice(shape, SHAPES, "shape")
    if train_size is not None:
        check_positive_int(train_size, "train_size")
        if train_size > EXPECTED_ARRAYS["x_train"][0][0]:
            raise ValueError(
                f"train_size must be at most 60000, got {train_size}."
            )
    if test_size is not None:
        check_positive_int(test_size, "test_size")
        if test_size > EXPECTED_ARRAYS["x_test"][0][0]:
            raise ValueError(
                f"test_size must be at most 10000, got {test_size}."
            )
    check_seed(seed)


def _read_arrays(dataset, path):
    """The checked raw arrays of ``dataset`` and where they came from: the
    file ``path``, else the file its environment variable names, else a
    download."""
    if path is None:
        path = os.environ.get(dataset.variable) or None
    if path is not None:
        arrays = _read_npz(path, dataset)
    else:
        arrays = _download(dataset)
    source = path or f"keras.datasets.{dataset.keras_name}"
    _check_arrays(arrays, source, dataset)
    return arrays, source


def _to_mnist(arrays, shape, train_size, seed, test_size):
    """Draw the training subset, cut the test set and scale to [0, 1]."""
    x_train, y_train = arrays["x_train"], arrays["y_train"]
    if train_size is not None:
        order = np.random.default_rng(seed).permutation(len(x_train))[
            :train_size
        ]
        order.sort()
        x_train, y_train = x_train[order], y_train[order]
    x_test, y_test = arrays["x_test"][:test_size], arrays["y_test"][:test_size]
    return Mnist(
        x_train=to_float_images(x_train, shape),
        y_train=y_train.copy(),
        x_test=to_float_images(x_test, shape),
        y_test=y_test.copy(),
    )


def read_mnist_npz(path):
    """Read the four MNIST arrays from a local ``.npz`` file, refusing pickled
    objects.

    Introduced in chapter 1.
    """
    return _read_npz(path, _MNIST)


def _read_npz(path, dataset):
    """``read_mnist_npz`` for ``dataset``, whose file and variable the
    messages name."""
    name = dataset.name
    hint = (
        f"(set {dataset.variable} to a valid {dataset.file_name}, or unset "
        "it to download)"
    )
    try:
        path = os.fspath(path)
    except TypeError as error:
        raise MnistDataError(
            f"path must be the file name of {dataset.article} "
            f"{dataset.file_name} (a "
            f"str or os.PathLike), got {path!r} {hint}."
        ) from error
    if not os.path.isfile(path):
        raise MnistDataError(
            f"{name} file not found: path {path!r} is not a file {hint}."
        )
    try:
        loaded = np.load(path, allow_pickle=False)
        if not isinstance(loaded, np.lib.npyio.NpzFile):
            raise MnistDataError(
                f"{name} file {path!r} is not an .npz archive but a single "
                f"array of shape {np.shape(loaded)} (an .npy file renamed "
                f".npz?) {hint}."
            )
        with loaded as archive:
            missing = sorted(set(EXPECTED_ARRAYS) - set(archive.files))
            if missing:
                raise MnistDataError(
                    f"{name} file {path!r} lacks the arrays {missing} "
                    f"(it has {sorted(archive.files)}) {hint}."
                )
            arrays = {key: archive[key] for key in EXPECTED_ARRAYS}
    except MnistDataError:
        raise
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as error:
        raise MnistDataError(
            f"{name} file {path!r} is corrupt or truncated "
            f"({type(error).__name__}: {error}) {hint}."
        ) from error
    for key, array in arrays.items():
        if not isinstance(array, np.ndarray):
            raise MnistDataError(
                f"{name} file {path!r}: member {key!r} is not a NumPy array "
                f"(the archive was not written by np.savez) {hint}."
            )
    return arrays


def download_mnist():
    """Fetch MNIST with ``keras.datasets.mnist.load_data()`` (cached after the
    first time).

    Introduced in chapter 1.
    """
    return _download(_MNIST)


def _download(dataset):
    """Fetch ``dataset`` with ``keras.datasets.<name>.load_data()``."""
    import keras

    loader = getattr(keras.datasets, dataset.keras_name)
    try:
        (x_train, y_train), (x_test, y_test) = loader.load_data()
    except (
        Exception
    ) as error:  # network errors come in many types (URLError, OSError, ...)
        raise MnistDataError(
            f"Could not download {dataset.name} with keras.datasets."
            f"{dataset.keras_name}.load_data() "
            f"({type(error).__name__}: {error}). Without network access, "
            f"point the environment variable {dataset.variable} at a local "
            f"{dataset.file_name}{dataset.offline_hint}."
        ) from error
    return {
        "x_train": x_train,
        "y_train": y_train,
        "x_test": x_test,
        "y_test": y_test,
    }


def _check_array_mapping(arrays, source, dataset=_MNIST):
    """Raise ``MnistDataError`` unless ``arrays`` maps MNIST's keys to
    arrays."""
    name = dataset.name
    if not isinstance(arrays, collections.abc.Mapping):
        raise MnistDataError(
            f"{source}: arrays must be a dict of the four {name} arrays "
            f"{sorted(EXPECTED_ARRAYS)}, got {type(arrays).__name__}."
        )
    for key in EXPECTED_ARRAYS:
        if key not in arrays:
            raise MnistDataError(f"{source}: array {key!r} is missing.")
        if not isinstance(arrays[key], np.ndarray):
            raise MnistDataError(
                f"{source}: array {key!r} is not a NumPy array, got "
                f"{type(arrays[key]).__name__}; the file is not {name}."
            )


def check_mnist_arrays(arrays, source="MNIST"):
    """Check keys, shapes, dtypes and label range of raw MNIST arrays.

    Introduced in chapter 1.
    """
    _check_arrays(arrays, source, _MNIST)


def _check_arrays(arrays, source, dataset):
    """``check_mnist_arrays`` for ``dataset``, whose variable the messages
    name."""
    name = dataset.name
    _check_array_mapping(arrays, source, dataset)
    for key, (expected_shape, expected_dtype) in EXPECTED_ARRAYS.items():
        array = arrays[key]
        if array.shape != expected_shape or array.dtype != expected_dtype:
            raise MnistDataError(
                f"{source}: array {key!r} has shape {array.shape} and dtype "
                f"{array.dtype}, expected {expected_shape} and "
                f"{np.dtype(expected_dtype)}; the file is not {name} as "
                f"keras.datasets.{dataset.keras_name} stores it (set "
                f"{dataset.variable} to the right file)."
            )
    for key in ("y_train", "y_test"):
        if arrays[key].max() > 9:
            raise MnistDataError(
                f"{source}: labels in {key!r} exceed 9; the file is not "
                f"{name}."
            )


def check_mnist_hashes(arrays, source="MNIST"):
    """Compare each array's SHA-256 with the canonical MNIST hashes.

    Introduced in chapter 1.
    """
    _check_array_mapping(arrays, source)
    for key, expected in MNIST_SHA256.items():
        actual = hashlib.sha256(
            np.ascontiguousarray(arrays[key]).tobytes()
        ).hexdigest()
        if actual != expected:
            raise MnistDataError(
                f"{source}: array {key!r} has SHA-256 {actual}, expected "
                f"{expected}; the file is damaged or is not canonical MNIST."
            )


def to_float_images(pixels, shape="flat"):
    """Convert uint8 images ``(n, 28, 28)`` to float32 in [0, 1], flat or with
    a channel axis.

    Introduced in chapter 1.
    """
    pixels = np.asarray(pixels)
    if (
        pixels.dtype != np.uint8
        or pixels.ndim != 3
        or pixels.shape[1:] != (IMAGE_SIDE, IMAGE_SIDE)
    ):
        raise ValueError(
            f"pixels must be uint8 of shape (n, 28, 28), got {pixels.dtype} "
            f"{pixels.shape}."
        )
    if len(pixels) == 0:
        raise ValueError("pixels is an empty batch: there are no images.")
    check_choice(shape, SHAPES, "shape")
    images = pixels.astype("float32") / 255.0
    if shape == "flat":
        return images.reshape(len(images), FLAT_SIZE)
    return images.reshape(len(images), *IMAGE_SHAPE)


def split_validation(images, labels, validation_fraction=0.1):
    """Split the last ``validation_fraction`` of the training examples off for
    validation.

    Returns ``(x_train, y_train, x_validation, y_validation)``. The split is a
    fixed slice (the loader already drew any subset at random), so it is the
    same in every run and in both modes; models never see the test set while
    they train.

    Introduced in chapter 1.
    """
    fraction = check_number(validation_fraction, "validation_fraction")
    if not 0.0 < fraction < 1.0:
        raise ValueError(
            "validation_fraction must lie strictly between 0 and 1, got "
            f"{validation_fraction!r}."
        )
    images, labels = np.asarray(images), np.asarray(labels)
    if images.ndim == 0 or len(images) == 0:
        raise ValueError(
            f"images must be a non-empty batch, got shape {images.shape}."
        )
    if labels.ndim == 0:
        raise ValueError(
            f"labels must be a sequence (one label per image), got {labels!r}."
        )
    if len(images) != len(labels):
        raise ValueError(
            f"images and labels must have the same length, got {len(images)} "
            f"and {len(labels)}."
        )
    validation_size = int(round(len(images) * validation_fraction))
    if validation_size == 0 or validation_size == len(images):
        raise ValueError(
            f"validation_fraction={validation_fraction} leaves an empty part "
            f"of {len(images)} examples."
        )
    cut = len(images) - validation_size
    return images[:cut], labels[:cut], images[cut:], labels[cut:]


def resize_images(images, side):
    """Resize a batch of square images ``(n, h, w, 1)`` to
    ``(n, side, side, 1)`` in one call.

    Uses ``skimage.transform.resize`` on the whole batch at once (the batch
    axis keeps its length), with bilinear interpolation; the result stays in
    [0, 1] and is float32.

    Introduced in chapter 3, "Convolutional autoencoders".
    """
    from skimage.transform import resize

    from companion.checks import check_images

    check_positive_int(side, "side")
    images = check_images(images, "images")
    if images.ndim != 4 or images.shape[-1] != 1:
        raise ValueError(
            "images must have shape (n, height, width, 1), got "
            f"{images.shape}; load MNIST with shape='image'."
        )
    if images.shape[1] != images.shape[2]:
        raise ValueError(
            f"images must be square to keep their aspect, got "
            f"{images.shape[1]}x{images.shape[2]}; crop or pad them first."
        )
    resized = resize(
        images,
        (len(images), side, side, 1),
        order=1,
        anti_aliasing=side < images.shape[1],
    )
    return np.clip(resized, 0.0, 1.0).astype("float32")
