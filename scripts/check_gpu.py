"""Fail unless the Keras backend sees a GPU (GPU workflows run this first).

Prints the backend, its version and the devices it sees; exits with status 1
when none is a GPU, so that a GPU job never silently runs on the CPU.
"""

import sys

import keras


def gpu_devices():
    """Return the names of the GPU devices the current backend sees."""
    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        return [
            device.name for device in tf.config.list_physical_devices("GPU")
        ]
    if backend == "jax":
        import jax

        return [
            str(device) for device in jax.devices() if device.platform == "gpu"
        ]
    if backend == "torch":
        import torch

        return [
            torch.cuda.get_device_name(i)
            for i in range(torch.cuda.device_count())
        ]
    return []


def main():
    devices = gpu_devices()
    print(
        f"Keras {keras.__version__} on {keras.backend.backend()}: GPUs "
        f"{devices}"
    )
    if not devices:
        print("No GPU visible to the backend: stopping.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
