"""Bad inputs for every public function of the companion.

Each case calls one public function (or class) with one bad argument and
expects a ``ValueError`` whose message names that argument, raised before
Keras, NumPy or TensorFlow fail deep inside. The table is checked against the
modules with ``inspect``: a new public function needs its cases here.
"""

import contextlib
import dataclasses
import functools
import inspect
import io
import json
import os
import re
import zipfile

import keras
import matplotlib
import numpy as np
import pytest
from PIL import Image

matplotlib.use("Agg")

import matplotlib.pyplot as plt

from companion import (
    anomaly,
    baselines,
    checks,
    classifier,
    compression,
    config,
    contractive,
    corruption,
    data,
    detectors,
    features,
    images,
    latent,
    layerwise,
    metrics,
    models,
    nab,
    photos,
    plots,
    probes,
    retrieval,
    saving,
    scale,
    sequences,
    sparsity,
    training,
    transfer,
    vae,
    vq,
    widgets,
)

MODULES = {
    "anomaly": anomaly,
    "baselines": baselines,
    "checks": checks,
    "classifier": classifier,
    "compression": compression,
    "config": config,
    "contractive": contractive,
    "corruption": corruption,
    "data": data,
    "detectors": detectors,
    "features": features,
    "images": images,
    "latent": latent,
    "layerwise": layerwise,
    "metrics": metrics,
    "models": models,
    "nab": nab,
    "photos": photos,
    "plots": plots,
    "probes": probes,
    "retrieval": retrieval,
    "saving": saving,
    "scale": scale,
    "sequences": sequences,
    "sparsity": sparsity,
    "training": training,
    "transfer": transfer,
    "vae": vae,
    "vq": vq,
    "widgets": widgets,
}

NO_ARGUMENTS = {
    ("data", "download_mnist"): "takes no arguments (it only downloads)",
}
"""Public functions that take no argument a caller could get wrong."""

# --- small inputs shared by the cases ------------------------------------

RNG = np.random.default_rng(0)
FLAT = RNG.uniform(0.0, 1.0, size=(6, 784)).astype("float32")
IMAGES = FLAT.reshape(6, 28, 28, 1)
SCALED = FLAT * 255.0  # pixels still in 0..255
EMPTY = np.zeros((0, 784), dtype="float32")
LABELS = np.array([0, 1, 2, 3, 4, 5])
BIG_LABELS = LABELS + 10  # 10..15: not digits
FLOAT_LABELS = LABELS.astype("float32")
CODES = RNG.normal(size=(6, 4)).astype("float32")
CODES_2 = CODES[:, :2]
GRIDS = np.random.default_rng(9).integers(0, 8, size=(6, 7, 7))
WEIGHTS = np.array([0.0, 0.5, 1.0])
SELECTED = np.array([True, False, True, False, True, False])
RUN = training.TrainingRun(history={"loss": [0.3, 0.2]}, seconds=1.0, epochs=2)


def with_nan(array):
    """Return a float copy of ``array`` with one NaN."""
    copy = np.array(array, dtype="float32")
    copy.flat[0] = np.nan
    return copy


def with_inf(array):
    """Return a float copy of ``array`` with one infinity."""
    copy = np.array(array, dtype="float32")
    copy.flat[0] = np.inf
    return copy


@contextlib.contextmanager
def environment(name, value):
    """Set an environment variable for the duration of a ``with`` block."""
    old = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if old is None:
            del os.environ[name]
        else:
            os.environ[name] = old


def call_with_switch(variable, function):
    """Call ``function`` while ``variable`` holds a word it cannot read."""
    with environment(variable, "maybe"):
        return function()


def npy_renamed_npz(folder):
    """An ``.npy`` file renamed ``.npz``."""
    path = folder / "renamed.npy"
    np.save(path, np.zeros((3, 3), dtype=np.uint8))
    os.replace(path, folder / "renamed.npz")
    return folder / "renamed.npz"


def zip_of_text(folder):
    """A zip archive whose members carry MNIST's names but hold text."""
    path = folder / "members.npz"
    with zipfile.ZipFile(path, "w") as archive:
        for key in data.EXPECTED_ARRAYS:
            archive.writestr(key, "not an array")
    return path


def text_file(folder):
    path = folder / "notes.npz"
    path.write_text("these are not arrays")
    return path


def fake_arrays(**changes):
    """Small arrays under MNIST's keys, with ``changes`` applied."""
    arrays = {
        "x_train": np.zeros((60000, 28, 28), dtype=np.uint8),
        "y_train": np.zeros(60000, dtype=np.uint8),
        "x_test": np.zeros((10000, 28, 28), dtype=np.uint8),
        "y_test": np.zeros(10000, dtype=np.uint8),
    }
    arrays.update(changes)
    return {key: value for key, value in arrays.items() if value is not None}


# --- tiny models, built once ---------------------------------------------


class Tiny:
    """Tiny models shared by the cases; ``fresh()`` makes a compiled one."""

    def __init__(self):
        config.set_seed(0)
        self.autoencoder = self.fresh()
        self.encoder = self.autoencoder.get_layer("encoder")
        self.decoder = self.autoencoder.get_layer("decoder")
        self.classifier = self.fresh_classifier()
        self.vae = vae.build_vae(latent_dim=2, name="tiny_vae")
        self.vae_encoder = vae.build_vae_encoder(2, hidden_units=8)
        self.vae_decoder = vae.build_vae_decoder(2, hidden_units=8)
        self.pca = baselines.fit_pca(FLAT, 2)
        self.contractive = contractive.build_contractive_autoencoder(4)
        self.sigmoid_encoder = self.contractive.encoder

    @staticmethod
    def fresh_classifier():
        """A one-layer stand-in for the digit classifier, compiled."""
        images = keras.Input(shape=(28, 28, 1), name="image")
        flat = keras.layers.Flatten()(images)
        probabilities = keras.layers.Dense(10, activation="softmax")(flat)
        model = keras.Model(images, probabilities, name="stub")
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        return model

    @staticmethod
    def fresh():
        model = models.build_dense_autoencoder((784,), code_size=4)
        return training.compile_autoencoder(model)

    @staticmethod
    def fresh_joint():
        """A compiled ``JointAutoencoder`` of 784-4-784 and a 4-10 head."""
        autoencoder = models.build_dense_autoencoder((784,), code_size=4)
        model = features.JointAutoencoder(
            autoencoder.get_layer("encoder"),
            autoencoder.get_layer("decoder"),
            features.build_code_classifier((4,)),
        )
        model.compile(optimizer=keras.optimizers.Adam())
        return model


@pytest.fixture(scope="session")
def tiny():
    return Tiny()


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


# --- the table -----------------------------------------------------------


class Lazy:
    """An argument made only when its case runs: ``make(tiny, folder)``."""

    def __init__(self, make):
        self.make = make


class TinyAttribute:
    """``T.autoencoder`` stands for ``tiny.autoencoder`` in a case."""

    def __getattr__(self, name):
        return Lazy(lambda tiny, folder: getattr(tiny, name))


T = TinyAttribute()
FRESH = Lazy(lambda tiny, folder: tiny.fresh())
FOLDER = Lazy(lambda tiny, folder: folder)
MISSING_FILE = Lazy(lambda tiny, folder: folder / "missing.npz")
RENAMED_NPZ = Lazy(lambda tiny, folder: npy_renamed_npz(folder))
ZIP_OF_TEXT = Lazy(lambda tiny, folder: zip_of_text(folder))
TEXT_FILE = Lazy(lambda tiny, folder: text_file(folder))


ONE_RESULTS_ROW = Lazy(
    lambda tiny, folder: metrics.results_row("a", FLAT, FLAT)
)
ONE_SPARSITY_ROW = Lazy(
    lambda tiny, folder: sparsity.sparsity_row("a", CODES, FLAT, FLAT)
)
DECODER_8 = Lazy(lambda tiny, folder: models.build_dense_decoder(code_size=8))
VAE_DECODER_3 = Lazy(
    lambda tiny, folder: vae.build_vae_decoder(3, hidden_units=8)
)
UNCOMPILED = Lazy(
    lambda tiny, folder: models.build_dense_autoencoder((784,), code_size=4)
)
ADAM = Lazy(lambda tiny, folder: keras.optimizers.Adam())
KL_PENALTY = Lazy(lambda tiny, folder: sparsity.KLSparsityPenalty(0.05, 1.0))


def _made(value, tiny, folder):
    return value.make(tiny, folder) if isinstance(value, Lazy) else value


@dataclasses.dataclass(frozen=True)
class Case:
    module: str
    function: str
    argument: str
    label: str
    call: object
    match: str

    @property
    def id(self):
        return f"{self.module}.{self.function}-{self.argument}-{self.label}"


CASES = []


def case(qualified, argument, label, call, match=None):
    """Add a case: ``call(tiny, folder)`` must raise a ValueError naming
    ``argument`` (or matching the regular expression ``match``)."""
    module, function = qualified.split(".", 1)
    match = match or re.escape(argument)
    CASES.append(Case(module, function, argument, label, call, match))


def bad(label, argument, function, *args, **kwargs):
    """Add a case: ``function(*args, **kwargs)`` must raise a ValueError
    naming ``argument``. ``Lazy`` arguments (``T.vae``, ``FRESH``, files)
    are made when the case runs."""

    def call(tiny, folder):
        made_args = [_made(value, tiny, folder) for value in args]
        made_kwargs = {
            key: _made(value, tiny, folder) for key, value in kwargs.items()
        }
        return function(*made_args, **made_kwargs)

    module = function.__module__.removeprefix("companion.").split(".")[0]
    case(f"{module}.{function.__qualname__}", argument, label, call)


def switch_case(variable, function):
    """Add a case: ``function()`` with an unreadable on/off ``variable``."""
    case(
        f"config.{function.__name__}",
        variable,
        "maybe",
        lambda tiny, folder: call_with_switch(variable, function),
    )


def fit(label, argument, x_train=FLAT, x_validation=None, **options):
    """Add a case of ``training.fit_autoencoder`` on a fresh tiny model."""
    options.setdefault("epochs", 1)
    options.setdefault("batch_size", 6)
    bad(
        label,
        argument,
        training.fit_autoencoder,
        FRESH,
        x_train,
        x_validation,
        **options,
    )


# baselines
bad("0..255", "x_train", baselines.fit_mean_image, SCALED)
bad("nan", "x_train", baselines.fit_mean_image, with_nan(FLAT))
bad("empty", "x_train", baselines.fit_mean_image, EMPTY)
bad("uint8", "x_train", baselines.fit_mean_image, SCALED.astype(np.uint8))
bad("string", "x_train", baselines.fit_mean_image, "images")
bad("0..255", "mean_image", baselines.reconstruct_with_mean, SCALED[0], FLAT)
bad(
    "nan",
    "mean_image",
    baselines.reconstruct_with_mean,
    with_nan(FLAT[0]),
    FLAT,
)
bad(
    "shape", "mean_image", baselines.reconstruct_with_mean, FLAT[0, :100], FLAT
)
bad("string", "mean_image", baselines.reconstruct_with_mean, "mean", FLAT)
bad("0..255", "images", baselines.reconstruct_with_mean, FLAT[0], SCALED)
bad("one image", "x_train", baselines.fit_pca, FLAT[:1], 1)
bad("more than images", "n_components", baselines.fit_pca, FLAT, 7)
bad("string", "n_components", baselines.fit_pca, FLAT, "2")
bad("zero", "n_components", baselines.fit_pca, FLAT, 0)
bad("nan", "x_train", baselines.fit_pca, with_nan(FLAT), 2)
bad("dict", "pca", baselines.pca_encode, {"mean": 0}, FLAT)
bad("pixels", "images", baselines.pca_encode, T.pca, FLAT[:, :100])
bad("nan", "images", baselines.pca_encode, T.pca, with_nan(FLAT))
bad("none", "pca", baselines.pca_reconstruct, None, FLAT)
bad("0..255", "images", baselines.pca_reconstruct, T.pca, SCALED)

# checks
bad("string", "count", checks.check_positive_int, "3", "count")
bad("zero", "count", checks.check_positive_int, 0, "count")
bad("bool", "count", checks.check_positive_int, True, "count")
bad("negative", "seed", checks.check_non_negative_int, -1, "seed")
bad("float", "seed", checks.check_non_negative_int, 1.5, "seed")
bad("string", "weight", checks.check_non_negative_number, "0.1", "weight")
bad("nan", "weight", checks.check_non_negative_number, float("nan"), "weight")
bad("zero", "sigma", checks.check_positive_number, 0, "sigma")
bad("inf", "sigma", checks.check_positive_number, float("inf"), "sigma")
bad("0..255", "batch", checks.check_images, SCALED, "batch")
bad(
    "0..255 unrestricted",
    "batch",
    checks.check_images,
    SCALED,
    "batch",
    require_unit_range=False,
)
bad("nan", "batch", checks.check_images, with_nan(FLAT), "batch")
bad("empty", "batch", checks.check_images, EMPTY, "batch")
bad("string", "batch", checks.check_images, "images", "batch")
bad("ragged", "batch", checks.check_images, [[0.1], [0.1, 0.2]], "batch")
bad(
    "shapes",
    "second",
    checks.check_same_shape,
    FLAT,
    FLAT[:2],
    "first",
    "second",
)
bad("out of range", "picks", checks.check_indices, [6], 6, "picks")
bad("floats", "picks", checks.check_indices, [0.5], 6, "picks")
bad("2-d", "picks", checks.check_indices, [[0]], 6, "picks")
bad("string", "picks", checks.check_indices, "0", 6, "picks")
bad("2**32", "seed", checks.check_seed, 2**32)
bad("negative", "seed", checks.check_seed, -1)
bad("float", "seed", checks.check_seed, 1.0)
bad("bool", "seed", checks.check_seed, True)
bad("string", "seed", checks.check_seed, "0")
bad("string", "rate", checks.check_number, "0.5", "rate")
bad("nan", "rate", checks.check_number, float("nan"), "rate")
bad("above", "rate", checks.check_number, 2.0, "rate", 0.0, 1.0)
bad(
    "open bound",
    "rate",
    checks.check_number,
    0.0,
    "rate",
    0.0,
    1.0,
    include_low=False,
)
bad("string", "verbose", checks.check_bool, "yes", "verbose")
bad(
    "unknown",
    "method",
    checks.check_choice,
    "cubic",
    ("linear", "spherical"),
    "method",
)
bad(
    "unhashable",
    "method",
    checks.check_choice,
    ["linear"],
    ("linear", "spherical"),
    "method",
)
bad("empty", "name", checks.check_name, "", "name")
bad("number", "name", checks.check_name, 42, "name")
bad("nan", "codes", checks.check_finite_array, with_nan(CODES), "codes")
bad("strings", "codes", checks.check_finite_array, ["a", "b"], "codes")
bad("empty", "codes", checks.check_finite_array, [], "codes")
bad("ndim", "codes", checks.check_finite_array, CODES[0], "codes", ndim=2)
bad("ragged", "codes", checks.check_finite_array, [[1.0], [1.0, 2.0]], "codes")
bad("10..15", "labels", checks.check_labels, BIG_LABELS)
bad("floats", "labels", checks.check_labels, FLOAT_LABELS)
bad("length", "labels", checks.check_labels, LABELS, length=5)
bad("2-d", "labels", checks.check_labels, LABELS[None])
bad("empty", "labels", checks.check_labels, [])
bad(
    "lengths",
    "second",
    checks.check_same_length,
    FLAT,
    LABELS[:2],
    "first",
    "second",
)
bad("list", "runs", checks.check_mapping, [1], "runs")
bad("training run", "runs", checks.check_mapping, RUN, "runs")
bad("empty", "runs", checks.check_mapping, {}, "runs")
bad("dict", "rows", checks.check_rows, {"model": "a"}, "rows")
bad("empty", "rows", checks.check_rows, [], "rows")
bad("strings", "rows", checks.check_rows, ["a"], "rows")
bad("string", "encoder", checks.check_model, "encoder", "encoder")
bad("array", "encoder", checks.check_model, FLAT, "encoder")
bad("int", "hidden_sizes", checks.check_sizes, 128, "hidden_sizes")
bad("string", "hidden_sizes", checks.check_sizes, "128", "hidden_sizes")
bad("zero", "hidden_sizes", checks.check_sizes, (0,), "hidden_sizes")
bad("0..255", "mean_image", checks.check_image, SCALED[0], "mean_image")
bad("nan", "mean_image", checks.check_image, with_nan(FLAT[0]), "mean_image")
bad("string", "mean_image", checks.check_image, "mean", "mean_image")
bad("one", "classes", checks.check_classifier_head, 1, 0.2)
bad("bool", "classes", checks.check_classifier_head, True, 0.2)
bad("float", "classes", checks.check_classifier_head, 10.0, 0.2)
bad("one", "dropout", checks.check_classifier_head, 10, 1.0)
bad("negative", "dropout", checks.check_classifier_head, 10, -0.1)
bad("string", "dropout", checks.check_classifier_head, 10, "0.2")
bad(
    "floats",
    "neighbour_indices",
    checks.check_neighbour_indices,
    [[0.5, 1.0]],
    6,
    "database_labels",
)
bad(
    "1-d",
    "neighbour_indices",
    checks.check_neighbour_indices,
    [0, 1],
    6,
    "database_labels",
)
bad(
    "nan",
    "neighbour_indices",
    checks.check_neighbour_indices,
    with_nan([[0, 1]]),
    6,
    "database_labels",
)
bad(
    "out of range",
    "neighbour_indices",
    checks.check_neighbour_indices,
    [[0, 6]],
    6,
    "database_labels",
)
bad(
    "out of range",
    "database_labels",
    checks.check_neighbour_indices,
    [[0, 6]],
    6,
    "database_labels",
)
bad(
    "negative",
    "neighbour_indices",
    checks.check_neighbour_indices,
    [[-1, 0]],
    6,
    "database_labels",
)
bad(
    "rows",
    "neighbour_indices",
    checks.check_neighbour_indices,
    [[0, 1]],
    6,
    "database_images",
    queries=2,
)

# classifier
bad("one", "dropout", classifier.build_digit_classifier, 1.0)
bad("string", "dropout", classifier.build_digit_classifier, "0.5")
bad("nan", "dropout", classifier.build_digit_classifier, float("nan"))
bad("number", "name", classifier.build_digit_classifier, name=42)
bad(
    "10..15",
    "y_train",
    classifier.train_digit_classifier,
    FLAT,
    BIG_LABELS,
    epochs=1,
)
bad(
    "length",
    "y_train",
    classifier.train_digit_classifier,
    FLAT,
    LABELS[:3],
    epochs=1,
)
bad(
    "0..255",
    "x_train",
    classifier.train_digit_classifier,
    SCALED,
    LABELS,
    epochs=1,
)
bad(
    "string",
    "epochs",
    classifier.train_digit_classifier,
    FLAT,
    LABELS,
    epochs="1",
)
bad(
    "negative",
    "seed",
    classifier.train_digit_classifier,
    FLAT,
    LABELS,
    epochs=1,
    seed=-1,
)
bad(
    "zero",
    "batch_size",
    classifier.train_digit_classifier,
    FLAT,
    LABELS,
    epochs=1,
    batch_size=0,
)
bad("string", "classifier", classifier.predict_probabilities, "judge", FLAT)
bad(
    "nan",
    "images",
    classifier.predict_probabilities,
    T.classifier,
    with_nan(FLAT),
)
bad(
    "string",
    "batch_size",
    classifier.predict_probabilities,
    T.classifier,
    FLAT,
    batch_size="8",
)
bad("10..15", "labels", classifier.accuracy, T.classifier, FLAT, BIG_LABELS)
bad("floats", "labels", classifier.accuracy, T.classifier, FLAT, FLOAT_LABELS)
bad("length", "labels", classifier.accuracy, T.classifier, FLAT, LABELS[:2])
bad("none", "classifier", classifier.accuracy, None, FLAT, LABELS)
bad(
    "nan",
    "paths",
    classifier.path_confidence,
    T.classifier,
    with_nan(FLAT).reshape(2, 3, 784),
    [1, 2],
    [3, 4],
)
bad(
    "2-d",
    "paths",
    classifier.path_confidence,
    T.classifier,
    FLAT,
    [1, 2],
    [3, 4],
)
bad(
    "10..",
    "start_digits",
    classifier.path_confidence,
    T.classifier,
    FLAT.reshape(2, 3, 784),
    [11, 2],
    [3, 4],
)
bad(
    "length",
    "end_digits",
    classifier.path_confidence,
    T.classifier,
    FLAT.reshape(2, 3, 784),
    [1, 2],
    [3],
)
bad(
    "string",
    "classifier",
    classifier.path_confidence,
    "judge",
    FLAT.reshape(2, 3, 784),
    [1, 2],
    [3, 4],
)
bad(
    "length",
    "start_digits",
    classifier.recognised_as_either,
    T.classifier,
    FLAT,
    LABELS[:2],
    LABELS,
)
bad(
    "floats",
    "end_digits",
    classifier.recognised_as_either,
    T.classifier,
    FLAT,
    LABELS,
    FLOAT_LABELS,
)
bad(
    "0..255",
    "images",
    classifier.recognised_as_either,
    T.classifier,
    SCALED,
    LABELS,
    LABELS,
)
bad(
    "string",
    "threshold",
    classifier.confident_share,
    T.classifier,
    FLAT,
    threshold="0.9",
)
bad(
    "zero",
    "threshold",
    classifier.confident_share,
    T.classifier,
    FLAT,
    threshold=0,
)
bad("none", "classifier", classifier.confident_share, None, FLAT)

