"""Saving a model to a ``.keras`` file and loading it where nothing of the
notebook exists: a fresh Python process.

A ``.keras`` file holds a model's configuration and weights, not its Python
code: custom layers and models are stored by their registered names, so the
process that loads the file must first import the modules that register
them. Checking that in the notebook itself proves nothing (the classes are
already imported there); a second Python process shows what a reader of the
file would see::

    result = saving.reload_in_fresh_process(
        model, x_test, imports=["companion.sparsity"]
    )
    np.array_equal(result.outputs, models.reconstruct(model, x_test))

Chapter 4, "Sparse autoencoders", writes this out step by step in an
exercise; chapters 6, 8, 12 and 13 call this helper.
"""

import dataclasses
import importlib
import importlib.util
import inspect
import json
import math
import os
import pathlib
import subprocess
import sys
import tempfile

import numpy as np

from companion.checks import check_finite_array, check_model

_CHILD = """
import importlib
import json
import sys

import numpy as np

folder, function_path, *imports = sys.argv[1:]
for module_name in imports:
    importlib.import_module(module_name)
import keras

module_name, _, attribute = function_path.rpartition(".")
function = getattr(importlib.import_module(module_name), attribute)
model = keras.saving.load_model(f"{folder}/model.keras")
outputs = function(model, np.load(f"{folder}/inputs.npy"))
several = isinstance(outputs, tuple)
arrays = outputs if several else (outputs,)
np.savez(f"{folder}/outputs.npz", *[np.asarray(array) for array in arrays])
loaded = {
    "class_name": type(model).__name__,
    "backend": keras.backend.backend(),
    "config": model.get_config(),
    "several": several,
}
with open(f"{folder}/loaded.json", "w") as file:
    json.dump(loaded, file, default=repr)
"""
"""The program the fresh process runs: import the modules, load the model,
call the function, write its outputs and what was loaded to files."""


@dataclasses.dataclass
class FreshProcessResult:
    """What :func:`reload_in_fresh_process` brings back from the new process.

    ``outputs`` is what ``function(model, inputs)`` returned there (an array,
    or a tuple of arrays); ``class_name``, ``backend`` and ``config`` describe
    the model the process loaded; ``file_bytes`` is the size of the
    ``.keras`` file.
    """

    outputs: object
    class_name: str
    backend: str
    config: dict
    file_bytes: int


def _module_exists(name):
    """Whether a module called ``name`` can be imported."""
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def _check_module(name, argument):
    if not isinstance(name, str) or not name:
        raise ValueError(
            f"{argument} must name modules as strings such as "
            f"'companion.sparsity', got {name!r}."
        )
    if not _module_exists(name):
        raise ValueError(
            f"{argument}: there is no module named {name!r}; name the module "
            "that defines the model's custom classes, such as "
            "'companion.sparsity'."
        )
    return name


IMAGE_FUNCTIONS = (
    "companion.models.reconstruct",
    "companion.models.encode",
    "companion.vae.encode_distribution",
    "companion.vae.reconstruct_mean",
    "companion.vae.evaluate_elbo",
    "companion.vae.elbo_terms",
)
"""Functions whose ``inputs`` are images in [0, 1], checked before the new
process starts."""


def _find_function(function, example):
    """Import and return the function named ``function``, a full name such
    as ``example``; a ``ValueError`` naming the argument ``function``
    otherwise. Also used by ``scale.run_with_devices``."""
    if not isinstance(function, str) or "." not in function:
        raise ValueError(
            "function must be the full name of a function, as a string such "
            f"as {example!r}, got {function!r}."
        )
    module_name, _, attribute = function.rpartition(".")
    if not _module_exists(module_name):
        raise ValueError(
            f"function: there is no module named {module_name!r}; give the "
            f"function's full name, such as {example!r}."
        )
    found = getattr(importlib.import_module(module_name), attribute, None)
    if not callable(found):
        raise ValueError(
            f"function: {module_name} has no function {attribute!r}; give "
            f"one such as {example!r}."
        )
    return found


def _check_function(function, model, inputs):
    found = _find_function(function, "companion.models.reconstruct")
    try:
        signature = inspect.signature(found)
    except (TypeError, ValueError):
        return function
    try:
        signature.bind(model, inputs)
    except TypeError as error:
        raise ValueError(
            f"function: {function}{signature} cannot be called as "
            f"function(model, inputs) ({error}); give one that takes "
            "(model, inputs), such as 'companion.models.reconstruct'."
        ) from None
    return function


