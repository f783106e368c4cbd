"""Seconds per full-MNIST epoch for the book's main models.

Times one epoch over the 60,000 training images for each model, after a
short warm-up fit (graph tracing and compilation are not counted), on the
current Keras backend. With ``--all-backends`` (the default of ``make
bench``) it runs itself again with ``KERAS_BACKEND=jax`` when JAX is
installed, and prints both tables.

    python scripts/benchmark.py                  # current backend only
    python scripts/benchmark.py --all-backends   # and JAX, where installed
    python scripts/benchmark.py --models dense_32 pooling_conv

Figures depend on the machine: the README quotes those measured on the
2-core CPU machines the book is developed on.
"""

import argparse
import importlib.util
import os
import subprocess
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402

from companion import config, data, models, vae  # noqa: E402


def _dense_32():
    model = models.build_dense_autoencoder((784,), code_size=32)
    model.compile(optimizer="adam", loss="binary_crossentropy")
    return model, "flat", 256


def _hinton():
    model = models.build_dense_autoencoder(
        (784,),
        code_size=30,
        hidden_sizes=(1000, 500, 250),
        code_activation=None,
    )
    model.compile(optimizer="adam", loss="mse")
    return model, "flat", 128


def _pooling_conv():
    model = models.build_pooling_conv_autoencoder(filters=(16, 8, 8))
    model.compile(optimizer="adam", loss="binary_crossentropy")
    return model, "image", 128


def _denoising_conv():
    model = models.build_denoising_conv_autoencoder(filters=32)
    model.compile(optimizer="adam", loss="binary_crossentropy")
    return model, "image", 128


def _dense_vae():
    return vae.build_vae(latent_dim=2, kind="dense"), "image", 128


def _conv_vae():
    return vae.build_vae(latent_dim=2, kind="conv"), "image", 128


MODELS = {
    "dense_32": ("784-32-784 (chapter 1)", _dense_32),
    "hinton": ("784-1000-500-250-30 (chapter 2)", _hinton),
    "pooling_conv": ("pooling conv 16-8-8 (chapter 3)", _pooling_conv),
    "denoising_conv": ("denoising conv 32-32 (chapter 5)", _denoising_conv),
    "dense_vae": ("dense VAE 784-512-2 (chapter 8)", _dense_vae),
    "conv_vae": ("conv VAE 32-64, 2-d (chapter 8)", _conv_vae),
}


def time_epoch(name, mnist):
    """Return (label, batch size, seconds for one epoch) for model ``name``."""
    label, build = MODELS[name]
    config.set_seed(0)
    model, shape, batch_size = build()
    images = mnist.x_train
    if shape == "image":
        images = images.reshape(-1, 28, 28, 1)
    # Warm-up: trace and compile the train step on a few batches.
    model.fit(images[:2048], images[:2048], batch_size=batch_size, verbose=0)
    start = time.perf_counter()
    model.fit(images, images, batch_size=batch_size, epochs=1, verbose=0)
    return label, batch_size, time.perf_counter() - start


def print_table(results, backend):
    print(f"\nSeconds per full-MNIST epoch (60,000 images), {backend}:")
    print("| model | batch | s / epoch |")
    print("|---|---:|---:|")
    for label, batch_size, seconds in results:
        print(f"| {label} | {batch_size} | {seconds:.1f} |")
    sys.stdout.flush()


def main():
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--models",
        nargs="+",
        choices=sorted(MODELS),
        default=list(MODELS),
        help="which models to time (default: all)",
    )
    parser.add_argument(
        "--all-backends",
        action="store_true",
        help="also run with KERAS_BACKEND=jax where JAX is installed",
    )
    arguments = parser.parse_args()

    mnist = data.load_mnist(shape="flat")
    backend = keras.backend.backend()
    onednn = os.environ.get("TF_ENABLE_ONEDNN_OPTS", "default (on)")
    where = f"Keras {keras.__version__} on {backend}"
    if backend == "tensorflow":
        where += f", oneDNN {onednn}"
    where += f", {os.cpu_count()} CPU cores"
    results = [time_epoch(name, mnist) for name in arguments.models]
    print_table(results, where)

    if arguments.all_backends and backend != "jax":
        if importlib.util.find_spec("jax") is None:
            print("\nJAX is not installed: no JAX figures.")
            return 0
        environment = dict(os.environ, KERAS_BACKEND="jax")
        command = [sys.executable, __file__, "--models", *arguments.models]
        return subprocess.run(command, env=environment, check=False).returncode
    return 0


if __name__ == "__main__":
    np.set_printoptions(precision=3)
    sys.exit(main())