# config
for _function in (
    config.is_fast_mode,
    config.mode_name,
    config.train_size,
    config.test_size,
):
    switch_case(config.FAST_MODE_VARIABLE, _function)
for _function in (config.shows_progress, config.keras_verbosity):
    switch_case(config.PROGRESS_VARIABLE, _function)
bad("zero", "full_epochs", config.pick_epochs, 0)
bad("string", "full_epochs", config.pick_epochs, "3")
bad("float", "fast_epochs", config.pick_epochs, 3, fast_epochs=1.5)
bad("2**32", "seed", config.set_seed, 2**32)
bad("negative", "seed", config.set_seed, -1)
bad("float", "seed", config.set_seed, 1.5)
bad("string", "seed", config.set_seed, "0")

# corruption
bad("0..255", "images", corruption.add_noise, SCALED)
bad("nan", "images", corruption.add_noise, with_nan(FLAT))
bad("string", "images", corruption.add_noise, "images")
bad("unknown", "kind", corruption.add_noise, FLAT, "pink")
bad("string", "amount", corruption.add_noise, FLAT, amount="0.5")
bad(
    "fraction above 1",
    "amount",
    corruption.add_noise,
    FLAT,
    "salt_pepper",
    2.0,
)
bad("2**32", "seed", corruption.add_noise, FLAT, seed=2**32)
bad("negative", "seed", corruption.add_noise, FLAT, seed=-1)
bad("unknown", "method", corruption.filter_images, FLAT, "mean")
bad("even", "size", corruption.filter_images, FLAT, size=2)
bad("string", "size", corruption.filter_images, FLAT, size="3")
bad("zero", "sigma", corruption.filter_images, FLAT, "gaussian", sigma=0)
bad("string", "sigma", corruption.filter_images, FLAT, "gaussian", sigma="1")
bad("nan", "images", corruption.filter_images, with_nan(FLAT))
bad("not square", "images", corruption.filter_images, FLAT[:, :10])

# data
bad("unknown", "shape", data.load_mnist, shape="square")
bad("zero", "train_size", data.load_mnist, train_size=0)
bad("too many", "train_size", data.load_mnist, train_size=70000)
bad("string", "test_size", data.load_mnist, test_size="10")
bad(
    "2**32",
    "seed",
    data.load_mnist,
    train_size=10,
    seed=2**32,
    path=MISSING_FILE,
)
bad(
    "negative",
    "seed",
    data.load_mnist,
    train_size=10,
    seed=-1,
    path=MISSING_FILE,
)
bad(
    "string",
    "verify_hashes",
    data.load_mnist,
    verify_hashes="yes",
    path=MISSING_FILE,
)
bad("number", "path", data.load_mnist, path=42)
bad("missing", "path", data.load_mnist, path=MISSING_FILE)
bad("npy renamed npz", "renamed.npz", data.load_mnist, path=RENAMED_NPZ)
bad("zip of text", "members.npz", data.load_mnist, path=ZIP_OF_TEXT)
bad("number", "path", data.read_mnist_npz, 42)
bad("npy renamed npz", "renamed.npz", data.read_mnist_npz, RENAMED_NPZ)
bad("zip of text", "members.npz", data.read_mnist_npz, ZIP_OF_TEXT)
bad("text file", "notes.npz", data.read_mnist_npz, TEXT_FILE)
bad("folder", "path", data.read_mnist_npz, FOLDER)
bad("list", "arrays", data.check_mnist_arrays, [1, 2])
bad("missing", "x_test", data.check_mnist_arrays, fake_arrays(x_test=None))
bad("bytes", "x_train", data.check_mnist_arrays, fake_arrays(x_train=b"x"))
bad(
    "labels above 9",
    "y_test",
    data.check_mnist_arrays,
    fake_arrays(y_test=np.full(10000, 12, dtype=np.uint8)),
)
bad("missing", "y_test", data.check_mnist_hashes, fake_arrays(y_test=None))
bad("list", "arrays", data.check_mnist_hashes, [1, 2])
bad("wrong data", "x_train", data.check_mnist_hashes, fake_arrays())
bad(
    "empty",
    "pixels",
    data.to_float_images,
    np.zeros((0, 28, 28), dtype=np.uint8),
)
bad("floats", "pixels", data.to_float_images, IMAGES[..., 0])
bad(
    "unknown",
    "shape",
    data.to_float_images,
    np.zeros((2, 28, 28), dtype=np.uint8),
    shape="square",
)
bad(
    "string", "validation_fraction", data.split_validation, FLAT, LABELS, "0.5"
)
bad("one", "validation_fraction", data.split_validation, FLAT, LABELS, 1.0)
bad("length", "labels", data.split_validation, FLAT, LABELS[:4])
bad("empty", "images", data.split_validation, EMPTY, LABELS[:0])
bad("scalar", "labels", data.split_validation, FLAT, 3)
bad("scalar", "images", data.split_validation, 3, LABELS)
bad("not square", "images", data.resize_images, IMAGES[:, :, :20], 28)
bad("zero", "side", data.resize_images, IMAGES, 0)
bad("string", "side", data.resize_images, IMAGES, "28")
bad("flat", "images", data.resize_images, FLAT, 28)
bad("0..255", "images", data.resize_images, SCALED.reshape(IMAGES.shape), 28)

# images (chapter 14)


def image_folder(folder, files):
    """A folder ``images`` in ``folder`` holding ``files``: a dict of file
    names and uint8 (or float) pixels, or bytes written as they are."""
    path = folder / "images"
    path.mkdir()
    for name, content in files.items():
        if isinstance(content, bytes):
            (path / name).write_bytes(content)
        else:
            Image.fromarray(content).save(path / name)
    return path


def small_npz(folder):
    """An ``.npz`` with MNIST's keys but 2 images where MNIST has 60000."""
    path = folder / "small.npz"
    np.savez(
        path,
        x_train=np.zeros((2, 28, 28), dtype=np.uint8),
        y_train=np.zeros(2, dtype=np.uint8),
        x_test=np.zeros((2, 28, 28), dtype=np.uint8),
        y_test=np.zeros(2, dtype=np.uint8),
    )
    return path


def fashion_from_missing_variable(tiny, folder):
    """``load_fashion_mnist()`` while its variable names a missing file."""
    missing = str(folder / "missing.npz")
    with environment(data.FASHION_MNIST_PATH_VARIABLE, missing):
        return data.load_fashion_mnist()


def png_bytes(pixels):
    """``pixels`` (uint8) as the bytes of a PNG file."""
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    return buffer.getvalue()


GREY_8 = np.full((8, 8), 100, dtype=np.uint8)
COLOUR_8 = np.full((8, 8, 3), 100, dtype=np.uint8)
NOISE_32 = np.random.default_rng(13).integers(
    0, 256, size=(32, 32, 3), dtype=np.uint8
)
IMAGE_FOLDER = Lazy(
    lambda tiny, folder: image_folder(
        folder, {"a.png": COLOUR_8, "b.png": GREY_8}
    )
)
TEXT_ONLY_FOLDER = Lazy(
    lambda tiny, folder: image_folder(folder, {"notes.txt": b"words"})
)
SUBFOLDERS_ONLY = Lazy(
    lambda tiny, folder: (
        (folder / "outer" / "inner").mkdir(parents=True) or folder / "outer"
    )
)
TEXT_AS_PNG = Lazy(
    lambda tiny, folder: image_folder(
        folder, {"a.png": GREY_8, "notes.png": b"not an image"}
    )
)
TRUNCATED_PNG = Lazy(
    lambda tiny, folder: image_folder(
        folder, {"cut.png": png_bytes(NOISE_32)[:300]}
    )
)
FLOAT_TIFF = Lazy(
    lambda tiny, folder: image_folder(
        folder, {"deep.tif": np.full((8, 8), 2.0, dtype=np.float32)}
    )
)
SMALL_NPZ = Lazy(lambda tiny, folder: small_npz(folder))
load_folder = images.load_image_folder
bad("number", "folder", load_folder, 42)
bad("bytes", "folder", load_folder, b"photos")
bad("missing", "folder", load_folder, MISSING_FILE)
bad("a file", "folder", load_folder, TEXT_FILE)
bad("empty", "folder", load_folder, FOLDER)
bad("only text files", "folder", load_folder, TEXT_ONLY_FOLDER)
bad("only subfolders", "folder", load_folder, SUBFOLDERS_ONLY)
bad("text named png", "notes.png", load_folder, TEXT_AS_PNG)
bad("truncated png", "cut.png", load_folder, TRUNCATED_PNG)
bad("floats above 1", "deep.tif", load_folder, FLOAT_TIFF)
bad("one number", "size", load_folder, IMAGE_FOLDER, size=8)
bad("three numbers", "size", load_folder, IMAGE_FOLDER, size=(8, 8, 3))
bad("zero", "size", load_folder, IMAGE_FOLDER, size=(0, 8))
bad("negative", "size", load_folder, IMAGE_FOLDER, size=(8, -8))
bad("floats", "size", load_folder, IMAGE_FOLDER, size=(8.0, 8.0))
bad("bool", "size", load_folder, IMAGE_FOLDER, size=(True, 8))
bad("string", "size", load_folder, IMAGE_FOLDER, size="8x8")
bad("unknown", "colour_mode", load_folder, IMAGE_FOLDER, colour_mode="grey")
bad("upper case", "colour_mode", load_folder, IMAGE_FOLDER, colour_mode="RGB")
bad("none", "colour_mode", load_folder, IMAGE_FOLDER, colour_mode=None)
bad("mixed auto", "colour_mode", load_folder, IMAGE_FOLDER, colour_mode="auto")
bad("zero", "min_side", load_folder, IMAGE_FOLDER, min_side=0)
bad("float", "min_side", load_folder, IMAGE_FOLDER, min_side=2.5)
bad("string", "min_side", load_folder, IMAGE_FOLDER, min_side="8")
bad("image too small", "min_side", load_folder, IMAGE_FOLDER, min_side=9)
bad(
    "size too small",
    "min_side",
    load_folder,
    IMAGE_FOLDER,
    size=(8, 16),
    min_side=9,
)
load_fashion = data.load_fashion_mnist
bad("unknown", "shape", load_fashion, shape="square")
bad("zero", "train_size", load_fashion, train_size=0)
bad("too many", "train_size", load_fashion, train_size=60001)
bad("string", "test_size", load_fashion, test_size="10")
bad("too many", "test_size", load_fashion, test_size=10001)
bad("2**32", "seed", load_fashion, seed=2**32, path=MISSING_FILE)
bad("negative", "seed", load_fashion, seed=-1, path=MISSING_FILE)
bad("number", "path", load_fashion, path=42)
bad("missing", "path", load_fashion, path=MISSING_FILE)
bad("folder", "path", load_fashion, path=FOLDER)
bad("npy renamed npz", "renamed.npz", load_fashion, path=RENAMED_NPZ)
bad("zip of text", "members.npz", load_fashion, path=ZIP_OF_TEXT)
bad("text file", "notes.npz", load_fashion, path=TEXT_FILE)
bad("two images", "x_train", load_fashion, path=SMALL_NPZ)
case(
    "data.load_fashion_mnist",
    data.FASHION_MNIST_PATH_VARIABLE,
    "missing file",
    fashion_from_missing_variable,
)

# photos (chapter 14)
PHOTO = RNG.uniform(0.1, 0.9, size=(24, 32, 3)).astype("float32")
GREY_PHOTO = PHOTO[..., :1]
PATCHES = RNG.uniform(0.0, 1.0, size=(4, 8, 8, 3)).astype("float32")
DENOISER = Lazy(
    lambda tiny, folder: photos.build_photo_denoiser(width=4, depth=2)
)
CODEC = Lazy(
    lambda tiny, folder: photos.build_photo_codec(code_channels=2, width=4)
)
RANGES = (np.zeros(2), np.ones(2))
bad("unknown", "name", photos.load_photo, "cat")
bad("string", "colour", photos.load_photo, "camera", "yes")
bad("string", "names", photos.load_photos, "camera")
bad("empty", "names", photos.load_photos, [])
bad("unknown", "names", photos.load_photos, ["camera", "lena"])
bad("string", "colour", photos.load_photos, ["camera"], "yes")
bad("2-d", "image", photos.check_photo, PHOTO[..., 0])
bad("4 channels", "image", photos.check_photo, np.zeros((4, 4, 4)))
bad("0..255", "image", photos.check_photo, PHOTO * 255)
bad("nan", "image", photos.check_photo, np.full((4, 4, 3), np.nan))
bad("list of names", "photos", photos.sample_patches, "camera", 8, 2)
bad("empty", "photos", photos.sample_patches, {}, 8, 2)
bad("nan", "photos", photos.sample_patches, {"a": PHOTO * np.nan}, 8, 2)
bad(
    "4 channels",
    "photos",
    photos.sample_patches,
    {"a": np.ones((9, 9, 4))},
    8,
    2,
)
bad("colour", "image", photos.whiten_photo, PHOTO)
bad("0..255", "image", photos.whiten_photo, GREY_PHOTO * 255)
bad(
    "mixed",
    "photos",
    photos.sample_patches,
    {"a": PHOTO, "b": GREY_PHOTO},
    8,
    2,
)
bad("too big", "size", photos.sample_patches, {"a": PHOTO}, 25, 2)
bad("zero", "size", photos.sample_patches, {"a": PHOTO}, 0, 2)
bad("zero", "per_photo", photos.sample_patches, {"a": PHOTO}, 8, 0)
bad("negative", "seed", photos.sample_patches, {"a": PHOTO}, 8, 2, seed=-1)
bad("colour", "patches", photos.normalise_patches, PATCHES)
bad("flat", "patches", photos.normalise_patches, np.ones((4, 8, 8, 1)))
bad("nan", "patches", photos.normalise_patches, np.full((2, 8, 8, 1), np.nan))
bad("negative", "sigma", photos.check_sigma, -1)
bad("0..1 scale too big", "sigma", photos.check_sigma, 256)
bad("string", "sigma", photos.check_sigma, "25")
bad("0..255", "image", photos.add_gaussian_noise, PHOTO * 255, 25)
bad("negative", "sigma", photos.add_gaussian_noise, PHOTO, -5)
bad("negative", "seed", photos.add_gaussian_noise, PHOTO, 25, seed=-1)
bad("2-d", "noisy", photos.noise_level_map, np.ones((4, 4)), 25)
bad("too big", "sigma", photos.noise_level_map, PHOTO, 300)
bad("3-d", "patches", photos.NoisyPatches, PHOTO)
bad("0..255", "patches", photos.NoisyPatches, PATCHES * 255)
bad("zero", "batch_size", photos.NoisyPatches, PATCHES, 0)
bad("one value", "sigma_range", photos.NoisyPatches, PATCHES, 2, 25)
bad("reversed", "sigma_range", photos.NoisyPatches, PATCHES, 2, (50, 10))
bad("too big", "sigma_range", photos.NoisyPatches, PATCHES, 2, (0, 300))
bad("negative", "seed", photos.NoisyPatches, PATCHES, seed=-1)
bad("zero", "channels", photos.build_photo_denoiser, 0)
bad("zero", "width", photos.build_photo_denoiser, 3, 0)
bad("one", "depth", photos.build_photo_denoiser, 3, 8, 1)
bad("negative", "seed", photos.build_photo_denoiser, seed=-1)
bad("string", "model", photos.denoise, "model", PHOTO, 25)
bad("codec", "model", photos.denoise, CODEC, PHOTO, 25)
bad("2-d", "noisy", photos.denoise, DENOISER, PHOTO[..., 0], 25)
bad("grey", "noisy", photos.denoise, DENOISER, GREY_PHOTO, 25)
bad("negative", "sigma", photos.denoise, DENOISER, PHOTO, -1)
bad("string", "ensemble", photos.denoise, DENOISER, PHOTO, 25, "yes")
bad("2-d", "noisy", photos.denoise_classically, PHOTO[..., 0], 25, "wavelet")
bad("negative", "sigma", photos.denoise_classically, PHOTO, -1, "wavelet")
bad("unknown", "method", photos.denoise_classically, PHOTO, 25, "bm3d")
bad("0..255", "clean", photos.photo_quality, PHOTO * 255, PHOTO)
bad("shape", "restored", photos.photo_quality, PHOTO, PHOTO[:20])
bad("2-d", "restored", photos.photo_quality, PHOTO, PHOTO[..., 0])
bad("zero", "channels", photos.build_photo_codec, 0)
bad("zero", "code_channels", photos.build_photo_codec, 3, 0)
bad("zero", "width", photos.build_photo_codec, 3, 8, 0)
bad("17", "noise_bits", photos.build_photo_codec, noise_bits=17)
bad("negative", "seed", photos.build_photo_codec, seed=-1)
bad("denoiser", "codec", photos.encode_photo, DENOISER, PHOTO)
bad("0..255", "image", photos.encode_photo, CODEC, PHOTO * 255)
bad("string", "codec", photos.compress_photo, "codec", PHOTO, *RANGES, 4)
bad("0..255", "image", photos.compress_photo, CODEC, PHOTO * 255, *RANGES, 4)
bad("zero", "bits", photos.compress_photo, CODEC, PHOTO, *RANGES, 0)
bad(
    "three ranges",
    "low",
    photos.compress_photo,
    CODEC,
    PHOTO,
    np.zeros(3),
    np.ones(3),
    4,
)
bad("0..255", "image", photos.jpeg_photo, PHOTO * 255, 50)
bad("zero", "quality", photos.jpeg_photo, PHOTO, 0)
bad("100", "quality", photos.jpeg_photo, PHOTO, 100)
bad("1-d", "filters", photos.orientation_coherence, np.ones(9))
bad("not square", "filters", photos.check_filters, np.ones((2, 3, 4)))
bad("strings", "filters", photos.check_filters, [["a", "b"]])
bad("not square", "filters", photos.orientation_coherence, np.ones((2, 10)))
bad("2x2", "filters", photos.orientation_coherence, np.ones((2, 2, 2)))
bad("nan", "filters", photos.energy_support, np.full((2, 3, 3), np.nan))
bad("zero", "share", photos.energy_support, np.ones((2, 3, 3)), 0)
bad("above 1", "share", photos.energy_support, np.ones((2, 3, 3)), 1.5)
bad("zero", "quality", compression.check_quality, 0)
bad("float", "quality", compression.check_quality, 50.0)
bad("not square", "filters", plots.plot_filters, np.ones((2, 10)))
bad("1-d", "filters", plots.plot_filters, np.ones(9))
bad("zero", "columns", plots.plot_filters, np.ones((2, 3, 3)), 0)
bad("empty", "photos", plots.plot_photo_crops, {}, (0, 0, 4))
bad("list", "photos", plots.plot_photo_crops, [PHOTO], (0, 0, 4))
bad("2-d", "photos", plots.plot_photo_crops, {"a": PHOTO[..., 0]}, (0, 0, 4))
bad(
    "shapes",
    "photos",
    plots.plot_photo_crops,
    {"a": PHOTO, "b": PHOTO[:20]},
    (0, 0, 4),
)
bad("outside", "box", plots.plot_photo_crops, {"a": PHOTO}, (20, 0, 8))
bad("pair", "box", plots.plot_photo_crops, {"a": PHOTO}, (0, 0))
bad("zero", "columns", plots.plot_photo_crops, {"a": PHOTO}, (0, 0, 4), 0)
bad("empty", "photos", plots.plot_photos, {})
bad("2-d", "photos", plots.plot_photos, {"a": PHOTO[..., 0]})
bad("zero", "columns", plots.plot_photos, {"a": PHOTO}, 0)
bad(
    "number",
    "xlabel",
    plots.plot_rate_distortion,
    {"a": ([1, 2], [3, 4])},
    xlabel=3,
)