def _check_inputs(model, inputs, function):
    """Check ``inputs`` against ``model``'s input shape (flat inputs of as
    many values also pass, as ``models.decode`` takes them) and, for the
    functions of ``IMAGE_FUNCTIONS``, that they are images in [0, 1]."""
    if function in IMAGE_FUNCTIONS:
        from companion.models import check_model_input

        return check_model_input(model, inputs, "inputs")
    if isinstance(model.input, (list, tuple, dict)):
        return inputs  # several inputs: the function knows how to feed them
    expected = tuple(model.input.shape[1:])
    shape = tuple(inputs.shape[1:])
    fits = len(shape) == len(expected) and all(
        size is None or size == found for found, size in zip(shape, expected)
    )
    flat = None not in expected and shape == (math.prod(expected),)
    if not (fits or flat):
        raise ValueError(
            f"inputs has shape {inputs.shape}, but {model.name} expects "
            f"inputs of shape (n, {', '.join(map(str, expected))})."
        )
    return inputs


def _error_line(output):
    """The error a Python process ended with: from the line naming the
    exception after its last traceback to the end of ``output`` (at most
    1,000 characters), or None when there is no traceback."""
    lines = output.rstrip().splitlines()
    starts = [
        index
        for index, line in enumerate(lines)
        if line.startswith("Traceback (most recent call last)")
    ]
    if not starts:
        return None
    for index in range(starts[-1] + 1, len(lines)):
        if lines[index] and not lines[index][0].isspace():
            return "\n".join(lines[index:])[:1000]
    return None


def _child_environment():
    """This process's environment, with its Keras backend, and with the
    folder holding ``companion`` on the path so the child can import it."""
    import keras

    here = str(pathlib.Path(__file__).resolve().parent.parent)
    path = os.environ.get("PYTHONPATH")
    return {
        **os.environ,
        "KERAS_BACKEND": keras.backend.backend(),
        "PYTHONPATH": here if not path else os.pathsep.join([here, path]),
    }


def reload_in_fresh_process(
    model, inputs, imports, function="companion.models.reconstruct"
):
    """Save ``model`` to a ``.keras`` file, load it in a new Python process
    and return what ``function(model, inputs)`` computes there.

    The new process runs this interpreter (``sys.executable``) on the same
    Keras backend. Before loading, it imports each module named in
    ``imports``: the modules that register the model's custom classes (an
    empty list for a model made only of Keras layers). ``function`` is the
    full name of a function that takes ``(model, inputs)``; its module is
    imported too. Files go to a temporary folder that is removed afterwards.
    Returns a :class:`FreshProcessResult`; raises ``RuntimeError`` with the
    error the child ended with, then the end of its error output, when it
    fails (for example, Keras' "Could not locate class" when a module is
    missing from ``imports``). What can be checked is checked before the
    child starts: the model (a built Keras model), the modules, the
    function (one that takes ``(model, inputs)``) and ``inputs`` (the
    model's input shape; images in [0, 1] for the functions of
    ``IMAGE_FUNCTIONS``).

    Introduced in chapter 4 (written out in an exercise); used in chapters
    6, 8, 12 and 13.
    """
    check_model(model, "model", built=True)
    inputs = check_finite_array(inputs, "inputs")
    if isinstance(imports, str):
        imports = [imports]
    if not isinstance(imports, (list, tuple)):
        raise ValueError(
            "imports must be a list of module names, such as "
            f"['companion.sparsity'], got {type(imports).__name__}."
        )
    imports = [_check_module(name, "imports") for name in imports]
    function = _check_function(function, model, inputs)
    inputs = _check_inputs(model, inputs, function)
    with tempfile.TemporaryDirectory() as name:
        folder = pathlib.Path(name)
        model.save(folder / "model.keras")
        np.save(folder / "inputs.npy", inputs)
        child = subprocess.run(
            [sys.executable, "-c", _CHILD, str(folder), function, *imports],
            env=_child_environment(),
            capture_output=True,
            text=True,
        )
        if child.returncode != 0:
            error = _error_line(child.stderr)
            raise RuntimeError(
                "the fresh process could not load or run the model"
                + (
                    f": {error}"
                    if error
                    else f" (exit status {child.returncode})"
                )
                + "\n\nEnd of its error output:\n"
                + child.stderr[-2000:]
            )
        loaded = json.loads((folder / "loaded.json").read_text())
        with np.load(folder / "outputs.npz") as archive:
            arrays = tuple(
                archive[f"arr_{index}"] for index in range(len(archive.files))
            )
        return FreshProcessResult(
            outputs=arrays if loaded["several"] else arrays[0],
            class_name=loaded["class_name"],
            backend=loaded["backend"],
            config=loaded["config"],
            file_bytes=(folder / "model.keras").stat().st_size,
        )