# latent
bad("zero", "steps", latent.interpolation_weights, 0)
bad("string", "first", latent.interpolation_weights, 5, "0.1")
bad("above 1", "last", latent.interpolation_weights, 5, 0.1, 1.5)
bad("nan", "first", latent.interpolation_weights, 5, float("nan"), 0.9)
bad("after last", "first", latent.interpolation_weights, 5, 0.9, 0.1)
bad("nan", "weights", latent.check_weights, [0.1, float("nan")])
bad("strings", "weights", latent.check_weights, ["a", "b"])
bad("2-d", "weights", latent.check_weights, [[0.1]])
bad("empty", "weights", latent.check_weights, [])
bad("above 1", "weights", latent.check_weights, [0.5, 1.5])
bad(
    "nan",
    "start",
    latent.interpolate_codes,
    with_nan(CODES[0]),
    CODES[1],
    WEIGHTS,
)
bad("size", "end", latent.interpolate_codes, CODES[0], CODES[1, :2], WEIGHTS)
bad("2-d", "start", latent.interpolate_codes, CODES, CODES, WEIGHTS)
bad("strings", "start", latent.interpolate_codes, ["a"], ["b"], WEIGHTS)
bad(
    "unknown",
    "method",
    latent.interpolate_codes,
    CODES[0],
    CODES[1],
    WEIGHTS,
    "cubic",
)
bad("above 1", "weights", latent.interpolate_codes, CODES[0], CODES[1], [1.5])
bad("0..255", "start", latent.crossfade_images, SCALED[0], FLAT[1], WEIGHTS)
bad("shape", "end", latent.crossfade_images, FLAT[0], FLAT[1, :10], WEIGHTS)
bad(
    "nan", "weights", latent.crossfade_images, FLAT[0], FLAT[1], [float("nan")]
)
bad("inf", "low", latent.grid_codes, [-np.inf, 0], [1, 1], 3)
bad("three values", "high", latent.grid_codes, [0, 0], [1, 1, 1], 3)
bad("nan", "high", latent.grid_codes, [0, 0], [1, np.nan], 3)
bad("below low", "high", latent.grid_codes, [0, 0], [1, -1], 3)
bad("zero", "steps", latent.grid_codes, [0, 0], [1, 1], 0)
bad("strings", "low", latent.grid_codes, ["a", "b"], [1, 1], 3)
bad("string", "margin", latent.normal_quantile_grid, 3, "0.05")
bad("half", "margin", latent.normal_quantile_grid, 3, 0.5)
bad("zero", "steps", latent.normal_quantile_grid, 0)
bad("nan", "codes", latent.mean_code_direction, with_nan(CODES), SELECTED)
bad("1-d", "codes", latent.mean_code_direction, CODES[0], SELECTED[:4])
bad(
    "ints", "selected", latent.mean_code_direction, CODES, SELECTED.astype(int)
)
bad("length", "selected", latent.mean_code_direction, CODES, SELECTED[:3])
bad("10..15", "labels", latent.pick_digit_pairs, BIG_LABELS, 3)
bad("floats", "labels", latent.pick_digit_pairs, FLOAT_LABELS, 3)
bad("one digit", "labels", latent.pick_digit_pairs, [3, 3, 3], 3)
bad("2**32", "seed", latent.pick_digit_pairs, LABELS, 3, seed=2**32)
bad("negative", "seed", latent.pick_digit_pairs, LABELS, 3, seed=-1)
bad("float", "seed", latent.pick_digit_pairs, LABELS, 3, seed=0.5)
bad("zero", "count", latent.pick_digit_pairs, LABELS, 0)
bad(
    "string",
    "decoder",
    latent.decode_paths,
    "decoder",
    CODES[:2],
    CODES[2:4],
    WEIGHTS,
)
bad(
    "nan",
    "start_codes",
    latent.decode_paths,
    T.decoder,
    with_nan(CODES[:2]),
    CODES[2:4],
    WEIGHTS,
)
bad(
    "shape",
    "end_codes",
    latent.decode_paths,
    T.decoder,
    CODES[:2],
    CODES[2:5],
    WEIGHTS,
)
bad(
    "code size",
    "start_codes",
    latent.decode_paths,
    T.decoder,
    CODES_2[:2],
    CODES_2[2:4],
    WEIGHTS,
)
bad(
    "above 1",
    "weights",
    latent.decode_paths,
    T.decoder,
    CODES[:2],
    CODES[2:4],
    [2.0],
)
bad(
    "unknown",
    "method",
    latent.decode_paths,
    T.decoder,
    CODES[:2],
    CODES[2:4],
    WEIGHTS,
    "cubic",
)
bad(
    "0..255",
    "start_images",
    latent.crossfade_paths,
    SCALED[:2],
    FLAT[2:4],
    WEIGHTS,
)
bad(
    "shape", "end_images", latent.crossfade_paths, FLAT[:2], FLAT[2:5], WEIGHTS
)
bad("nan", "weights", latent.crossfade_paths, FLAT[:2], FLAT[2:4], [np.nan])

# metrics
for _name in (
    "mean_squared_error",
    "binary_cross_entropy",
    "summed_squared_error",
    "peak_signal_noise_ratio",
    "structural_similarity",
    "evaluate_reconstructions",
):
    _function = getattr(metrics, _name)
    bad("0..255", "x_pred", _function, FLAT, SCALED)
    bad("nan", "x_pred", _function, FLAT, with_nan(FLAT))
    bad("inf", "x_pred", _function, FLAT, with_inf(FLAT))
    bad("shape", "x_pred", _function, FLAT, FLAT[:3])
    bad("0..255", "x_true", _function, SCALED, FLAT)
    bad("empty", "x_true", _function, EMPTY, EMPTY)
    bad("strings", "x_pred", _function, FLAT, "reconstructions")
bad(
    "not 28x28",
    "x_true",
    metrics.peak_signal_noise_ratio,
    FLAT[:, :100],
    FLAT[:, :100],
)
bad("empty", "name", metrics.results_row, "", FLAT, FLAT)
bad("float", "code_size", metrics.results_row, "a", FLAT, FLAT, code_size=1.5)
bad(
    "string", "code_size", metrics.results_row, "a", FLAT, FLAT, code_size="32"
)
bad(
    "negative",
    "parameters",
    metrics.results_row,
    "a",
    FLAT,
    FLAT,
    parameters=-1,
)
bad("nan", "seconds", metrics.results_row, "a", FLAT, FLAT, seconds=np.nan)
bad("0..255", "x_pred", metrics.results_row, "a", FLAT, SCALED)
bad("one row dict", "rows", metrics.format_results_table, ONE_RESULTS_ROW)
bad("empty", "rows", metrics.format_results_table, [])
bad("strings", "rows", metrics.format_results_table, ["a"])
bad(
    "unknown column",
    "rows",
    metrics.format_results_table,
    [{"model": "a", "accuracy": 1.0}],
)
bad(
    "float value",
    "code size",
    metrics.format_results_table,
    [{"model": "a", "code size": 1.5}],
)
bad("number", "rows", metrics.format_results_table, 3)
bad("dict", "rows", metrics.markdown_table, {"a": 1}, {"a": "{}"})
bad("list", "formats", metrics.markdown_table, [{"a": 1}], ["a"])
bad("empty", "formats", metrics.markdown_table, [{"a": 1}], {})
bad("list", "titles", metrics.markdown_table, [{"a": 1}], {"a": "{}"}, ["a"])
bad(
    "unformattable",
    "rows",
    metrics.markdown_table,
    [{"a": "x"}],
    {"a": "{:.2f}"},
)

# models
bad("int", "hidden_sizes", models.build_dense_encoder, hidden_sizes=128)
bad("string", "hidden_sizes", models.build_dense_encoder, hidden_sizes="128")
bad("string", "code_size", models.build_dense_encoder, code_size="32")
bad("zero", "input_shape", models.build_dense_encoder, input_shape=(0,))
bad("unknown", "activation", models.build_dense_encoder, activation="wiggle")
bad("number", "name", models.build_dense_encoder, name=42)
bad("int", "hidden_sizes", models.build_dense_decoder, hidden_sizes=64)
bad("zero", "output_shape", models.build_dense_decoder, output_shape=(0,))
bad(
    "unknown",
    "output_activation",
    models.build_dense_decoder,
    output_activation="wiggle",
)
bad("zero", "code_size", models.build_dense_decoder, code_size=0)
bad("empty", "name", models.build_dense_decoder, name="")
bad("swapped", "encoder", models.join_autoencoder, T.decoder, T.encoder)
bad("string", "encoder", models.join_autoencoder, "encoder", T.decoder)
bad("array", "decoder", models.join_autoencoder, T.encoder, FLAT)
bad("code size", "decoder", models.join_autoencoder, T.encoder, DECODER_8)
bad("number", "name", models.join_autoencoder, T.encoder, T.decoder, 42)
bad("int", "hidden_sizes", models.build_dense_autoencoder, hidden_sizes=128)
bad("negative", "code_size", models.build_dense_autoencoder, code_size=-1)
bad("number", "name", models.build_dense_autoencoder, name=7)
bad("none", "model", models.check_model_input, None, FLAT)
bad("shape", "images", models.check_model_input, T.autoencoder, IMAGES)
bad("0..255", "images", models.check_model_input, T.autoencoder, SCALED)
bad("string", "model", models.reconstruct, "model", FLAT)
bad("nan", "images", models.reconstruct, T.autoencoder, with_nan(FLAT))
bad("zero", "batch_size", models.reconstruct, T.autoencoder, FLAT, 0)
bad("none", "encoder", models.encode, None, FLAT)
bad("empty", "images", models.encode, T.encoder, EMPTY)
bad("none", "decoder", models.decode, None, CODES)
bad("nan", "codes", models.decode, T.decoder, with_nan(CODES))
bad("size", "codes", models.decode, T.decoder, CODES_2)
bad("strings", "codes", models.decode, T.decoder, [["a", "b", "c", "d"]])
bad("empty", "codes", models.decode, T.decoder, np.zeros((0, 4)))
bad("string", "batch_size", models.decode, T.decoder, CODES, "8")
bad("none", "model", models.count_parameters, None)
bad("int", "filters", models.build_pooling_conv_autoencoder, filters=16)
bad("two", "filters", models.build_pooling_conv_autoencoder, filters=(16, 8))
bad(
    "five", "kernel_size", models.build_pooling_conv_autoencoder, kernel_size=5
)
bad(
    "unknown",
    "activation",
    models.build_pooling_conv_autoencoder,
    activation="wiggle",
)
bad("int", "filters", models.build_strided_conv_autoencoder, filters=32)
bad("int", "strides", models.build_strided_conv_autoencoder, strides=2)
bad(
    "not divisible",
    "image_side",
    models.build_strided_conv_autoencoder,
    image_side=30,
)
bad(
    "string",
    "kernel_size",
    models.build_strided_conv_autoencoder,
    kernel_size="5",
)
bad("tuple", "filters", models.build_denoising_conv_autoencoder, filters=(32,))
bad(
    "zero",
    "kernel_size",
    models.build_denoising_conv_autoencoder,
    kernel_size=0,
)
bad("empty", "name", models.build_denoising_conv_autoencoder, name="")

# plots
bad("number", "function", plots.book_style, 42)
bad("none", "function", plots.book_style, None)
bad("0..255", "images", plots.plot_digits, SCALED, [0])
bad("out of range", "indices", plots.plot_digits, FLAT, [6])
bad("length", "labels", plots.plot_digits, FLAT, [0], labels=LABELS[:3])
bad("scalar", "labels", plots.plot_digits, FLAT, [0], labels=3)
bad("zero", "columns", plots.plot_digits, FLAT, [0], columns=0)
bad("array", "reconstructions", plots.plot_reconstructions, FLAT, FLAT, [0])
bad(
    "0..255",
    "reconstructions",
    plots.plot_reconstructions,
    FLAT,
    {"a": SCALED},
    [0],
)
bad(
    "nan",
    "reconstructions",
    plots.plot_reconstructions,
    FLAT,
    {"a": with_nan(FLAT)},
    [0],
)
bad(
    "nan",
    "originals",
    plots.plot_reconstructions,
    with_nan(FLAT),
    {"a": FLAT},
    [0],
)
bad(
    "out of range",
    "indices",
    plots.plot_reconstructions,
    FLAT,
    {"a": FLAT},
    [9],
)
bad("training run", "runs", plots.plot_loss_curves, RUN)
bad("array", "runs", plots.plot_loss_curves, np.ones(3))
bad("list value", "runs", plots.plot_loss_curves, {"a": [0.3, 0.2]})
bad("empty", "runs", plots.plot_loss_curves, {})
bad("unknown", "metric", plots.plot_loss_curves, {"a": RUN}, "accuracy")
bad("nan", "codes", plots.plot_codes, with_nan(CODES), [0])
bad("1-d", "codes", plots.plot_codes, CODES[0], [0])
bad("10..15", "labels", plots.plot_codes, CODES, [0], labels=BIG_LABELS)
bad("length", "labels", plots.plot_codes, CODES, [0], labels=LABELS[:2])
bad("out of range", "indices", plots.plot_codes, CODES, [6])
bad("nan", "codes", plots.plot_latent_scatter, with_nan(CODES_2), LABELS)
bad("strings", "codes", plots.plot_latent_scatter, [["a", "b"]], [1])
bad("10..15", "labels", plots.plot_latent_scatter, CODES_2, BIG_LABELS)
bad("floats", "labels", plots.plot_latent_scatter, CODES_2, FLOAT_LABELS)
bad("length", "labels", plots.plot_latent_scatter, CODES_2, LABELS[:3])
bad("zero", "sample", plots.plot_latent_scatter, CODES_2, LABELS, sample=0)
bad(
    "2**32",
    "seed",
    plots.plot_latent_scatter,
    CODES_2,
    LABELS,
    sample=3,
    seed=2**32,
)
bad(
    "negative",
    "seed",
    plots.plot_latent_scatter,
    CODES_2,
    LABELS,
    sample=3,
    seed=-1,
)
bad("two units", "codes", plots.plot_latent_3d, CODES_2, LABELS)
bad("nan", "codes", plots.plot_latent_3d, with_nan(CODES), LABELS)
bad("10..15", "labels", plots.plot_latent_3d, CODES, BIG_LABELS)
bad("string", "elevation", plots.plot_latent_3d, CODES, LABELS, elevation="25")
bad("nan", "azimuth", plots.plot_latent_3d, CODES, LABELS, azimuth=np.nan)
bad("negative", "seed", plots.plot_latent_3d, CODES, LABELS, sample=3, seed=-1)
bad(
    "nan",
    "originals",
    plots.plot_reconstruction_history,
    with_nan(FLAT[:2]),
    FLAT[:4].reshape(2, 2, 784),
)
bad(
    "shape",
    "reconstructions",
    plots.plot_reconstruction_history,
    FLAT[:2],
    FLAT[:3],
)
bad(
    "0..255",
    "reconstructions",
    plots.plot_reconstruction_history,
    FLAT[:2],
    SCALED[:4].reshape(2, 2, 784),
)
bad(
    "nan",
    "reconstructions",
    plots.plot_reconstruction_history,
    FLAT[:2],
    with_nan(FLAT[:4]).reshape(2, 2, 784),
)
bad(
    "zero",
    "epochs",
    plots.plot_reconstruction_history,
    FLAT[:2],
    FLAT[:4].reshape(2, 2, 784),
    epochs=[0],
)
bad(
    "string",
    "epochs",
    plots.plot_reconstruction_history,
    FLAT[:2],
    FLAT[:4].reshape(2, 2, 784),
    epochs="1",
)
bad("2-d", "feature_maps", plots.plot_feature_maps, CODES)
bad("nan", "feature_maps", plots.plot_feature_maps, with_nan(IMAGES[0]))
bad("strings", "feature_maps", plots.plot_feature_maps, "maps")
bad("zero", "columns", plots.plot_feature_maps, IMAGES[0], columns=0)
bad("nan", "images", plots.plot_index_maps, with_nan(IMAGES), GRIDS, [0])
bad("2-d", "indices", plots.plot_index_maps, IMAGES, GRIDS[:, 0], [0])
bad("floats", "indices", plots.plot_index_maps, IMAGES, GRIDS * 0.5, [0])
bad("short", "indices", plots.plot_index_maps, IMAGES, GRIDS[:1], [0])
bad("beyond", "show", plots.plot_index_maps, IMAGES, GRIDS, [99])
bad(
    "0..255",
    "reconstructions",
    plots.plot_grid_pair,
    FLAT,
    SCALED,
    [0, 1, 2, 3],
    side=2,
)
bad("zero", "side", plots.plot_grid_pair, FLAT, FLAT, [0], side=0)
bad("count", "indices", plots.plot_grid_pair, FLAT, FLAT, [0, 1], side=2)
bad(
    "nan",
    "originals",
    plots.plot_grid_pair,
    with_nan(FLAT),
    FLAT,
    [0, 1, 2, 3],
    side=2,
)
bad("shape", "weights", plots.plot_weight_images, np.zeros((10, 10)))
bad("nan", "weights", plots.plot_weight_images, with_nan(FLAT))
bad("zero", "count", plots.plot_weight_images, FLAT, count=0)
bad(
    "string",
    "shared_scale",
    plots.plot_weight_images,
    FLAT,
    shared_scale="yes",
)
bad("array", "rows", plots.plot_noise_rows, FLAT, [0])
bad("nan", "rows", plots.plot_noise_rows, {"a": with_nan(FLAT)}, [0])
bad("0..255", "rows", plots.plot_noise_rows, {"a": SCALED}, [0])
bad("out of range", "indices", plots.plot_noise_rows, {"a": FLAT}, [7])
bad("list", "codes_by_name", plots.plot_activation_histogram, [CODES])
bad(
    "nan",
    "codes_by_name",
    plots.plot_activation_histogram,
    {"a": with_nan(CODES)},
)
bad("zero", "bins", plots.plot_activation_histogram, {"a": CODES}, bins=0)
bad(
    "string",
    "log_scale",
    plots.plot_activation_histogram,
    {"a": CODES},
    log_scale="yes",
)
bad("list", "points", plots.plot_tradeoff, [(1, 2)], "x", "y")
bad("nan", "points", plots.plot_tradeoff, {"a": (1, np.nan)}, "x", "y")
bad(
    "non-positive x",
    "log_x",
    plots.plot_tradeoff,
    {"a": (0, 1)},
    "x",
    "y",
    log_x=True,
)
bad("one value", "x", plots.plot_curves, [1], {"a": [1]}, "x", "y")
bad("strings", "x", plots.plot_curves, ["a", "b"], {"a": [1, 2]}, "x", "y")
bad("list", "curves", plots.plot_curves, [1, 2], [[1, 2]], "x", "y")
bad("nan", "curves", plots.plot_curves, [1, 2], {"a": [1, np.nan]}, "x", "y")
bad("length", "curves", plots.plot_curves, [1, 2], {"a": [1]}, "x", "y")
bad(
    "string",
    "marker",
    plots.plot_curves,
    [1, 2],
    {"a": [1, 2]},
    "x",
    "y",
    marker="0.5",
)
bad("list", "strips", plots.plot_interpolation_strips, [FLAT[:3]], WEIGHTS)
bad(
    "length",
    "strips",
    plots.plot_interpolation_strips,
    {"a": FLAT[:2]},
    WEIGHTS,
)
bad(
    "nan",
    "weights",
    plots.plot_interpolation_strips,
    {"a": FLAT[:3]},
    [0, np.nan, 1],
)
bad(
    "0..255",
    "strips",
    plots.plot_interpolation_strips,
    {"a": SCALED[:3]},
    WEIGHTS,
)
bad("empty", "strips", plots.plot_interpolation_strips, {}, WEIGHTS)
bad("count", "images", plots.plot_decoded_grid, FLAT, [0, 1], [0, 1])
bad(
    "nan", "horizontal", plots.plot_decoded_grid, FLAT[:4], [0, np.nan], [0, 1]
)
bad("empty", "vertical", plots.plot_decoded_grid, FLAT[:4], [0, 1], [])
bad("0..255", "images", plots.plot_decoded_grid, SCALED[:4], [0, 1], [0, 1])
bad("array", "codes_by_name", plots.plot_latent_scatters, CODES_2, LABELS)
bad(
    "nan",
    "codes_by_name",
    plots.plot_latent_scatters,
    {"a": with_nan(CODES_2)},
    LABELS,
)
bad("10..15", "labels", plots.plot_latent_scatters, {"a": CODES_2}, BIG_LABELS)
bad(
    "negative",
    "seed",
    plots.plot_latent_scatters,
    {"a": CODES_2},
    LABELS,
    sample=3,
    seed=-1,
)

NEIGHBOURS = np.array([[1, 2], [3, 4]])
bad(
    "0..255",
    "query_images",
    plots.plot_neighbours,
    SCALED[:2],
    FLAT,
    NEIGHBOURS,
)
bad(
    "nan",
    "database_images",
    plots.plot_neighbours,
    FLAT[:2],
    with_nan(FLAT),
    NEIGHBOURS,
)
bad(
    "14x14",
    "query_images",
    plots.plot_neighbours,
    IMAGES[:2, :14, :14],
    FLAT,
    NEIGHBOURS,
)
bad(
    "floats",
    "neighbour_indices",
    plots.plot_neighbours,
    FLAT[:2],
    FLAT,
    NEIGHBOURS + 0.5,
)
bad(
    "out of range",
    "neighbour_indices",
    plots.plot_neighbours,
    FLAT[:2],
    FLAT,
    NEIGHBOURS + 2,
)
bad(
    "negative",
    "neighbour_indices",
    plots.plot_neighbours,
    FLAT[:2],
    FLAT,
    -NEIGHBOURS,
)
bad(
    "rows",
    "neighbour_indices",
    plots.plot_neighbours,
    FLAT[:3],
    FLAT,
    NEIGHBOURS,
)
bad("1-d", "neighbour_indices", plots.plot_neighbours, FLAT[:2], FLAT, [1, 2])
bad(
    "11 columns",
    "neighbour_indices",
    plots.plot_neighbours,
    FLAT[:1],
    FLAT,
    np.zeros((1, 11), "int64"),
)
bad(
    "length",
    "query_labels",
    plots.plot_neighbours,
    FLAT[:2],
    FLAT,
    NEIGHBOURS,
    LABELS,
)
bad(
    "floats",
    "query_labels",
    plots.plot_neighbours,
    FLAT[:2],
    FLAT,
    NEIGHBOURS,
    FLOAT_LABELS[:2],
)
bad(
    "10..15",
    "database_labels",
    plots.plot_neighbours,
    FLAT[:2],
    FLAT,
    NEIGHBOURS,
    LABELS[:2],
    BIG_LABELS,
)
bad(
    "length",
    "database_labels",
    plots.plot_neighbours,
    FLAT[:2],
    FLAT,
    NEIGHBOURS,
    database_labels=LABELS[:3],
)

# sparsity
bad("negative", "weight", sparsity.L1ActivityPenalty, -1.0)
bad("string", "weight", sparsity.L1ActivityPenalty, "1e-4")
bad("above 1", "rho", sparsity.KLSparsityPenalty, 1.5, 1.0)
bad("nan", "beta", sparsity.KLSparsityPenalty, 0.05, np.nan)
bad("string", "penalty", sparsity.build_sparse_autoencoder, penalty="l1")
bad(
    "KL with relu",
    "code_activation",
    sparsity.build_sparse_autoencoder,
    penalty=KL_PENALTY,
)
bad("zero", "code_size", sparsity.build_sparse_autoencoder, code_size=0)
bad(
    "string", "input_size", sparsity.build_sparse_autoencoder, input_size="784"
)
bad(
    "unknown",
    "code_activation",
    sparsity.build_sparse_autoencoder,
    code_activation="wiggle",
)
bad("number", "name", sparsity.build_sparse_autoencoder, name=3)
bad("nan", "codes", sparsity.mean_activation, with_nan(CODES))
bad("1-d", "codes", sparsity.mean_activation, CODES[0])
bad("empty", "codes", sparsity.mean_activation, np.zeros((0, 4)))
bad("zero", "threshold", sparsity.fraction_near_zero, CODES, 0)
bad("strings", "codes", sparsity.fraction_near_zero, [["a"]])
bad("string", "threshold", sparsity.dead_units, CODES, "0.1")
bad("nan", "codes", sparsity.dead_units, with_nan(CODES))
bad("inf", "codes", sparsity.summarize_sparsity, with_inf(CODES))
bad("negative", "threshold", sparsity.summarize_sparsity, CODES, -1)
bad("empty", "name", sparsity.sparsity_row, "", CODES, FLAT, FLAT)
bad("length", "codes", sparsity.sparsity_row, "a", CODES[:2], FLAT, FLAT)
bad("0..255", "x_pred", sparsity.sparsity_row, "a", CODES, FLAT, SCALED)
bad("nan", "codes", sparsity.sparsity_row, "a", with_nan(CODES), FLAT, FLAT)
bad("scalar", "codes", sparsity.sparsity_row, "a", 3, FLAT, FLAT)
bad("one row dict", "rows", sparsity.format_sparsity_table, ONE_SPARSITY_ROW)
bad("empty", "rows", sparsity.format_sparsity_table, [])
bad("strings", "rows", sparsity.format_sparsity_table, ["a"])

# training
bad("none", "loss", training.compile_autoencoder, FRESH, loss=None)
bad("unknown", "loss", training.compile_autoencoder, FRESH, loss="wiggle")
bad("none", "optimizer", training.compile_autoencoder, FRESH, optimizer=None)
bad("number", "optimizer", training.compile_autoencoder, FRESH, optimizer=42)
bad(
    "inf",
    "learning_rate",
    training.compile_autoencoder,
    FRESH,
    learning_rate=np.inf,
)
bad(
    "string",
    "learning_rate",
    training.compile_autoencoder,
    FRESH,
    learning_rate="0.01",
)
bad(
    "with optimizer object",
    "learning_rate",
    training.compile_autoencoder,
    FRESH,
    optimizer=ADAM,
    learning_rate=0.5,
)
bad("none", "model", training.compile_autoencoder, None)
fit("0..255", "train_targets", train_targets=SCALED)
fit("nan", "train_targets", train_targets=with_nan(FLAT))
fit("shape", "train_targets", train_targets=FLAT[:, :10])
fit("length", "train_targets", train_targets=FLAT[:3])
fit("without x_validation", "validation_targets", validation_targets=FLAT)
fit(
    "length",
    "validation_targets",
    x_validation=FLAT[:2],
    validation_targets=FLAT[:3],
)
fit(
    "shape",
    "validation_targets",
    x_validation=FLAT[:2],
    validation_targets=IMAGES[:2],
)
fit(
    "0..255",
    "validation_targets",
    x_validation=FLAT[:2],
    validation_targets=SCALED[:2],
)
fit("shape", "x_validation", x_validation=IMAGES[:2])
fit("nan", "x_train", x_train=with_nan(FLAT))
fit("not callbacks", "callbacks", callbacks=[42])
fit("string", "callbacks", callbacks="recorder")
fit("2**32", "seed", seed=2**32)
fit("negative", "seed", seed=-1)
fit("float", "seed", seed=0.5)
fit("string", "epochs", epochs="3")
fit("zero", "batch_size", batch_size=0)
bad("none", "model", training.fit_autoencoder, None, FLAT, epochs=1)
bad(
    "not compiled",
    "compile",
    training.fit_autoencoder,
    UNCOMPILED,
    FLAT,
    epochs=1,
)
bad("0..255", "images", training.ReconstructionRecorder, SCALED)
bad("nan", "images", training.ReconstructionRecorder, with_nan(FLAT))
bad(
    "too many",
    "images",
    training.ReconstructionRecorder,
    np.zeros((65, 784), "float32"),
)
bad("missing metric", "val_loss", training.TrainingRun.final, RUN, "val_loss")

# vae
bad("2**32", "seed", vae.Sampling, seed=2**32)
bad("negative", "seed", vae.Sampling, seed=-1)
bad("shape", "log_variance", vae.kl_divergence, CODES, CODES[:, :2])
bad("nan", "mean", vae.kl_divergence, with_nan(CODES), CODES)
bad("strings", "mean", vae.kl_divergence, [["a"]], [[0.0]])
bad("shape", "predictions", vae.summed_binary_crossentropy, FLAT, FLAT[:, :10])
bad("0..255", "targets", vae.summed_binary_crossentropy, SCALED, FLAT)
bad("nan", "predictions", vae.summed_binary_crossentropy, FLAT, with_nan(FLAT))
bad("zero", "latent_dim", vae.build_vae_encoder, 0)
bad("unknown", "kind", vae.build_vae_encoder, 2, "mlp")
bad("string", "hidden_units", vae.build_vae_encoder, 2, hidden_units="512")
bad("string", "latent_dim", vae.build_vae_decoder, "2")
bad("unknown", "kind", vae.build_vae_decoder, 2, "conv2")
bad("string", "encoder", vae.VariationalAutoencoder, "encoder", T.vae_decoder)
bad(
    "latent size",
    "decoder",
    vae.VariationalAutoencoder,
    T.vae_encoder,
    VAE_DECODER_3,
)
bad(
    "negative",
    "beta",
    vae.VariationalAutoencoder,
    T.vae_encoder,
    T.vae_decoder,
    beta=-1.0,
)
bad(
    "2**32",
    "seed",
    vae.VariationalAutoencoder,
    T.vae_encoder,
    T.vae_decoder,
    seed=2**32,
)
bad("zero", "learning_rate", vae.build_vae, learning_rate=0)
bad("inf", "learning_rate", vae.build_vae, learning_rate=np.inf)
bad("string", "learning_rate", vae.build_vae, learning_rate="0.001")
bad("nan", "beta", vae.build_vae, beta=np.nan)
bad("negative", "seed", vae.build_vae, seed=-1)
bad("zero", "latent_dim", vae.build_vae, latent_dim=0)
bad("unknown", "kind", vae.build_vae, kind="mlp")
bad(
    "plain autoencoder",
    "model",
    vae.encode_distribution,
    T.autoencoder,
    IMAGES,
)
bad("nan", "images", vae.encode_distribution, T.vae, with_nan(IMAGES))
bad("zero", "batch_size", vae.encode_distribution, T.vae, IMAGES, 0)
bad(
    "0..255",
    "images",
    vae.reconstruct_mean,
    T.vae,
    SCALED.reshape(IMAGES.shape),
)
bad("string", "model", vae.reconstruct_mean, "vae", IMAGES)
bad("2**32", "seed", vae.evaluate_elbo, T.vae, IMAGES, seed=2**32)
bad("negative", "seed", vae.evaluate_elbo, T.vae, IMAGES, seed=-1)
bad("nan", "images", vae.evaluate_elbo, T.vae, with_nan(IMAGES))
bad("plain autoencoder", "model", vae.evaluate_elbo, T.autoencoder, IMAGES)
bad("zero", "count", vae.sample_images, T.vae, 0)
bad("negative", "seed", vae.sample_images, T.vae, 2, seed=-1)
bad("2**32", "seed", vae.sample_images, T.vae, 2, seed=2**32)
bad("shape", "log_variance", vae.kl_per_unit, CODES, CODES[:, :2])
bad("nan", "mean", vae.kl_per_unit, with_nan(CODES), CODES)
bad("plain autoencoder", "model", vae.unit_activity, T.autoencoder, IMAGES)
bad("nan", "images", vae.unit_activity, T.vae, with_nan(IMAGES))
bad("zero", "threshold", vae.active_units, T.vae, IMAGES, threshold=0)
bad("nan", "threshold", vae.active_units, T.vae, IMAGES, threshold=np.nan)
bad("string", "model", vae.active_units, "vae", IMAGES)
bad("negative", "warmup_steps", vae.build_vae, warmup_steps=-1)
bad("float", "warmup_steps", vae.build_vae, warmup_steps=2.5)
bad("negative", "free_bits", vae.build_vae, free_bits=-0.5)
bad("nan", "free_bits", vae.build_vae, free_bits=np.nan)
bad(
    "negative",
    "warmup_steps",
    vae.VariationalAutoencoder,
    T.vae_encoder,
    T.vae_decoder,
    warmup_steps=-1,
)
bad(
    "inf",
    "free_bits",
    vae.VariationalAutoencoder,
    T.vae_encoder,
    T.vae_decoder,
    free_bits=np.inf,
)
bad("plain autoencoder", "model", vae.sample_images, T.autoencoder, 2)
bad("zero", "batch_size", vae.sample_images, T.vae, 2, batch_size=0)


# --- contractive (chapter 6) ---------------------------------------------

SIGMOID_CODES = Lazy(lambda tiny, folder: tiny.sigmoid_encoder(FLAT))
KERNEL = Lazy(lambda tiny, folder: tiny.sigmoid_encoder.layers[-1].kernel)
SEEDS = Lazy(lambda tiny, folder: keras.random.SeedGenerator(0))
ONE_CONTRACTION_ROW = Lazy(
    lambda tiny, folder: contractive.contraction_row(
        "plain", tiny.sigmoid_encoder, FLAT, FLAT
    )
)
bad("3-d", "codes", contractive.sigmoid_jacobian_norms, CODES[None], KERNEL)
bad("units", "kernel", contractive.sigmoid_jacobian_norms, CODES_2, KERNEL)
bad(
    "zero",
    "sigma",
    contractive.stochastic_jacobian_norms,
    T.sigmoid_encoder,
    FLAT,
    SIGMOID_CODES,
    0.0,
    1,
    SEEDS,
)
bad(
    "float",
    "samples",
    contractive.stochastic_jacobian_norms,
    T.sigmoid_encoder,
    FLAT,
    SIGMOID_CODES,
    0.1,
    1.5,
    SEEDS,
)
bad(
    "int",
    "seed_generator",
    contractive.stochastic_jacobian_norms,
    T.sigmoid_encoder,
    FLAT,
    SIGMOID_CODES,
    0.1,
    1,
    0,
)
bad("nan", "images", contractive.jacobians, T.sigmoid_encoder, with_nan(FLAT))
bad("shape", "images", contractive.jacobians, T.sigmoid_encoder, IMAGES)
bad("string", "encoder", contractive.jacobians, "encoder", FLAT)
bad(
    "conv encoder",
    "encoder",
    contractive.jacobians,
    Lazy(lambda tiny, folder: vae.build_vae_encoder(2, kind="conv")),
    IMAGES,
)
bad("0..255", "images", contractive.jacobian_norms, T.sigmoid_encoder, SCALED)
bad(
    "zero",
    "batch_size",
    contractive.jacobian_norms,
    T.sigmoid_encoder,
    FLAT,
    0,
)
bad("inf", "images", contractive.jacobian_spectra, T.encoder, with_inf(FLAT))
bad(
    "zero",
    "batch_size",
    contractive.jacobian_spectra,
    T.encoder,
    FLAT,
    batch_size=0,
)
bad("batch", "image", contractive.jacobian_directions, T.encoder, FLAT)
bad(
    "too many",
    "count",
    contractive.jacobian_directions,
    T.encoder,
    FLAT[:1],
    count=5,
)
bad(
    "negative",
    "sigma",
    contractive.estimate_jacobian_norms,
    T.encoder,
    FLAT,
    -0.1,
)
bad(
    "zero",
    "samples",
    contractive.estimate_jacobian_norms,
    T.encoder,
    FLAT,
    0.1,
    0,
)
bad(
    "negative",
    "seed",
    contractive.estimate_jacobian_norms,
    T.encoder,
    FLAT,
    0.1,
    seed=-1,
)
bad("empty", "radii", contractive.contraction_ratios, T.encoder, FLAT, [])
bad(
    "negative",
    "radii",
    contractive.contraction_ratios,
    T.encoder,
    FLAT,
    [1.0, -1.0],
)
bad("number", "radii", contractive.contraction_ratios, T.encoder, FLAT, 1.0)
bad(
    "length",
    "changed_images",
    contractive.code_change,
    T.encoder,
    FLAT,
    FLAT[:3],
)
bad(
    "0..255",
    "changed_images",
    contractive.code_change,
    T.encoder,
    FLAT,
    SCALED,
)
bad(
    "one image",
    "images",
    contractive.code_change,
    T.encoder,
    FLAT[:1],
    FLAT[:1],
)
bad("float", "pixels", contractive.shift_images, FLAT, 1.5)
bad("too far", "pixels", contractive.shift_images, FLAT, 28)
bad("unknown", "axis", contractive.shift_images, FLAT, 1, "diagonal")
bad("nan", "images", contractive.shift_images, with_nan(FLAT), 1)
bad(
    "negative",
    "weight",
    contractive.ContractiveAutoencoder,
    T.sigmoid_encoder,
    Lazy(lambda tiny, folder: models.build_dense_decoder(4)),
    weight=-1.0,
)
bad(
    "relu encoder",
    "encoder",
    contractive.ContractiveAutoencoder,
    T.encoder,
    Lazy(lambda tiny, folder: models.build_dense_decoder(4)),
)
bad(
    "code size",
    "decoder",
    contractive.ContractiveAutoencoder,
    T.sigmoid_encoder,
    DECODER_8,
)
bad("zero", "code_size", contractive.build_sigmoid_encoder, 0)
bad(
    "unknown",
    "hidden_activation",
    contractive.build_sigmoid_encoder,
    4,
    (8,),
    "gelu",
)
bad("nan", "weight", contractive.build_contractive_autoencoder, 4, np.nan)
bad("inf", "weight", contractive.build_contractive_autoencoder, 4, np.inf)
bad("negative", "weight", contractive.build_contractive_autoencoder, 4, -1.0)
bad(
    "zero",
    "sigma",
    contractive.build_contractive_autoencoder,
    4,
    penalty="stochastic",
    sigma=0.0,
)
bad(
    "zero",
    "samples",
    contractive.build_contractive_autoencoder,
    4,
    penalty="stochastic",
    samples=0,
)
bad(
    "unknown",
    "penalty",
    contractive.build_contractive_autoencoder,
    4,
    penalty="exact",
)
bad(
    "hidden layer, closed form",
    "penalty",
    contractive.build_contractive_autoencoder,
    4,
    hidden_sizes=(8,),
)
bad("nan", "spectra", contractive.count_directions, with_nan(CODES))
bad("one", "fraction", contractive.count_directions, CODES, 1.0)
bad("empty", "name", contractive.contraction_row, "", T.encoder, FLAT, FLAT)
bad(
    "negative",
    "seconds",
    contractive.contraction_row,
    "a",
    T.encoder,
    FLAT,
    FLAT,
    -1.0,
)
bad(
    "zero",
    "jacobian_images",
    contractive.contraction_row,
    "a",
    T.encoder,
    FLAT,
    FLAT,
    jacobian_images=0,
)
bad(
    "0..255",
    "x_pred",
    contractive.contraction_row,
    "a",
    T.encoder,
    FLAT,
    SCALED,
)
bad("empty", "rows", contractive.format_contraction_table, [])
bad(
    "unknown",
    "reference",
    contractive.format_contraction_table,
    Lazy(lambda tiny, folder: [ONE_CONTRACTION_ROW.make(tiny, folder)]),
    "dense",
)

# --- probes (chapter 6) --------------------------------------------------

bad("too many", "per_class", probes.sample_per_class, LABELS, 2)
bad("zero", "per_class", probes.sample_per_class, LABELS, 0)
bad("floats", "labels", probes.sample_per_class, FLOAT_LABELS, 1)
bad("negative", "seed", probes.sample_per_class, LABELS, 1, -1)
bad(
    "nan",
    "train_codes",
    probes.knn_accuracy,
    with_nan(CODES),
    LABELS,
    CODES,
    LABELS,
)
bad(
    "length",
    "test_labels",
    probes.knn_accuracy,
    CODES,
    LABELS,
    CODES,
    LABELS[:3],
)
bad("width", "test_codes", probes.knn_accuracy, CODES, LABELS, CODES_2, LABELS)
bad(
    "not digits",
    "train_labels",
    probes.knn_accuracy,
    CODES,
    BIG_LABELS,
    CODES,
    LABELS,
)
bad(
    "too many",
    "neighbours",
    probes.knn_accuracy,
    CODES,
    LABELS,
    CODES,
    LABELS,
    7,
)
bad(
    "zero",
    "draws",
    probes.few_label_accuracy,
    CODES,
    LABELS,
    CODES,
    LABELS,
    1,
    0,
)
bad(
    "length",
    "train_labels",
    probes.few_label_accuracy,
    CODES,
    LABELS[:3],
    CODES,
    LABELS,
    1,
)
bad(
    "negative",
    "seed",
    probes.few_label_accuracy,
    CODES,
    LABELS,
    CODES,
    LABELS,
    1,
    seed=-1,
)

bad("plain autoencoder", "model", vae.elbo_terms, T.autoencoder, IMAGES)
bad("negative", "seed", vae.elbo_terms, T.vae, IMAGES, seed=-1)

# --- anomaly (chapter 10) ------------------------------------------------

SCORES = np.linspace(0.0, 1.0, 6)
IS_ANOMALY = np.array([0, 0, 1, 1, 1, 0])
bad("ten", "digit", anomaly.check_digit, 10)
bad("float", "digit", anomaly.check_digit, 1.0)
bad("minus one", "digit", anomaly.normal_images, FLAT, LABELS, -1)
bad("length", "labels", anomaly.normal_images, FLAT, LABELS[:3], 1)
bad("0..255", "images", anomaly.normal_images, SCALED, LABELS, 1)
bad("string", "digit", anomaly.anomaly_labels, LABELS, "3")
bad("floats", "labels", anomaly.anomaly_labels, FLOAT_LABELS, 3)
bad("length", "scores", anomaly.roc_auc, IS_ANOMALY, SCORES[:4])
bad("nan", "scores", anomaly.roc_auc, IS_ANOMALY, with_nan(SCORES))
bad("one class", "is_anomaly", anomaly.roc_auc, np.ones(6), SCORES)
bad("digits", "is_anomaly", anomaly.roc_curve, LABELS, SCORES)
bad("inf", "scores", anomaly.roc_curve, IS_ANOMALY, with_inf(SCORES))
bad("shape", "x_pred", anomaly.squared_errors, FLAT, IMAGES)
bad("nan", "x_true", anomaly.squared_errors, with_nan(FLAT), FLAT)
bad(
    "width",
    "codes",
    anomaly.nearest_code_distances,
    CODES,
    CODES_2,
)
bad("1-d", "normal_codes", anomaly.nearest_code_distances, CODES[0], CODES)
bad(
    "too many",
    "neighbours",
    anomaly.nearest_code_distances,
    CODES,
    CODES,
    7,
)
bad("nan", "normal_codes", anomaly.training_code_distances, with_nan(CODES))
bad("too many", "neighbours", anomaly.training_code_distances, CODES, 6)
bad("constant", "training_scores", anomaly.standardise, np.ones(4), SCORES)
bad("2-d", "scores", anomaly.standardise, SCORES, CODES)
bad("unknown", "rule", anomaly.threshold, SCORES, "median")
bad("nan", "training_scores", anomaly.threshold, with_nan(SCORES))
bad("string", "limit", anomaly.threshold_report, IS_ANOMALY, SCORES, "0.5")
bad(
    "one class",
    "is_anomaly",
    anomaly.threshold_report,
    np.zeros(6),
    SCORES,
    0.5,
)
bad("empty", "method", anomaly.auc_row, "", np.full(10, 90.0))
bad("nine", "aucs", anomaly.auc_row, "a", np.full(9, 90.0))
bad("fractions", "aucs", anomaly.auc_row, "a", np.full(10, 190.0))
bad("empty", "rows", anomaly.format_auc_table, [])

# --- plots of chapters 6 and 10 ------------------------------------------

bad("empty", "rows", plots.plot_directions, {})
bad("nan", "rows", plots.plot_directions, {"a": with_nan(FLAT)})
bad("short", "rows", plots.plot_directions, {"a": CODES})
bad("empty", "curves", plots.plot_roc_curves, {})
bad("not a pair", "curves", plots.plot_roc_curves, {"a": WEIGHTS})
bad("lengths", "curves", plots.plot_roc_curves, {"a": (WEIGHTS, SCORES)})
bad("empty", "groups", plots.plot_score_histograms, {}, "score")
bad("nan", "groups", plots.plot_score_histograms, {"a": with_nan(SCORES)}, "x")
bad(
    "string",
    "thresholds",
    plots.plot_score_histograms,
    {"a": SCORES},
    "x",
    {"max": "3"},
)


# --- features (chapter 12) -----------------------------------------------

TWENTY_LABELS = np.arange(20) % 10
TWENTY_CODES = RNG.normal(size=(20, 4)).astype("float32")
CODE_CLASSIFIER_4 = Lazy(
    lambda tiny, folder: features.build_code_classifier((4,))
)
ONE_FEATURE_ROW = features.feature_row("a", 4, {("linear", 10): (90.0, 1.0)})
bad(
    "one class",
    "train_labels",
    features.linear_probe_accuracy,
    CODES,
    np.zeros(6, dtype=int),
    CODES,
    LABELS,
)
bad(
    "width",
    "test_codes",
    features.linear_probe_accuracy,
    CODES,
    LABELS,
    CODES_2,
    LABELS,
)
bad(
    "1-d",
    "train_codes",
    features.linear_probe_accuracy,
    CODES[:, 0],
    LABELS,
    CODES,
    LABELS,
)
bad(
    "zero",
    "max_iter",
    features.linear_probe_accuracy,
    CODES,
    LABELS,
    CODES,
    LABELS,
    0,
)
bad(
    "floats",
    "test_labels",
    features.linear_probe_accuracy,
    CODES,
    LABELS,
    CODES,
    FLOAT_LABELS,
)
bad(
    "zero",
    "draws",
    features.probe_accuracies,
    TWENTY_CODES,
    TWENTY_LABELS,
    TWENTY_CODES,
    TWENTY_LABELS,
    10,
    0,
)
bad(
    "negative",
    "seed",
    features.probe_accuracies,
    TWENTY_CODES,
    TWENTY_LABELS,
    TWENTY_CODES,
    TWENTY_LABELS,
    10,
    seed=-1,
)
bad(
    "empty",
    "label_counts",
    features.probe_accuracies,
    TWENTY_CODES,
    TWENTY_LABELS,
    TWENTY_CODES,
    TWENTY_LABELS,
    (),
)
bad(
    "nan",
    "train_codes",
    features.probe_accuracies,
    with_nan(TWENTY_CODES),
    TWENTY_LABELS,
    TWENTY_CODES,
    TWENTY_LABELS,
    10,
)
bad("empty", "label_counts", features.check_label_counts, (), 20)
bad("float", "label_counts", features.check_label_counts, 2.5, 20)
case(
    "features.check_label_counts",
    "label_counts",
    "zero",
    lambda tiny, folder: features.check_label_counts((10, 0), 20),
    match="every entry of label_counts must be a positive integer",
)
case(
    "features.check_label_counts",
    "label_counts",
    "fifteen",
    lambda tiny, folder: features.check_label_counts(15, 20),
    match="label_counts: 15 labels must be a multiple of 10",
)
case(
    "features.check_label_counts",
    "label_counts",
    "too many",
    lambda tiny, folder: features.check_label_counts(30, 20),
    match="label_counts: 30 labels is more than the 20",
)
bad(
    "too many",
    "neighbours",
    features.spread_labels,
    CODES,
    LABELS,
    [0, 1],
    6,
)
bad("out of range", "labelled", features.spread_labels, CODES, LABELS, [6])
bad("not a model", "model", features.predict_spread, "model", CODES)
case(
    "features.predict_spread",
    "codes",
    "NaN",
    lambda tiny, folder: features.predict_spread(
        features.spread_labels(CODES, LABELS, [0, 1], 2),
        np.full((2, CODES.shape[1]), np.nan),
    ),
)
bad(
    "length",
    "train_labels",
    features.spread_labels,
    CODES,
    LABELS[:3],
    [0],
)
case(
    "features.spreading_accuracy",
    "label_count",
    "fifteen",
    lambda tiny, folder: features.spreading_accuracy(
        TWENTY_CODES, TWENTY_LABELS, TWENTY_CODES, TWENTY_LABELS, 15
    ),
    match="label_count: 15 labels must be a multiple of 10",
)
bad(
    "zero",
    "draws",
    features.spreading_accuracy,
    TWENTY_CODES,
    TWENTY_LABELS,
    TWENTY_CODES,
    TWENTY_LABELS,
    10,
    0,
)
bad(
    "width",
    "test_codes",
    features.spreading_accuracy,
    TWENTY_CODES,
    TWENTY_LABELS,
    TWENTY_CODES[:, :2],
    TWENTY_LABELS,
    10,
)
bad("floats", "labels", features.partial_labels, FLOAT_LABELS, [0])
bad("out of range", "labelled", features.partial_labels, LABELS, [6])
bad("empty", "labelled", features.partial_labels, LABELS, [])
bad(
    "none labelled",
    "known_labels",
    features.repeat_labelled,
    FLAT,
    np.full(6, -1),
    2,
)
bad(
    "ten",
    "known_labels",
    features.repeat_labelled,
    FLAT,
    LABELS + 5,
    2,
)
bad("zero", "repeats", features.repeat_labelled, FLAT, LABELS, 0)
bad("nan", "images", features.repeat_labelled, with_nan(FLAT), LABELS, 1)
bad("zero", "classes", features.build_code_classifier, (4,), 0)
bad("one", "dropout", features.build_code_classifier, (4,), dropout=1.0)
bad(
    "string",
    "encoder",
    features.JointAutoencoder,
    "encoder",
    T.decoder,
    CODE_CLASSIFIER_4,
)
bad(
    "code size",
    "decoder",
    features.JointAutoencoder,
    T.encoder,
    DECODER_8,
    CODE_CLASSIFIER_4,
)
bad(
    "code size",
    "classifier",
    features.JointAutoencoder,
    T.encoder,
    T.decoder,
    Lazy(lambda tiny, folder: features.build_code_classifier((8,))),
)
bad(
    "negative",
    "weight",
    features.JointAutoencoder,
    T.encoder,
    T.decoder,
    CODE_CLASSIFIER_4,
    weight=-1.0,
)
bad(
    "nan",
    "reconstruction_weight",
    features.JointAutoencoder,
    T.encoder,
    T.decoder,
    CODE_CLASSIFIER_4,
    reconstruction_weight=np.nan,
)
bad("string", "model", features.classifier_accuracy, "model", IMAGES, LABELS)
bad(
    "length",
    "labels",
    features.classifier_accuracy,
    T.classifier,
    IMAGES,
    LABELS[:3],
)
bad(
    "not digits",
    "labels",
    features.classifier_accuracy,
    T.classifier,
    IMAGES,
    BIG_LABELS,
)
bad("empty", "representation", features.feature_row, "", 4, {})
bad("zero", "size", features.feature_row, "a", 0, {("linear", 10): (1, 0)})
bad("empty", "accuracies", features.feature_row, "a", 4, {})
bad("empty", "rows", features.format_feature_table, [], "linear", [10])
bad(
    "unknown",
    "probe",
    features.format_feature_table,
    [ONE_FEATURE_ROW],
    "k-NN",
    [10],
)
case(
    "features.format_feature_table",
    "counts",
    "missing",
    lambda tiny, folder: features.format_feature_table(
        [ONE_FEATURE_ROW], "linear", [100]
    ),
    match="has no linear accuracy with 100 labels",
)

# --- compression (chapter 13) --------------------------------------------

LOW, HIGH = np.zeros(4), np.ones(4)
LEVELS = np.zeros((6, 4), dtype="uint8")


def _jpeg_bytes(image):
    """The bytes of one image saved as a JPEG by Pillow."""
    buffer = io.BytesIO()
    pixels = compression.to_bytes_images(image[None])[0]
    Image.fromarray(pixels).save(buffer, format="JPEG", quality=50)
    return buffer.getvalue()


bad("0..255", "images", compression.to_bytes_images, SCALED)
bad("pixels", "images", compression.to_bytes_images, FLAT[:, :100])
bad("nan", "images", compression.to_bytes_images, with_nan(FLAT))
bad("string", "encoded", compression.jpeg_payload_size, "jpeg")
bad(
    "truncated",
    "encoded",
    compression.jpeg_payload_size,
    Lazy(lambda tiny, folder: _jpeg_bytes(FLAT[0])[:100]),
)
bad("png", "encoded", compression.jpeg_payload_size, b"\x89PNG\r\n")
bad("zero", "quality", compression.encode_jpeg, FLAT, 0)
bad("96", "quality", compression.encode_jpeg, FLAT, 96)
bad("float", "quality", compression.encode_jpeg, FLAT, 5.0)
bad("bool", "quality", compression.encode_jpeg, FLAT, True)
bad("0..255", "images", compression.encode_jpeg, SCALED, 50)
bad("0..255", "images", compression.encode_png, SCALED)
bad("shape", "images", compression.encode_png, FLAT[:, :100])
bad("zero", "bits", compression.check_bits, 0)
bad("17", "bits", compression.check_bits, 17)
bad("float", "bits", compression.check_bits, 2.5)
bad("1-d", "train_codes", compression.code_ranges, CODES[0])
bad("nan", "train_codes", compression.code_ranges, with_nan(CODES))
bad("zero", "bits", compression.quantise, CODES, LOW, HIGH, 0)
bad("width", "low", compression.quantise, CODES, LOW[:2], HIGH, 4)
bad("reversed", "high", compression.quantise, CODES, HIGH, LOW, 4)
bad("nan", "codes", compression.quantise, with_nan(CODES), LOW, HIGH, 4)
bad("floats", "levels", compression.dequantise, CODES, LOW, HIGH, 4)
bad(
    "too high",
    "levels",
    compression.dequantise,
    LEVELS + 16,
    LOW,
    HIGH,
    4,
)
bad("17", "bits", compression.dequantise, LEVELS, LOW, HIGH, 17)
bad("floats", "levels", compression.compressed_size, CODES)
bad("1-d", "levels", compression.compressed_size, LEVELS[0])
bad("zero", "bits", compression.compress_codes, CODES, CODES, 0)
bad(
    "nan", "train_codes", compression.compress_codes, with_nan(CODES), CODES, 4
)
bad("width", "codes", compression.compress_codes, CODES, CODES_2, 4)
bad("string", "model", compression.weight_bytes, "model")
bad("eight", "bytes_per_weight", compression.weight_bytes, T.autoencoder, 8)
bad("zero", "saving_per_image", compression.break_even_images, 1000, 0)
bad("negative", "saving_per_image", compression.break_even_images, 10, -1.0)
bad("negative", "shipped_bytes", compression.break_even_images, -1, 10)
bad(
    "lengths",
    "qualities",
    compression.rate_at_quality,
    [1.0, 2.0, 3.0],
    [20.0, 25.0],
    22.0,
)
bad(
    "falling",
    "qualities",
    compression.rate_at_quality,
    [1.0, 2.0, 3.0],
    [30.0, 25.0, 20.0],
    22.0,
)
bad(
    "nan",
    "rates",
    compression.rate_at_quality,
    with_nan([1.0, 2.0]),
    [20.0, 25.0],
    22.0,
)
bad(
    "nan",
    "target",
    compression.rate_at_quality,
    [1.0, 2.0],
    [20.0, 25.0],
    np.nan,
)
bad("zero", "width", compression.UniformNoise, 0.0)
bad("string", "width", compression.UniformNoise, "0.1")
bad("negative", "seed", compression.UniformNoise, 0.1, seed=-1)
bad(
    "zero",
    "noise_bits",
    compression.build_compressing_autoencoder,
    4,
    (8,),
    noise_bits=0,
)
bad(
    "17",
    "noise_bits",
    compression.build_compressing_autoencoder,
    4,
    (8,),
    noise_bits=17,
)
bad("zero", "code_size", compression.build_compressing_autoencoder, 0)
bad(
    "negative",
    "seed",
    compression.build_compressing_autoencoder,
    4,
    (8,),
    seed=-1,
)
bad("dict", "pca", baselines.pca_decode, {"mean": 0}, CODES_2)
bad("components", "codes", baselines.pca_decode, T.pca, CODES)
bad("nan", "codes", baselines.pca_decode, T.pca, with_nan(CODES_2))
bad("1-d", "codes", baselines.pca_decode, T.pca, CODES_2[0])

# --- plots of chapter 13 -------------------------------------------------

bad("empty", "curves", plots.plot_rate_distortion, {})
bad("not a pair", "curves", plots.plot_rate_distortion, {"a": WEIGHTS})
bad(
    "lengths",
    "curves",
    plots.plot_rate_distortion,
    {"a": (WEIGHTS, SCORES)},
)
bad(
    "nan",
    "curves",
    plots.plot_rate_distortion,
    {"a": (WEIGHTS + 1, with_nan(WEIGHTS))},
)
case(
    "plots.plot_rate_distortion",
    "curves",
    "zero rate",
    lambda tiny, folder: plots.plot_rate_distortion({"a": (WEIGHTS, WEIGHTS)}),
    match="every rate in curves must be above zero",
)
bad(
    "string",
    "target",
    plots.plot_rate_distortion,
    {"a": (WEIGHTS + 1, WEIGHTS)},
    target="25",
)


bad(
    "unknown kind",
    "kind",
    compression.build_compressing_autoencoder,
    kind="lstm",
)


bad(
    "one label",
    "axis_labels",
    plots.plot_latent_scatters,
    {"a": CODES_2},
    LABELS,
    axis_labels=("x",),
)


bad("one dimension", "codes", checks.check_codes, [1.0, 2.0])
bad("NaN", "codes", checks.check_codes, [[np.nan, 1.0]])


bad("no encoder", "encoder", models.serialize_parts, object(), ("encoder",))
bad("missing part", "decoder", models.deserialize_parts, {}, ("decoder",))

# saving
bad("not a model", "model", saving.reload_in_fresh_process, "m", FLAT, [])
bad(
    "nan",
    "inputs",
    saving.reload_in_fresh_process,
    T.autoencoder,
    with_nan(FLAT),
    [],
)
bad(
    "no such module",
    "imports",
    saving.reload_in_fresh_process,
    T.autoencoder,
    FLAT,
    ["companion.no_such_module"],
)
bad(
    "not a list",
    "imports",
    saving.reload_in_fresh_process,
    T.autoencoder,
    FLAT,
    5,
)
for label, function_name in (
    ("no module part", "reconstruct"),
    ("no such function", "companion.models.no_such_function"),
):
    # ``function`` is also bad()'s own parameter: a case of its own.
    case(
        "saving.reload_in_fresh_process",
        "function",
        label,
        lambda tiny, folder, name=function_name: (
            saving.reload_in_fresh_process(
                tiny.autoencoder, FLAT, [], function=name
            )
        ),
    )


# --- chapters 6, 10, 12 and 13: what a new user gets wrong ---------------
# Pixels in 0..255, models in the wrong order or unbuilt, empty selections,
# fractions for percentages, the wrong kind of object, data that reaches
# ``fit`` of the companion's own models: refused before any work is done.

UNBUILT = Lazy(
    lambda tiny, folder: keras.Sequential(
        [keras.layers.Dense(4, activation="sigmoid")]
    )
)
FRESH_CONTRACTIVE = Lazy(
    lambda tiny, folder: contractive.build_contractive_autoencoder(4)
)
FRESH_JOINT = Lazy(lambda tiny, folder: Tiny.fresh_joint())
CODE_LAYER = Lazy(lambda tiny, folder: tiny.sigmoid_encoder.layers[-1])
SAME_IMAGES = np.repeat(FLAT[:1], 6, axis=0)


def bad_method(label, argument, qualified, make, method, *args, **kwargs):
    """Add a case: ``make(tiny, folder).method(*args, **kwargs)`` must raise
    a ValueError matching ``match`` (a keyword; the argument's name if
    left out). ``qualified`` is ``module.Class.method``."""
    match = kwargs.pop("match", None)

    def call(tiny, folder):
        target = _made(make, tiny, folder)
        made_args = [_made(value, tiny, folder) for value in args]
        made_kwargs = {
            key: _made(value, tiny, folder) for key, value in kwargs.items()
        }
        return getattr(target, method)(*made_args, **made_kwargs)

    case(qualified, argument, label, call, match)


def checked_fit_cases(model_class, make, targets):
    """Add the cases every companion model that checks its data in ``fit``
    and ``evaluate`` (``checks.CheckedFitMixin``) shares: bad ``x``, a zero
    ``batch_size``, bad ``validation_data``, bad ``x`` in ``evaluate``.
    ``model_class`` is ``module.Class``; ``targets`` are good targets for
    ``FLAT``."""
    fit_name = f"{model_class}.fit"
    for label, x, match in (
        ("0..255", SCALED, r"x must lie in \[0, 1\]"),
        ("uint8", SCALED.astype(np.uint8), "x must hold floats"),
        ("nan", with_nan(FLAT), "x contains NaN"),
        ("image shape", IMAGES, "x has shape"),
    ):
        bad_method(
            label,
            "x",
            fit_name,
            make,
            "fit",
            x,
            targets,
            epochs=1,
            verbose=0,
            match=match,
        )
    bad_method(
        "zero",
        "batch_size",
        fit_name,
        make,
        "fit",
        FLAT,
        targets,
        batch_size=0,
        epochs=1,
        verbose=0,
    )
    bad_method(
        "0..255",
        "validation_data",
        fit_name,
        make,
        "fit",
        FLAT,
        targets,
        epochs=1,
        verbose=0,
        validation_data=(SCALED, targets),
        match=r"validation_data\[0\] must lie in \[0, 1\]",
    )
    bad_method(
        "0..255",
        "x",
        f"{model_class}.evaluate",
        make,
        "evaluate",
        SCALED,
        targets,
        verbose=0,
        match=r"x must lie in \[0, 1\]",
    )


# contractive
bad(
    "layer",
    "kernel",
    contractive.sigmoid_jacobian_norms,
    CODES,
    CODE_LAYER,
)
bad(
    "nan", "codes", contractive.sigmoid_jacobian_norms, with_nan(CODES), KERNEL
)
bad(
    "strings",
    "codes",
    contractive.sigmoid_jacobian_norms,
    [["a", "b", "c", "d"]],
    KERNEL,
)
bad(
    "0..255",
    "images",
    contractive.stochastic_jacobian_norms,
    T.sigmoid_encoder,
    SCALED,
    CODES,
    0.1,
    1,
    SEEDS,
)
bad(
    "other batch",
    "codes",
    contractive.stochastic_jacobian_norms,
    T.sigmoid_encoder,
    FLAT,
    CODES[:3],
    0.1,
    1,
    SEEDS,
)
bad(
    "unbuilt",
    "encoder",
    contractive.stochastic_jacobian_norms,
    UNBUILT,
    FLAT,
    CODES,
    0.1,
    1,
    SEEDS,
)
bad("unbuilt", "encoder", contractive.jacobians, UNBUILT, FLAT)
bad("unbuilt", "encoder", contractive.jacobian_norms, UNBUILT, FLAT)
bad("unbuilt", "encoder", contractive.jacobian_spectra, UNBUILT, FLAT)
bad(
    "uint8",
    "image",
    contractive.jacobian_directions,
    T.encoder,
    SCALED[:1].astype(np.uint8),
)
bad(
    "string",
    "count",
    contractive.jacobian_directions,
    T.encoder,
    FLAT[:1],
    count="2",
)
bad(
    "unbuilt",
    "encoder",
    contractive.estimate_jacobian_norms,
    UNBUILT,
    FLAT,
    0.1,
)
bad("string", "radii", contractive.contraction_ratios, T.encoder, FLAT, "1.0")
bad("unbuilt", "encoder", contractive.contraction_ratios, UNBUILT, FLAT, [1.0])
bad(
    "identical images",
    "images",
    contractive.code_change,
    T.encoder,
    SAME_IMAGES,
    FLAT,
)
bad("unbuilt", "encoder", contractive.code_change, UNBUILT, FLAT, FLAT)
bad("uint8", "images", contractive.shift_images, SCALED.astype(np.uint8), 1)
case(
    "contractive.ContractiveAutoencoder",
    "encoder",
    "swapped",
    lambda tiny, folder: contractive.ContractiveAutoencoder(
        models.build_dense_decoder(4), tiny.sigmoid_encoder
    ),
    match="look swapped",
)
bad(
    "unbuilt",
    "encoder",
    contractive.ContractiveAutoencoder,
    UNBUILT,
    Lazy(lambda tiny, folder: models.build_dense_decoder(4)),
)
_CONTRACTIVE_FIT = "contractive.ContractiveAutoencoder.fit"
checked_fit_cases(
    "contractive.ContractiveAutoencoder", FRESH_CONTRACTIVE, FLAT
)
bad_method(
    "missing",
    "y",
    _CONTRACTIVE_FIT,
    FRESH_CONTRACTIVE,
    "fit",
    FLAT,
    epochs=1,
    verbose=0,
    match="y is missing",
)
bad_method(
    "0..255",
    "y",
    _CONTRACTIVE_FIT,
    FRESH_CONTRACTIVE,
    "fit",
    FLAT,
    SCALED,
    epochs=1,
    verbose=0,
    match=r"y must lie in \[0, 1\]",
)
bad_method(
    "length",
    "y",
    _CONTRACTIVE_FIT,
    FRESH_CONTRACTIVE,
    "fit",
    FLAT,
    FLAT[:3],
    epochs=1,
    verbose=0,
    match="x and y must have the same length",
)
for _function in (
    contractive.build_sigmoid_encoder,
    contractive.build_contractive_autoencoder,
):
    case(
        f"contractive.{_function.__name__}",
        "name",
        "number",
        lambda tiny, folder, function=_function: function(4, name=42),
        match="name must be a non-empty string",
    )
bad("negative", "spectra", contractive.count_directions, -np.abs(CODES))
bad(
    "unbuilt",
    "encoder",
    contractive.contraction_row,
    "a",
    UNBUILT,
    FLAT,
    FLAT,
)
_ROW = {"model": "a", "bce": 0.1, "jacobian": 2.0, "seconds": 1.0}
bad(
    "duplicate names",
    "rows",
    contractive.format_contraction_table,
    [_ROW, {**_ROW, "jacobian": 1.0}],
    "a",
)
bad(
    "results_row",
    "rows",
    contractive.format_contraction_table,
    [{"model": "a", "mse": 0.1}],
    "a",
)
bad(
    "zero jacobian",
    "rows",
    contractive.format_contraction_table,
    [_ROW, {**_ROW, "model": "b", "jacobian": 0.0}],
    "a",
)

# the shared checks these modules use
bad("unbuilt", "encoder", checks.check_model, UNBUILT, "encoder", built=True)
bad(
    "four items",
    "validation_data",
    checks.CheckedFitMixin.fit,
    FRESH_CONTRACTIVE,
    FLAT,
    FLAT,
    epochs=1,
    verbose=0,
    validation_data=(FLAT, FLAT, None, None),
)
bad(
    "string",
    "batch_size",
    checks.CheckedFitMixin.evaluate,
    FRESH_CONTRACTIVE,
    FLAT,
    FLAT,
    batch_size="8",
    verbose=0,
)
case(
    "checks.CheckedFitMixin",
    "x",
    "missing",
    lambda tiny, folder: contractive.build_contractive_autoencoder(4).fit(
        None, FLAT, epochs=1, verbose=0
    ),
    match="x must be a batch",
)
bad("unbuilt", "model", models.check_model_input, UNBUILT, FLAT)
bad("unbuilt", "encoder", models.join_autoencoder, UNBUILT, T.decoder)
_PARTS = models.check_autoencoder_parts
bad("swapped", "encoder", _PARTS, T.decoder, T.encoder)
bad("string", "decoder", _PARTS, T.encoder, "decoder")
bad("unbuilt", "decoder", _PARTS, T.encoder, UNBUILT)
bad("code size", "decoder", _PARTS, T.encoder, DECODER_8)
bad(
    "image shape",
    "decoder",
    _PARTS,
    T.encoder,
    Lazy(lambda tiny, folder: models.build_dense_decoder(4, (28, 28, 1))),
)

# probes
bad("one digit", "per_class", probes.sample_per_class, np.zeros(6, int), 1)
bad("float", "per_class", probes.sample_per_class, LABELS, 1.0)
bad("2**32", "seed", probes.sample_per_class, LABELS, 1, 2**32)
bad(
    "bool",
    "neighbours",
    probes.knn_accuracy,
    CODES,
    LABELS,
    CODES,
    LABELS,
    True,
)
bad(
    "strings",
    "train_codes",
    probes.knn_accuracy,
    [["a"]] * 6,
    LABELS,
    CODES,
    LABELS,
)
bad(
    "empty",
    "test_codes",
    probes.knn_accuracy,
    CODES,
    LABELS,
    np.zeros((0, 4)),
    LABELS[:0],
)
bad(
    "floats",
    "train_labels",
    probes.few_label_accuracy,
    TWENTY_CODES,
    TWENTY_LABELS.astype("float32"),
    TWENTY_CODES,
    TWENTY_LABELS,
    1,
)
bad(
    "not digits",
    "train_labels",
    probes.few_label_accuracy,
    TWENTY_CODES,
    TWENTY_LABELS + 10,
    TWENTY_CODES,
    TWENTY_LABELS,
    1,
)
bad(
    "zero",
    "per_class",
    probes.few_label_accuracy,
    TWENTY_CODES,
    TWENTY_LABELS,
    TWENTY_CODES,
    TWENTY_LABELS,
    0,
)
bad(
    "nan",
    "test_codes",
    probes.few_label_accuracy,
    TWENTY_CODES,
    TWENTY_LABELS,
    with_nan(TWENTY_CODES),
    TWENTY_LABELS,
    1,
)

# anomaly
bad("nan", "digit", anomaly.check_digit, float("nan"))
bad("string", "digit", anomaly.check_digit, "3")
bad("absent", "digit", anomaly.normal_images, FLAT, LABELS, 7)
bad(
    "uint8",
    "images",
    anomaly.normal_images,
    SCALED.astype(np.uint8),
    LABELS,
    1,
)
bad("empty", "labels", anomaly.anomaly_labels, [], 3)
bad("swapped", "is_anomaly", anomaly.roc_auc, SCORES, IS_ANOMALY)
bad("2-d", "scores", anomaly.roc_curve, IS_ANOMALY, SCORES[:, None])
bad("uint8", "x_pred", anomaly.squared_errors, FLAT, SCALED.astype(np.uint8))
bad(
    "bool",
    "neighbours",
    anomaly.nearest_code_distances,
    CODES,
    CODES,
    True,
)
bad("strings", "normal_codes", anomaly.training_code_distances, [["a"]] * 6)
bad("nan", "scores", anomaly.standardise, SCORES, with_nan(SCORES))
bad("none", "rule", anomaly.threshold, SCORES, None)
bad("nan", "limit", anomaly.threshold_report, IS_ANOMALY, SCORES, np.nan)
bad("digits", "is_anomaly", anomaly.threshold_report, LABELS, SCORES, 0.5)
bad("0..1", "aucs", anomaly.auc_row, "a", np.full(10, 0.9))
_AUC_ROW = anomaly.auc_row("a", np.full(10, 90.0))
bad("duplicate methods", "rows", anomaly.format_auc_table, [_AUC_ROW] * 2)
bad("results_row", "rows", anomaly.format_auc_table, [{"method": "a"}])

# features
FORTY_LABELS = np.arange(40) % 10
FORTY_LABELS[[29, 39]] = 0  # digit 9 twice only
FORTY_CODES = RNG.normal(size=(40, 4)).astype("float32")
bad(
    "bool",
    "max_iter",
    features.linear_probe_accuracy,
    CODES,
    LABELS,
    CODES,
    LABELS,
    True,
)
bad(
    "strings",
    "train_codes",
    features.linear_probe_accuracy,
    [["a"]] * 6,
    LABELS,
    CODES,
    LABELS,
)
bad(
    "too few of a digit",
    "label_counts",
    features.probe_accuracies,
    FORTY_CODES,
    FORTY_LABELS,
    FORTY_CODES,
    FORTY_LABELS,
    30,
)
bad(
    "fractions",
    "label_counts",
    features.probe_accuracies,
    TWENTY_CODES,
    TWENTY_LABELS,
    TWENTY_CODES,
    TWENTY_LABELS,
    (0.5,),
)
bad("string", "available", features.check_label_counts, 10, "20")
bad(
    "bool mask",
    "labelled",
    features.spread_labels,
    CODES,
    LABELS,
    SELECTED,
)
bad(
    "bool",
    "neighbours",
    features.spread_labels,
    CODES,
    LABELS,
    [0, 1],
    True,
)
SPREAD = Lazy(
    lambda tiny, folder: features.spread_labels(CODES, LABELS, [0, 1], 2)
)
bad(
    "unfitted",
    "model",
    features.predict_spread,
    Lazy(lambda tiny, folder: features.LabelSpreading()),
    CODES,
)
bad("width", "codes", features.predict_spread, SPREAD, CODES_2)
bad(
    "too few of a digit",
    "label_count",
    features.spreading_accuracy,
    FORTY_CODES,
    FORTY_LABELS,
    FORTY_CODES,
    FORTY_LABELS,
    30,
)
bad(
    "too many",
    "neighbours",
    features.spreading_accuracy,
    TWENTY_CODES,
    TWENTY_LABELS,
    TWENTY_CODES,
    TWENTY_LABELS,
    10,
    neighbours=20,
)
bad("bool mask", "labelled", features.partial_labels, LABELS, SELECTED)
bad("0..255", "images", features.repeat_labelled, SCALED, LABELS, 1)
bad(
    "uint8",
    "images",
    features.repeat_labelled,
    SCALED.astype(np.uint8),
    LABELS,
    1,
)
bad(
    "one-hot",
    "known_labels",
    features.repeat_labelled,
    FLAT,
    np.eye(10, dtype=int)[LABELS],
    1,
)
bad("floats", "known_labels", features.repeat_labelled, FLAT, FLOAT_LABELS, 1)
bad("one", "classes", features.build_code_classifier, (4,), 1)
bad("string", "code_shape", features.build_code_classifier, "4")
case(
    "features.JointAutoencoder",
    "encoder",
    "swapped",
    lambda tiny, folder: features.JointAutoencoder(
        tiny.decoder, tiny.encoder, features.build_code_classifier((4,))
    ),
    match="look swapped",
)
bad(
    "image shape",
    "decoder",
    features.JointAutoencoder,
    T.encoder,
    Lazy(lambda tiny, folder: models.build_dense_decoder(4, (28, 28, 1))),
    CODE_CLASSIFIER_4,
)
bad(
    "unbuilt",
    "encoder",
    features.JointAutoencoder,
    UNBUILT,
    T.decoder,
    CODE_CLASSIFIER_4,
)
_JOINT_FIT = "features.JointAutoencoder.fit"
checked_fit_cases("features.JointAutoencoder", FRESH_JOINT, LABELS)
for _label, _argument, _x, _y, _match in (
    ("one-hot", "y", FLAT, np.eye(10)[LABELS], "y must hold one label"),
    ("floats", "y", FLAT, FLOAT_LABELS, "y must be integer"),
    ("10..15", "y", FLAT, BIG_LABELS, "y must be integer"),
    ("missing", "y", FLAT, None, "y is missing"),
    ("length", "y", FLAT, LABELS[:3], "x and y must have the same length"),
):
    bad_method(
        _label,
        _argument,
        _JOINT_FIT,
        FRESH_JOINT,
        "fit",
        _x,
        _y,
        epochs=1,
        verbose=0,
        match=_match,
    )
_JOINT_RECONSTRUCT = "features.JointAutoencoder.reconstruct"
bad_method(
    "0..255", "images", _JOINT_RECONSTRUCT, FRESH_JOINT, "reconstruct", SCALED
)
bad_method(
    "image shape",
    "images",
    _JOINT_RECONSTRUCT,
    FRESH_JOINT,
    "reconstruct",
    IMAGES,
)
bad_method(
    "zero",
    "batch_size",
    _JOINT_RECONSTRUCT,
    FRESH_JOINT,
    "reconstruct",
    FLAT,
    batch_size=0,
)
bad(
    "0..255",
    "images",
    features.classifier_accuracy,
    FRESH_JOINT,
    SCALED,
    LABELS,
)
bad(
    "nan",
    "images",
    features.classifier_accuracy,
    FRESH_JOINT,
    with_nan(FLAT),
    LABELS,
)
case(
    "features.classifier_accuracy",
    "images",
    "image shape",
    lambda tiny, folder: features.classifier_accuracy(
        Tiny.fresh_joint(), IMAGES, LABELS
    ),
    match="images has shape",
)
bad(
    "autoencoder",
    "model",
    features.classifier_accuracy,
    T.autoencoder,
    FLAT,
    LABELS,
)
bad(
    "zero",
    "batch_size",
    features.classifier_accuracy,
    FRESH_JOINT,
    FLAT,
    LABELS,
    batch_size=0,
)
bad("no pairs", "accuracies", features.feature_row, "a", 4, {"linear": 90.0})
bad(
    "not a pair",
    "accuracies",
    features.feature_row,
    "a",
    4,
    {("linear", 10): 90.0},
)
bad(
    "fractions",
    "accuracies",
    features.feature_row,
    "a",
    4,
    {("linear", 10): (0.9, 0.01)},
)
bad(
    "unknown probe",
    "accuracies",
    features.feature_row,
    "a",
    4,
    {("k-NN", 10): (90.0, 1.0)},
)
bad(
    "duplicate names",
    "rows",
    features.format_feature_table,
    [ONE_FEATURE_ROW, ONE_FEATURE_ROW],
    "linear",
    [10],
)
bad(
    "int",
    "counts",
    features.format_feature_table,
    [ONE_FEATURE_ROW],
    "linear",
    10,
)

# compression


def _with_length(marker, length):
    """A JPEG of ``FLAT[0]`` whose first ``marker`` segment claims
    ``length`` bytes."""
    encoded = bytearray(_jpeg_bytes(FLAT[0]))
    at = encoded.find(marker)
    encoded[at + 2 : at + 4] = length.to_bytes(2, "big")
    return bytes(encoded)


bad("uint8", "images", compression.to_bytes_images, SCALED.astype(np.uint8))
bad(
    "zero scan header length",
    "encoded",
    compression.jpeg_payload_size,
    Lazy(lambda tiny, folder: _with_length(b"\xff\xda", 0)),
)
bad(
    "corrupt table length",
    "encoded",
    compression.jpeg_payload_size,
    Lazy(lambda tiny, folder: _with_length(b"\xff\xdb", 3)),
)
bad("empty", "encoded", compression.jpeg_payload_size, b"")
bad("string", "quality", compression.encode_jpeg, FLAT, "50")
bad("uint8", "images", compression.encode_png, SCALED.astype(np.uint8))
bad("string", "bits", compression.check_bits, "4")
bad("strings", "train_codes", compression.code_ranges, [["a"]] * 6)
bad("nan", "low", compression.quantise, CODES, with_nan(LOW), HIGH, 4)
bad(
    "negative",
    "levels",
    compression.dequantise,
    -np.ones((6, 4), int),
    LOW,
    HIGH,
    4,
)
bad("negative", "levels", compression.compressed_size, -np.ones((6, 4), int))
bad("nan", "levels", compression.compressed_size, with_nan(CODES))
bad("17", "bits", compression.compress_codes, CODES, CODES, 17)
bad("unbuilt", "model", compression.weight_bytes, UNBUILT)
bad("layer", "model", compression.weight_bytes, CODE_LAYER)
bad("float", "shipped_bytes", compression.break_even_images, 1.5e6, 10)
bad(
    "negative",
    "rates",
    compression.rate_at_quality,
    [-1.0, 2.0],
    [20.0, 25.0],
    22.0,
)
bad(
    "zero",
    "rates",
    compression.rate_at_quality,
    [0.0, 2.0],
    [20.0, 25.0],
    22.0,
)
bad("float", "seed", compression.UniformNoise, 0.1, seed=0.5)
bad("inf", "width", compression.UniformNoise, np.inf)
bad("int", "hidden_sizes", compression.build_compressing_autoencoder, 4, 8)
bad("number", "name", compression.build_compressing_autoencoder, name=42)

# saving
bad(
    "0..255",
    "inputs",
    saving.reload_in_fresh_process,
    T.autoencoder,
    SCALED,
    [],
)
bad(
    "image shape",
    "inputs",
    saving.reload_in_fresh_process,
    T.autoencoder,
    IMAGES,
    [],
)
bad("unbuilt", "model", saving.reload_in_fresh_process, UNBUILT, FLAT, [])
bad("string", "inputs", saving.reload_in_fresh_process, T.autoencoder, "x", [])
bad(
    "number in list",
    "imports",
    saving.reload_in_fresh_process,
    T.autoencoder,
    FLAT,
    [5],
)
case(
    "saving.reload_in_fresh_process",
    "function",
    "takes only a model",
    lambda tiny, folder: saving.reload_in_fresh_process(
        tiny.autoencoder,
        FLAT,
        [],
        function="companion.models.count_parameters",
    ),
)


# --- scale (chapter 15) --------------------------------------------------

PNG_FOLDER = Lazy(
    lambda tiny, folder: (
        scale.write_image_folder(IMAGES, folder / "png") and folder / "png"
    )
)
PNG_PATHS = Lazy(
    lambda tiny, folder: scale.write_image_folder(IMAGES, folder / "paths")
)
EMPTY_FOLDER = Lazy(lambda tiny, folder: folder)
NOT_AN_IMAGE = Lazy(lambda tiny, folder: [text_file(folder)])
MISSING_PNG = Lazy(lambda tiny, folder: [folder / "missing.png"])
DATASET = Lazy(
    lambda tiny, folder: scale.ImageFolderDataset(
        scale.write_image_folder(IMAGES, folder / "set")[0].parent
    )
)
RNG_0 = np.random.default_rng(0)

bad("pixels 0-255", "images", scale.write_image_folder, IMAGES * 255, FOLDER)
bad("flat vectors", "images", scale.write_image_folder, FLAT, FOLDER)
bad(
    "colour",
    "images",
    scale.write_image_folder,
    np.zeros((2, 8, 8, 3)),
    FOLDER,
)
bad("empty", "images", scale.write_image_folder, IMAGES[:0], FOLDER)
bad("with nan", "images", scale.write_image_folder, with_nan(IMAGES), FOLDER)
bad("number", "folder", scale.write_image_folder, IMAGES, 42)
bad("holds pngs", "folder", scale.write_image_folder, IMAGES, PNG_FOLDER)
bad("a file", "folder", scale.write_image_folder, IMAGES, TEXT_FILE)
bad("slash", "prefix", scale.write_image_folder, IMAGES, FOLDER, prefix="a/b")
bad("empty", "prefix", scale.write_image_folder, IMAGES, FOLDER, prefix="")
bad("one path", "paths", scale.read_images, "image_000000.png")
bad("empty", "paths", scale.read_images, [])
bad("missing file", "paths", scale.read_images, MISSING_PNG)
bad("numbers", "paths", scale.read_images, [1, 2])
bad("text file", "paths", scale.read_images, NOT_AN_IMAGE)
bad("generator", "paths", scale.read_images, (p for p in ["a.png"]))
bad("flat", "images", scale.shift_images, FLAT, 1, RNG_0)
bad("pixels 0-255", "images", scale.shift_images, IMAGES * 255, 1, RNG_0)
bad("negative", "max_shift", scale.shift_images, IMAGES, -1, RNG_0)
bad("whole image", "max_shift", scale.shift_images, IMAGES, 28, RNG_0)
bad("float", "max_shift", scale.shift_images, IMAGES, 1.5, RNG_0)
bad("seed", "rng", scale.shift_images, IMAGES, 1, 0)
bad("number", "folder", scale.ImageFolderDataset, 42)
bad("missing", "folder", scale.ImageFolderDataset, MISSING_FILE)
bad("no pngs", "folder", scale.ImageFolderDataset, EMPTY_FOLDER)
bad("zero", "batch_size", scale.ImageFolderDataset, PNG_FOLDER, 0)
bad("float", "batch_size", scale.ImageFolderDataset, PNG_FOLDER, 2.5)
bad("text", "shuffle", scale.ImageFolderDataset, PNG_FOLDER, shuffle="yes")
bad("negative", "seed", scale.ImageFolderDataset, PNG_FOLDER, seed=-1)
bad(
    "too large",
    "max_shift",
    scale.ImageFolderDataset,
    PNG_FOLDER,
    max_shift=28,
)
bad("zero", "workers", scale.ImageFolderDataset, PNG_FOLDER, workers=0)
bad("typo", "workerz", scale.ImageFolderDataset, PNG_FOLDER, workerz=2)
bad(
    "text",
    "use_multiprocessing",
    scale.ImageFolderDataset,
    PNG_FOLDER,
    use_multiprocessing="no",
)
bad("folder", "dataset", scale.EpochOrder, FOLDER)
bad("keras sequence", "dataset", scale.EpochOrder, [1, 2])
case(
    "scale.ImageFolderDataset",
    "epoch",
    "negative",
    lambda tiny, folder: DATASET.make(tiny, folder).set_epoch(-1),
)
bad("no module", "function", scale.run_with_devices, "train_data_parallel", 2)
bad(
    "unknown module",
    "function",
    scale.run_with_devices,
    "companion.nothing.train",
    2,
)
bad(
    "unknown function",
    "function",
    scale.run_with_devices,
    "companion.scale.train",
    2,
)
bad("callable", "function", scale.run_with_devices, print, 2)
bad(
    "zero",
    "device_count",
    scale.run_with_devices,
    "companion.scale.read_images",
    0,
)
bad(
    "too many",
    "device_count",
    scale.run_with_devices,
    "companion.scale.read_images",
    1000,
)
bad(
    "list",
    "arguments",
    scale.run_with_devices,
    "companion.scale.read_images",
    2,
    [1],
)
bad(
    "array",
    "arguments",
    scale.run_with_devices,
    "companion.scale.read_images",
    2,
    {"paths": IMAGES},
)
bad(
    "zero",
    "timeout",
    scale.run_with_devices,
    "companion.scale.read_images",
    2,
    timeout=0,
)
bad("zero", "train_size", scale.train_data_parallel, train_size=0)
bad("too many", "train_size", scale.train_data_parallel, train_size=70000)
bad("zero", "epochs", scale.train_data_parallel, epochs=0)
bad("float", "batch_size", scale.train_data_parallel, batch_size=12.5)
bad("negative", "learning_rate", scale.train_data_parallel, learning_rate=-1)
bad("text", "seed", scale.train_data_parallel, seed="zero")


# widgets (chapters 7 and 8)
WIDGET_FILE = Lazy(lambda tiny, folder: folder / "widget.js")
CONV_VAE_DECODER = Lazy(lambda tiny, folder: vae.build_vae_decoder(2, "conv"))
POOLING_DECODER = Lazy(
    lambda tiny, folder: models.build_pooling_conv_autoencoder().get_layer(
        "decoder"
    )
)
SOFTMAX_DECODER = Lazy(
    lambda tiny, folder: models.build_dense_decoder(
        code_size=2, output_shape=(28, 28, 1), output_activation="softmax"
    )
)
TWO_CODES = CODES[:, :2]
EXPLORER_FILE = Lazy(
    lambda tiny, folder: (
        widgets.write_latent_explorer(
            folder / "explorer.js", tiny.vae_decoder, TWO_CODES, LABELS, FLAT
        )
        and folder / "explorer.js"
    )
)
READ_EXPLORER = Lazy(
    lambda tiny, folder: widgets.read_widget(
        _made(EXPLORER_FILE, tiny, folder)
    )
)


def explorer(label, argument, **changes):
    """Add a case of ``widgets.write_latent_explorer`` with one change."""
    arguments = dict(
        path=WIDGET_FILE,
        decoder=T.vae_decoder,
        codes=TWO_CODES,
        labels=LABELS,
        images=FLAT,
    )
    bad(label, argument, widgets.write_latent_explorer, **arguments | changes)


def slider(label, argument, **changes):
    """Add a case of ``widgets.write_interpolation_slider`` with one
    change."""
    arguments = dict(
        path=WIDGET_FILE,
        decoder=T.decoder,
        start_codes=CODES,
        end_codes=CODES[::-1],
        start_images=FLAT,
        end_images=FLAT[::-1],
        names=[f"pair {n}" for n in range(6)],
    )
    bad(
        label,
        argument,
        widgets.write_interpolation_slider,
        **arguments | changes,
    )


explorer("number", "path", path=42)
explorer("json suffix", "path", path="explorer.json")
explorer("hyphen", "path", path="my-explorer.js")
explorer(
    "missing folder",
    "path",
    path=Lazy(lambda tiny, folder: folder / "missing" / "widget.js"),
)
explorer("string", "decoder", decoder="decoder")
explorer("4-d codes", "decoder", decoder=T.decoder)
explorer("convolutions", "decoder", decoder=CONV_VAE_DECODER)
explorer("softmax", "decoder", decoder=SOFTMAX_DECODER)
explorer("image code", "decoder", decoder=POOLING_DECODER)
explorer("nan", "codes", codes=with_nan(TWO_CODES))
explorer("three values", "codes", codes=CODES[:, :3])
explorer("one code", "codes", codes=TWO_CODES[0])
explorer("not digits", "labels", labels=BIG_LABELS)
explorer("short", "labels", labels=LABELS[:3])
explorer("0..255", "images", images=SCALED)
explorer("short", "images", images=FLAT[:3])
explorer("100 pixels", "images", images=FLAT[:, :100])
slider("suffix", "path", path="slider.html")
slider("convolutions", "decoder", decoder=CONV_VAE_DECODER)
slider("nan", "start_codes", start_codes=with_nan(CODES))
slider("three values", "start_codes", start_codes=CODES[:, :3])
slider("short", "end_codes", end_codes=CODES[:3])
slider("0..255", "start_images", start_images=SCALED)
slider("short", "start_images", start_images=FLAT[:3])
slider("100 pixels", "end_images", end_images=FLAT[:, :100])
slider("string", "names", names="pairs")
slider("number", "names", names=5)
slider("empty name", "names", names=[""] * 6)
slider("three names", "names", names=["a", "b", "c"])
bad("number", "path", widgets.read_widget, 42)
bad("missing", "path", widgets.read_widget, MISSING_FILE)
bad("text file", "path", widgets.read_widget, TEXT_FILE)
bad("folder", "path", widgets.read_widget, FOLDER)
bad("dict", "widget", widgets.decode_exported, {"a": 1}, TWO_CODES)
bad("path", "widget", widgets.decode_exported, "explorer.js", TWO_CODES)
bad("nan", "codes", widgets.decode_exported, READ_EXPLORER, with_nan(CODES))
bad("four values", "codes", widgets.decode_exported, READ_EXPLORER, CODES)
bad("string", "codes", widgets.decode_exported, READ_EXPLORER, "0, 1")


def _widget_folder_is_a_file(tiny, folder):
    with environment(
        widgets.FOLDER_VARIABLE, str(_made(TEXT_FILE, tiny, folder))
    ):
        return widgets.output_folder()


case(
    "widgets.output_folder",
    widgets.FOLDER_VARIABLE,
    "a file",
    _widget_folder_is_a_file,
)


# nab (the time-series chapter)
def _nab_copy(folder, rows=None, windows=None, header="timestamp,value"):
    """A one-series copy of NAB in ``folder``: tiny/a.csv."""
    rows = rows or [f"2020-01-01 00:0{i}:00,{i}" for i in range(8)]
    windows = windows if windows is not None else []
    (folder / "data" / "tiny").mkdir(parents=True, exist_ok=True)
    (folder / "labels").mkdir(exist_ok=True)
    (folder / "data" / "tiny" / "a.csv").write_text("\n".join([header, *rows]))
    (folder / nab.LABELS_FILE).write_text(json.dumps({"tiny/a.csv": windows}))
    return folder


def nab_file(label, **copy):
    """Add a case of ``nab.load_series`` on a copy with one fault."""
    bad(
        label,
        "name",
        nab.load_series,
        "tiny/a.csv",
        Lazy(lambda tiny, folder: _nab_copy(folder, **copy)),
    )


NAB_COPY = Lazy(lambda tiny, folder: _nab_copy(folder))
TIME_20 = np.datetime64("2020-01-01T00:00") + np.arange(20) * np.timedelta64(
    5, "m"
)
NAB_SERIES = nab.Series("tiny/a.csv", TIME_20, np.zeros(20), ((8, 11),))
NAB_SCORES = {"tiny/a.csv": np.linspace(0.0, 1.0, 20)}

bad("number", "path", nab.series_names, 42)
bad("no labels", "path", nab.series_names, FOLDER)
bad("number", "name", nab.load_series, 3, NAB_COPY)
bad("unknown", "name", nab.load_series, "a.csv", NAB_COPY)
bad("string", "strict_time", nab.load_series, "tiny/a.csv", NAB_COPY, "yes")
bad("no labels", "path", nab.load_series, "tiny/a.csv", FOLDER)
nab_file("header", header="time,value")
nab_file("bad value", rows=["2020-01-01 00:00:00,1", "2020-01-01 00:01:00,x"])
nab_file("bad time", rows=["2020-01-01 00:00:00,1", "yesterday,2"])
nab_file("nan", rows=["2020-01-01 00:00:00,1", "2020-01-01 00:01:00,nan"])
nab_file("one record", rows=["2020-01-01 00:00:00,1"])
nab_file(
    "window off the records",
    windows=[["2020-01-01 00:02:30.000000", "2020-01-01 00:04:00.000000"]],
)
nab_file(
    "window of one record",
    windows=[["2020-01-01 00:02:00.000000", "2020-01-01 00:02:00.000000"]],
)
bad(
    "repeated time, strict",
    "name",
    nab.load_series,
    "tiny/a.csv",
    Lazy(
        lambda tiny, folder: _nab_copy(
            folder, rows=["2020-01-01 00:00:00,1", "2020-01-01 00:00:00,2"]
        )
    ),
    strict_time=True,
)
bad("one record", "windows", nab.check_windows, [(5, 5)], 20)
bad("overlap", "windows", nab.check_windows, [(0, 3), (2, 6)], 20)
bad("past the end", "windows", nab.check_windows, [(10, 30)], 20)
bad("floats", "windows", nab.check_windows, [(0.5, 3)], 20)
bad("triples", "windows", nab.check_windows, [(1, 2, 3)], 20)
bad("number", "windows", nab.check_windows, 5, 20)
bad("zero", "length", nab.check_windows, [], 0)
bad("zero", "length", nab.probation_length, 0)
bad("float", "length", nab.probation_length, 2.5)
bad("nan", "values", nab.windowed_gaussian_scores, [1.0, np.nan])
bad("2-d", "values", nab.windowed_gaussian_scores, np.ones((3, 2)))
bad("zero", "window", nab.windowed_gaussian_scores, np.ones(5), 0)
bad("above window", "step", nab.windowed_gaussian_scores, np.ones(5), 5, 10)
bad("nan", "scores", nab.round_like_nab, [0.5, np.nan])
bad("string", "scores", nab.round_like_nab, "0.5")
bad("unknown", "profile", nab.record_weights, 20, [(8, 11)], "strict")
bad("overlap", "windows", nab.record_weights, 20, [(8, 11), (10, 12)])
bad("negative", "length", nab.record_weights, -1, [])
bad("list", "scores", nab.score_corpus, [0.5], [NAB_SERIES])
bad("missing", "scores", nab.score_corpus, {"b.csv": [0.5]}, [NAB_SERIES])
bad(
    "length",
    "scores",
    nab.score_corpus,
    {"tiny/a.csv": np.zeros(19)},
    [NAB_SERIES],
)
bad(
    "above 1",
    "scores",
    nab.score_corpus,
    {"tiny/a.csv": np.full(20, 2.0)},
    [NAB_SERIES],
)
bad("string", "corpus", nab.score_corpus, NAB_SCORES, "tiny/a.csv")
bad("empty", "corpus", nab.score_corpus, NAB_SCORES, [])
bad("unknown", "profile", nab.score_corpus, NAB_SCORES, [NAB_SERIES], "x")
bad("list", "scores", nab.check_scores, [0.5], [NAB_SERIES])
bad("string", "series", nab.check_series, "tiny/a.csv")
bad("dict", "corpus", nab.check_series, {}, "corpus")
bad("tuple", "corpus", nab.check_scores, NAB_SCORES, (3,))
bad(
    "negative",
    "scores",
    nab.check_scores,
    {"tiny/a.csv": np.full(20, -0.5)},
    [NAB_SERIES],
)


# sequences and detectors (the time-series chapter)
bad("string", "series", plots.plot_series, "tiny/a.csv")
bad("short", "scores", plots.plot_series, NAB_SERIES, np.zeros(19))
bad("no scores", "threshold", plots.plot_series, NAB_SERIES, None, 0.5)
bad("above 1.1", "threshold", plots.plot_series, NAB_SERIES, np.zeros(20), 2)
bad(
    "string",
    "show_probation",
    plots.plot_series,
    NAB_SERIES,
    show_probation="y",
)
bad("1-d", "windows", plots.plot_window_reconstructions, np.ones(3), {})
bad("empty", "reconstructions", plots.plot_window_reconstructions, FLAT, {})
bad(
    "shape",
    "reconstructions",
    plots.plot_window_reconstructions,
    np.ones((2, 5)),
    {"dense": np.ones((2, 4))},
)
bad(
    "count",
    "titles",
    plots.plot_window_reconstructions,
    np.ones((2, 5)),
    {"dense": np.ones((2, 5))},
    ["one"],
)
bad("constant", "reference", sequences.standardise, [1.0, 2.0], [3.0, 3.0])
bad("nan", "values", sequences.standardise, [1.0, np.nan], [1.0, 2.0])
bad("2-d", "reference", sequences.standardise, [1.0], np.ones((2, 2)))
bad("too long", "length", sequences.make_windows, np.ones(5), 6)
bad("one", "length", sequences.make_windows, np.ones(5), 1)
bad("float", "length", sequences.make_windows, np.ones(5), 2.5)
bad("strings", "values", sequences.make_windows, ["a", "b"], 2)
bad("odd", "length", sequences.build_conv1d_autoencoder, 290)
bad("empty", "filters", sequences.build_conv1d_autoencoder, 288, ())
bad("zero", "filters", sequences.build_conv1d_autoencoder, 288, (32, 0))
bad("one", "dropout", sequences.build_conv1d_autoencoder, 288, dropout=1.0)
bad("zero", "kernel_size", sequences.build_conv1d_autoencoder, kernel_size=0)
bad("zero", "length", sequences.build_dense_sequence_autoencoder, 0)
bad("zero", "code_size", sequences.build_dense_sequence_autoencoder, 8, 0)
bad(
    "negative",
    "extra_inputs",
    sequences.build_dense_sequence_autoencoder,
    8,
    extra_inputs=-1,
)
bad(
    "float",
    "extra_inputs",
    sequences.build_dense_sequence_autoencoder,
    8,
    extra_inputs=1.5,
)
bad("zero", "hidden_size", sequences.build_dense_sequence_autoencoder, 8, 2, 0)
bad("zero", "length", sequences.build_lstm_autoencoder, 0)
bad("zero", "units", sequences.build_lstm_autoencoder, 8, 0)
bad("zero", "code_size", sequences.build_lstm_autoencoder, 8, 4, 0)
bad(
    "shapes",
    "reconstructions",
    sequences.window_errors,
    np.ones((3, 4)),
    np.ones((3, 5)),
)
bad("1-d", "windows", sequences.window_errors, np.ones(3), np.ones(3))
bad("nan", "windows", sequences.window_errors, [[np.nan]], [[1.0]])
bad("floats", "window_flags", sequences.flag_records, [0.5, 1.0], 2)
bad("2-d", "window_flags", sequences.flag_records, np.ones((2, 2), bool), 1)
bad("too long", "length", sequences.flag_records, np.ones(3, bool), 4)
bad("zero", "length", sequences.flag_records, np.ones(3, bool), 0)
bad("strings", "timestamps", detectors.time_features, ["2020-01-01"])
bad("numbers", "timestamps", detectors.time_features, np.arange(3))
bad("2-d", "values", detectors.spatial_scores, np.ones((3, 2)))
bad("negative", "tolerance", detectors.spatial_scores, np.ones(3), -0.1)
bad("nan", "errors", detectors.error_scores, [1.0, np.nan], 0)
bad("past the end", "first", detectors.error_scores, np.ones(3), 3)
bad("negative", "first", detectors.error_scores, np.ones(3), -1)
bad("zero", "minimum_count", detectors.error_scores, np.ones(3), 0, 0)
bad("2-d", "scores", detectors.keep_new_highs, np.ones((3, 2)), 2)
bad("zero", "span", detectors.keep_new_highs, np.ones(3), 0)
NAB_LONG = nab.Series(
    "tiny/a.csv",
    np.datetime64("2020-01-01T00:00")
    + np.arange(200) * np.timedelta64(5, "m"),
    np.sin(np.arange(200) / 5.0),
    ((150, 160),),
)
bad("string", "series", detectors.autoencoder_errors, "tiny/a.csv")
bad("too long", "length", detectors.autoencoder_errors, NAB_LONG, 31)
bad("zero", "epochs", detectors.autoencoder_errors, NAB_LONG, 8, epochs=0)
bad("zero", "code_size", detectors.autoencoder_errors, NAB_LONG, 8, 0)
bad(
    "zero",
    "batch_size",
    detectors.autoencoder_errors,
    NAB_LONG,
    8,
    batch_size=0,
)
bad("negative", "seed", detectors.autoencoder_errors, NAB_LONG, 8, seed=-1)
bad("string", "series", detectors.pca_errors, "tiny/a.csv")
bad("one", "length", detectors.pca_errors, NAB_LONG, 1)
bad("too many", "components", detectors.pca_errors, NAB_LONG, 8, 8)
bad("list", "series", detectors.isolation_forest_errors, [NAB_LONG])
bad("too long", "length", detectors.isolation_forest_errors, NAB_LONG, 40)
bad("string", "seed", detectors.isolation_forest_errors, NAB_LONG, 8, "0")
bad(
    "above 1.1",
    "threshold",
    detectors.event_counts,
    NAB_SCORES,
    [NAB_SERIES],
    2,
)
bad("list", "scores", detectors.event_counts, [0.5], [NAB_SERIES], 0.5)
bad("empty", "corpus", detectors.event_counts, NAB_SCORES, [], 0.5)
bad(
    "number",
    "folder",
    detectors.write_nab_results,
    3,
    "ae",
    NAB_SCORES,
    [NAB_SERIES],
)
bad(
    "slash",
    "detector",
    detectors.write_nab_results,
    FOLDER,
    "a/b",
    NAB_SCORES,
    [NAB_SERIES],
)
bad(
    "a file",
    "folder",
    detectors.write_nab_results,
    TEXT_FILE,
    "ae",
    NAB_SCORES,
    [NAB_SERIES],
)
bad(
    "missing",
    "scores",
    detectors.write_nab_results,
    FOLDER,
    "ae",
    {},
    [NAB_SERIES],
)


# vq (chapter 9)
GRIDS = np.zeros((2, 7, 7), dtype="int32")
BLOCK_IMAGES = np.zeros((2, 28, 28, 1), dtype="float32")


@functools.cache
def _tiny_vqvae():
    return vq.build_vqvae(num_embeddings=4, embedding_dim=2, filters=(2, 2))


@functools.cache
def _tiny_pixelcnn():
    return vq.build_pixelcnn(num_embeddings=4, filters=2, residual_blocks=1)


VQVAE = Lazy(lambda tiny, folder: _tiny_vqvae())
PIXELCNN = Lazy(lambda tiny, folder: _tiny_pixelcnn())
VQ_ENCODER = Lazy(lambda tiny, folder: vq.build_vq_encoder(2, (2, 2)))
VQ_DECODER = Lazy(lambda tiny, folder: vq.build_vq_decoder(2, (2, 2)))
VQ_DECODER_3 = Lazy(lambda tiny, folder: vq.build_vq_decoder(3, (2, 2)))
QUANTIZER_3 = Lazy(lambda tiny, folder: vq.VectorQuantizer(4, 3))
bad("one entry", "num_embeddings", vq.VectorQuantizer, 1)
bad("zero", "embedding_dim", vq.VectorQuantizer, 4, 0)
bad("negative", "beta", vq.VectorQuantizer, beta=-1)
bad("unknown", "update", vq.VectorQuantizer, update="adam")
bad("one", "decay", vq.VectorQuantizer, update="ema", decay=1)
bad("zero", "decay", vq.VectorQuantizer, update="ema", decay=0)
bad("gradient", "restart_dead", vq.VectorQuantizer, restart_dead=True)
bad("string", "restart_dead", vq.VectorQuantizer, restart_dead="yes")
bad("negative", "dead_threshold", vq.VectorQuantizer, dead_threshold=-1)
bad("negative", "seed", vq.VectorQuantizer, seed=-1)
case(
    "vq.VectorQuantizer",
    "embedding_dim",
    "input of 1 value",
    lambda tiny, folder: vq.VectorQuantizer(4, 3)(GRIDS[..., None] + 0.0),
)
bad("zero", "embedding_dim", vq.build_vq_encoder, 0)
bad("one size", "filters", vq.build_vq_encoder, 2, (8,))
bad("empty", "name", vq.build_vq_encoder, 2, (2, 2), "")
bad("zero", "embedding_dim", vq.build_vq_decoder, 0)
bad("three sizes", "filters", vq.build_vq_decoder, 2, (2, 2, 2))
bad("zero", "channels", vq.build_grid_vae, 0)
bad("one size", "filters", vq.build_grid_vae, 1, (8,))
bad("negative", "beta", vq.build_grid_vae, 1, (2, 2), -1)
bad("negative", "seed", vq.build_grid_vae, 1, (2, 2), seed=-1)
bad("14x14", "images", vq.entry_patches, IMAGES[:2, :14, :14], GRIDS, 4)
bad(
    "3 channels",
    "images",
    vq.entry_patches,
    np.zeros((2, 28, 28, 3), dtype="float32"),
    GRIDS,
    4,
)
bad("0..255", "images", vq.entry_patches, IMAGES[:2] * 255, GRIDS, 4)
bad("lengths", "indices", vq.entry_patches, IMAGES[:3], GRIDS, 4)
bad("out of range", "indices", vq.entry_patches, IMAGES[:2], GRIDS + 4, 4)
bad("zero", "num_embeddings", vq.entry_patches, IMAGES[:2], GRIDS, 0)
bad("string", "encoder", vq.VQVAE, "encoder", VQ_DECODER)
bad("string", "decoder", vq.VQVAE, VQ_ENCODER, "decoder")
bad("3 channels", "decoder", vq.VQVAE, VQ_ENCODER, VQ_DECODER_3)
bad("string", "quantizer", vq.VQVAE, VQ_ENCODER, VQ_DECODER, "vq")
bad("bad setting", "update", vq.VQVAE, VQ_ENCODER, VQ_DECODER, {"update": 1})
bad(
    "3 values",
    "quantizer.embedding_dim",
    vq.VQVAE,
    VQ_ENCODER,
    VQ_DECODER,
    QUANTIZER_3,
)
bad("zero", "learning_rate", vq.build_vqvae, learning_rate=0)
bad("one entry", "num_embeddings", vq.build_vqvae, 1)
bad("one size", "filters", vq.build_vqvae, filters=(8,))
bad("gradient", "restart_dead", vq.build_vqvae, restart_dead=True)
bad("autoencoder", "model", vq.encode_indices, T.autoencoder, IMAGES)
bad("flat", "images", vq.encode_indices, VQVAE, FLAT)
bad("0..255", "images", vq.encode_indices, VQVAE, IMAGES * 255)
bad("zero", "batch_size", vq.encode_indices, VQVAE, IMAGES, 0)
bad("6x6", "indices", vq.check_index_grids, np.zeros((2, 6, 6), "int32"), 4)
bad("empty", "indices", vq.check_index_grids, GRIDS[:0], 4)
bad("floats", "indices", vq.check_index_grids, GRIDS + 0.0, 4)
bad("negative", "indices", vq.check_index_grids, GRIDS - 1, 4)
bad("ragged", "indices", vq.check_index_grids, [[1], [1, 2]], 4)
bad("zero", "num_embeddings", vq.check_index_grids, GRIDS, 0)
bad("named", "prior_grids", vq.check_index_grids, GRIDS + 4, 4, "prior_grids")
bad("pixelcnn", "model", vq.decode_indices, PIXELCNN, GRIDS)
bad("out of range", "indices", vq.decode_indices, VQVAE, GRIDS + 4)
bad("floats", "indices", vq.decode_indices, VQVAE, GRIDS + 0.5)
bad("zero", "batch_size", vq.decode_indices, VQVAE, GRIDS, 0)
bad("floats", "indices", vq.codebook_usage, [0.0, 1.0], 4)
bad("out of range", "indices", vq.codebook_usage, [0, 4], 4)
bad("empty", "indices", vq.codebook_usage, [], 4)
bad("booleans", "indices", vq.codebook_usage, [True, False], 4)
bad("zero", "num_embeddings", vq.codebook_usage, [0, 1], 0)
bad("nan", "images", vq.CodebookUsage, with_nan(IMAGES))
bad("0..255", "images", vq.CodebookUsage, IMAGES * 255)
bad("zero", "every", vq.CodebookUsage, IMAGES, every=0)
bad("unknown", "mask_type", vq.MaskedConv2D, 4, 3, mask_type="C")
bad("zero", "num_embeddings", vq.build_pixelcnn, 0)
bad("one", "filters", vq.build_pixelcnn, 4, 1)
bad("zero", "residual_blocks", vq.build_pixelcnn, 4, 2, 0)
bad("empty", "name", vq.build_pixelcnn, name="")
bad("autoencoder", "prior", vq.prior_nll, T.autoencoder, GRIDS)
bad("string", "prior", vq.prior_nll, "pixelcnn", GRIDS)
bad("out of range", "indices", vq.prior_nll, PIXELCNN, GRIDS + 4)
bad("zero", "batch_size", vq.prior_nll, PIXELCNN, GRIDS, 0)
bad("autoencoder", "prior", vq.sample_prior, T.autoencoder, 2)
bad("zero", "count", vq.sample_prior, PIXELCNN, 0)
bad("negative", "seed", vq.sample_prior, PIXELCNN, 2, seed=-1)
bad("zero", "temperature", vq.sample_prior, PIXELCNN, 2, temperature=0)
bad("nan", "nats", vq.nats_to_bits, np.nan)
bad("nan in array", "nats", vq.nats_to_bits, [1.0, np.nan])
bad("string", "nats", vq.nats_to_bits, "1")


# retrieval (chapter 12)
bad(
    "nan",
    "database_codes",
    retrieval.nearest_neighbours,
    with_nan(CODES),
    CODES,
)
bad("strings", "database_codes", retrieval.nearest_neighbours, [["a"]], CODES)
bad("1-d", "query_codes", retrieval.nearest_neighbours, CODES, CODES[0])
bad("inf", "query_codes", retrieval.nearest_neighbours, CODES, with_inf(CODES))
bad("width", "query_codes", retrieval.nearest_neighbours, CODES, CODES_2)
bad("zero", "k", retrieval.nearest_neighbours, CODES, CODES, 0)
bad("bool", "k", retrieval.nearest_neighbours, CODES, CODES, True)
bad("above the database", "k", retrieval.nearest_neighbours, CODES, CODES, 7)
bad(
    "all with self left out",
    "k",
    retrieval.nearest_neighbours,
    CODES,
    CODES,
    6,
    True,
)
bad(
    "string",
    "exclude_self",
    retrieval.nearest_neighbours,
    CODES,
    CODES,
    1,
    "yes",
)
bad(
    "other queries",
    "exclude_self",
    retrieval.nearest_neighbours,
    CODES,
    CODES[:2],
    1,
    True,
)
bad(
    "floats",
    "neighbour_indices",
    retrieval.precision_at_k,
    NEIGHBOURS + 0.5,
    LABELS,
    LABELS[:2],
)
bad(
    "1-d",
    "neighbour_indices",
    retrieval.precision_at_k,
    [1, 2],
    LABELS,
    LABELS[:2],
)
bad(
    "out of range",
    "neighbour_indices",
    retrieval.precision_at_k,
    NEIGHBOURS + 5,
    LABELS,
    LABELS[:2],
)
bad(
    "negative",
    "neighbour_indices",
    retrieval.precision_at_k,
    -NEIGHBOURS,
    LABELS,
    LABELS[:2],
)
bad(
    "length",
    "query_labels",
    retrieval.precision_at_k,
    NEIGHBOURS,
    LABELS,
    LABELS,
)
bad(
    "negative",
    "query_labels",
    retrieval.precision_at_k,
    NEIGHBOURS,
    LABELS,
    [0, -1],
)
bad(
    "floats",
    "database_labels",
    retrieval.precision_at_k,
    NEIGHBOURS,
    FLOAT_LABELS,
    LABELS[:2],
)
bad(
    "one-hot",
    "database_labels",
    retrieval.precision_at_k,
    NEIGHBOURS,
    np.eye(6, dtype="int64"),
    LABELS[:2],
)
bad(
    "string",
    "per_query",
    retrieval.precision_at_k,
    NEIGHBOURS,
    LABELS,
    LABELS[:2],
    "yes",
)

# transfer (chapter 12)
ENCODER_CLASSIFIER = Lazy(
    lambda tiny, folder: transfer.build_encoder_classifier(tiny.encoder)
)
bad("string", "encoder", transfer.build_encoder_classifier, "encoder")
bad("autoencoder", "encoder", transfer.build_encoder_classifier, T.autoencoder)
bad("two outputs", "encoder", transfer.build_encoder_classifier, T.vae_encoder)
bad("one", "classes", transfer.build_encoder_classifier, T.encoder, 1)
bad("bool", "classes", transfer.build_encoder_classifier, T.encoder, True)
bad("one", "dropout", transfer.build_encoder_classifier, T.encoder, dropout=1)
bad(
    "negative",
    "dropout",
    transfer.build_encoder_classifier,
    T.encoder,
    dropout=-0.1,
)
bad(
    "string",
    "trainable_encoder",
    transfer.build_encoder_classifier,
    T.encoder,
    trainable_encoder="no",
)
bad(
    "int",
    "pretrained",
    transfer.build_encoder_classifier,
    T.encoder,
    pretrained=1,
)
bad("empty", "name", transfer.build_encoder_classifier, T.encoder, name="")
bad("string", "model", transfer.set_encoder_trainable, "model", True)
bad("no encoder", "model", transfer.set_encoder_trainable, T.classifier, True)
bad(
    "string",
    "trainable",
    transfer.set_encoder_trainable,
    ENCODER_CLASSIFIER,
    "yes",
)


# layerwise (chapter 2)


def _level(input_size, size, activation="relu", decoder="sigmoid", fill=0.0):
    """A ``PretrainedLevel`` of zeros (or ``fill``), without training."""
    return layerwise.PretrainedLevel(
        input_size,
        size,
        [
            np.full((input_size, size), fill, "float32"),
            np.zeros(size, "float32"),
        ],
        [
            np.full((size, input_size), fill, "float32"),
            np.zeros(input_size, "float32"),
        ],
        activation,
        decoder,
    )


TIED = Lazy(lambda tiny, folder: layerwise.build_tied_autoencoder(784, 4))
LEVEL_4 = _level(784, 4)
bad("zero", "units", layerwise.TiedDense, 0)
bad("float", "units", layerwise.TiedDense, 2.5)
bad("unknown", "activation", layerwise.TiedDense, 4, "nope")
bad("unknown", "transpose_activation", layerwise.TiedDense, 4, None, "nope")
case(
    "layerwise.TiedDense",
    "transpose",
    "before a forward call",
    lambda tiny, folder: layerwise.TiedDense(4)(CODES, transpose=True),
)
case(
    "layerwise.TiedDense",
    "transpose",
    "string",
    lambda tiny, folder: layerwise.TiedDense(4)(CODES, transpose="yes"),
)


def _transposed_wrong_size():
    layer = layerwise.TiedDense(3)
    layer(CODES)  # a kernel of 4 x 3
    return layer(CODES, transpose=True)  # 4 values, not 3


case(
    "layerwise.TiedDense",
    "inputs",
    "transposed, wrong size",
    lambda tiny, folder: _transposed_wrong_size(),
)
bad("zero", "input_dim", layerwise.build_tied_autoencoder, 0)
bad("zero", "code_size", layerwise.build_tied_autoencoder, 784, 0)
bad("lone int", "hidden_sizes", layerwise.build_tied_autoencoder, 784, 4, 8)
bad("unknown", "activation", layerwise.build_tied_autoencoder, activation="x")
bad(
    "unknown",
    "code_activation",
    layerwise.build_tied_autoencoder,
    code_activation="x",
)
bad(
    "unknown",
    "output_activation",
    layerwise.build_tied_autoencoder,
    output_activation="x",
)
bad("empty", "name", layerwise.build_tied_autoencoder, name="")
bad("string", "model", layerwise.tied_encoder, "model")
bad("untied", "model", layerwise.tied_encoder, T.autoencoder)
bad("unbuilt", "model", layerwise.tied_encoder, UNBUILT)
bad("empty", "name", layerwise.tied_encoder, TIED, name="")
bad("0..255", "images", layerwise.pretrain_layers, SCALED)
bad("nan", "images", layerwise.pretrain_layers, with_nan(FLAT))
bad("empty", "images", layerwise.pretrain_layers, EMPTY)
bad("not flat", "images", layerwise.pretrain_layers, IMAGES)
bad("integers", "images", layerwise.pretrain_layers, SCALED.astype("uint8"))
bad("lone int", "sizes", layerwise.pretrain_layers, FLAT, 30)
bad("empty", "sizes", layerwise.pretrain_layers, FLAT, ())
bad("zero", "sizes", layerwise.pretrain_layers, FLAT, (8, 0))
bad("unknown", "activations", layerwise.pretrain_layers, FLAT, (8, 4), "x")
bad("number", "activations", layerwise.pretrain_layers, FLAT, (8, 4), 3)
bad(
    "two for one",
    "activations",
    layerwise.pretrain_layers,
    FLAT,
    (8, 4),
    ("relu", "relu"),
)
bad(
    "unknown entry",
    "activations",
    layerwise.pretrain_layers,
    FLAT,
    (8, 8, 4),
    ("relu", "x"),
)
bad(
    "unknown",
    "code_activation",
    layerwise.pretrain_layers,
    FLAT,
    code_activation="x",
)
bad(
    "unknown",
    "output_activation",
    layerwise.pretrain_layers,
    FLAT,
    output_activation="x",
)
bad("zero", "epochs", layerwise.pretrain_layers, FLAT, epochs=0)
bad("zero", "batch_size", layerwise.pretrain_layers, FLAT, batch_size=0)
bad("zero", "learning_rate", layerwise.pretrain_layers, FLAT, learning_rate=0)
bad("negative", "seed", layerwise.pretrain_layers, FLAT, seed=-1)
bad("three", "verbose", layerwise.pretrain_layers, FLAT, verbose=3)
bad("True", "verbose", layerwise.pretrain_layers, FLAT, verbose=True)
bad("string", "autoencoder", layerwise.load_pretrained, "model", [LEVEL_4])
bad("unbuilt", "autoencoder", layerwise.load_pretrained, UNBUILT, [LEVEL_4])
bad("tied", "autoencoder", layerwise.load_pretrained, TIED, [LEVEL_4])
bad("one level", "levels", layerwise.load_pretrained, T.autoencoder, LEVEL_4)
bad("empty", "levels", layerwise.load_pretrained, T.autoencoder, [])
bad("dicts", "levels", layerwise.load_pretrained, T.autoencoder, [{"a": 1}])
bad(
    "two levels",
    "levels",
    layerwise.load_pretrained,
    T.autoencoder,
    [_level(784, 8), _level(8, 4, decoder="relu")],
)
bad(
    "other sizes",
    "levels",
    layerwise.load_pretrained,
    T.autoencoder,
    [_level(784, 8)],
)
bad(
    "linear code",
    "levels",
    layerwise.load_pretrained,
    T.autoencoder,
    [_level(784, 4, activation="linear")],
)
bad(
    "nan weights",
    "levels",
    layerwise.load_pretrained,
    T.autoencoder,
    [_level(784, 4, fill=np.nan)],
)
bad("not flat", "inputs", LEVEL_4.encode, IMAGES)
bad("wrong size", "inputs", LEVEL_4.encode, CODES)
bad("nan", "codes", LEVEL_4.decode, with_nan(CODES))
bad("wrong size", "codes", LEVEL_4.decode, CODES_2)


@pytest.mark.parametrize("bad_case", CASES, ids=[item.id for item in CASES])
def test_bad_input_raises_a_clear_value_error(bad_case, tiny, tmp_path):
    with pytest.raises(ValueError, match=bad_case.match):
        bad_case.call(tiny, tmp_path)


def _public_names(module):
    """Public functions and classes defined in ``module``.

    Data classes (plain records) and exceptions are left aside.
    """
    names = set()
    for name, value in vars(module).items():
        home = getattr(value, "__module__", None) or ""
        # A package (plots) counts what its submodules define.
        if name.startswith("_") or not (
            home == module.__name__ or home.startswith(module.__name__ + ".")
        ):
            continue
        is_checked_class = (
            inspect.isclass(value)
            and not dataclasses.is_dataclass(value)
            and not issubclass(value, Exception)
        )
        if inspect.isfunction(value) or is_checked_class:
            names.add(name)
    return names


@pytest.mark.parametrize("module_name", sorted(MODULES))
def test_every_public_function_has_bad_input_cases(module_name):
    covered = {item.function for item in CASES if item.module == module_name}
    exempt = {
        function for module, function in NO_ARGUMENTS if module == module_name
    }
    missing = _public_names(MODULES[module_name]) - covered - exempt
    assert not missing, (
        f"add bad-input cases for {module_name}: {sorted(missing)}"
    )


def test_case_ids_are_unique():
    ids = [item.id for item in CASES]
    assert len(ids) == len(set(ids))


def test_valid_inputs_at_the_limits_are_still_accepted(tiny):
    assert checks.check_seed(2**32 - 1) == 2**32 - 1
    assert checks.check_seed(np.uint32(7)) == 7
    tanh_outputs = np.array([[-1.0, 0.5, 2.0]], dtype="float32")
    checks.check_images(tanh_outputs, require_unit_range=False)
    assert checks.check_number(1.0, "weight", 0.0, 1.0) == 1.0
    assert checks.check_sizes(np.array([3, 4]), "hidden_sizes") == (3, 4)
    assert checks.check_rows(({"model": "a"},)) == [{"model": "a"}]
    digits = checks.check_labels(np.array([0, 9], dtype=np.uint8), length=2)
    assert digits.tolist() == [0, 9]
    # An optimizer object with the same rate as learning_rate is no conflict.
    model = models.build_dense_autoencoder((784,), code_size=4)
    optimizer = keras.optimizers.Adam(learning_rate=0.01)
    training.compile_autoencoder(
        model, optimizer=optimizer, learning_rate=0.01
    )
    run = training.fit_autoencoder(
        model, FLAT, FLAT[:2], epochs=1, batch_size=6, callbacks=None
    )
    assert run.epochs == 1
    # Integer labels train a classifier-shaped model.
    labels_run = training.fit_autoencoder(
        tiny.fresh_classifier(), IMAGES, epochs=1, train_targets=LABELS
    )
    assert labels_run.epochs == 1


def test_valid_inputs_of_chapters_6_to_13_are_still_accepted(tiny):
    """Edge cases the checks of chapters 6, 10, 12 and 13 must let through."""
    # contractive: a batch of one, codes as a list and ReLU codes (above 1)
    # in the closed form, a pair of images whose permutation is the
    # identity, a spectrum that is all zero.
    encoder = tiny.sigmoid_encoder
    assert contractive.jacobian_norms(encoder, FLAT[:1]).shape == (1,)
    assert contractive.jacobians(encoder, FLAT[:1]).shape == (1, 4, 784)
    kernel = encoder.layers[-1].kernel
    listed = contractive.sigmoid_jacobian_norms(CODES.tolist(), kernel)
    relu = contractive.sigmoid_jacobian_norms(np.abs(CODES) + 1.0, kernel)
    assert keras.ops.convert_to_numpy(listed).shape == (6,)
    assert keras.ops.convert_to_numpy(relu).shape == (6,)
    assert np.isfinite(contractive.code_change(encoder, FLAT[:2], FLAT[2:4]))
    assert contractive.count_directions(np.zeros((2, 3))) == 0.0
    model = contractive.build_contractive_autoencoder(4)
    run = model.fit(
        FLAT.tolist(),
        FLAT,
        batch_size=6,
        epochs=1,
        verbose=0,
        validation_data=(FLAT[:1], FLAT[:1]),
    )
    assert set(run.history) >= {"loss", "val_loss"}

    def batches():  # data read batch by batch is passed on unchecked
        while True:
            yield FLAT, FLAT

    model.fit(batches(), epochs=1, steps_per_epoch=1, shuffle=False, verbose=0)
    # anomaly: a threshold exactly at a score does not flag it; a digit
    # with a single image; AUCs with one of 1% among real percentages.
    report = anomaly.threshold_report(IS_ANOMALY, SCORES, SCORES[2])
    assert report["flagged"] == pytest.approx(50.0)
    one_seven = np.array([0, 1, 7, 1, 0, 1])
    assert anomaly.normal_images(FLAT, one_seven, 7).shape == (1, 784)
    mixed = np.array([1.0, *np.full(9, 90.0)])
    assert anomaly.auc_row("a", mixed)["0"] == 1.0
    # probes and features: one training code, all images unlabelled in a
    # joint model, labels of shape (n, 1), a batch of one, perfect scores.
    assert probes.knn_accuracy(CODES[:1], LABELS[:1], CODES, LABELS) > 0
    joint = Tiny.fresh_joint()
    joint.fit(FLAT, np.full(6, features.UNLABELLED), epochs=1, verbose=0)
    joint.fit(FLAT, LABELS[:, None], epochs=1, verbose=0)
    assert joint.reconstruct(FLAT[:1]).shape == (1, 784)
    assert 0.0 <= features.classifier_accuracy(joint, FLAT[:1], [3]) <= 100
    row = features.feature_row(
        "a", 4, {("linear", 10): (100.0, 0.0), ("1-NN", 10): (0.0, 0.0)}
    )
    assert row["linear 10"] == (100.0, 0.0)
    spread = features.spread_labels(CODES, LABELS, [0, 1], 2)
    assert features.predict_spread(spread, CODES[:1]).shape == (1,)
    # compression: a JPEG with a comment segment and fill bytes before its
    # tables is measured like the file Pillow wrote; all-zero levels; a
    # rate at the edge of the measured qualities.
    encoded = _jpeg_bytes(FLAT[0])
    padded = encoded[:2] + b"\xff\xfe\x00\x05abc" + b"\xff" + encoded[2:]
    assert compression.jpeg_payload_size(padded) == (
        compression.jpeg_payload_size(encoded)
    )
    assert compression.compressed_size(np.zeros((6, 4), "uint8")) > 0
    assert compression.rate_at_quality([1.0, 2.0], [20.0, 25.0], 25.0) == 2.0
