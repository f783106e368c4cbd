"""Interactive figures for the book's website: a trained dense decoder runs
in the reader's browser.

A chapter writes its decoder's weights (as float16) and the few test digits
a widget shows into one small JavaScript file. The site's
``_static/widgets.js`` loads that file on the chapter's page and runs the
same forward pass in plain JavaScript: no framework, no server, nothing
from another host. ``decode_exported`` is that forward pass in NumPy, so a
chapter can check the exported file against its Keras decoder and the
browser tests can check the page against Python.

Introduced in chapter 7 (the interpolation slider) and chapter 8 (the
latent explorer).
"""

import base64
import hashlib
import json
import math
import os
import pathlib
import tempfile

import keras
import numpy as np

from companion import config
from companion.checks import (
    check_codes,
    check_finite_array,
    check_images,
    check_labels,
    check_model,
    check_same_length,
)

FORMAT = 1
"""Version of the file layout that ``_static/widgets.js`` reads."""

REGISTRY = "autoencoderWidgets"
"""Global object of the page that each widget file adds its data to."""

FOLDER_VARIABLE = "AUTOENCODERS_WIDGETS"
"""Environment variable naming the folder widget files are written to."""

ACTIVATIONS = ("linear", "relu", "sigmoid", "tanh")
"""Activations the page's forward pass implements."""

KINDS = ("latent-explorer", "interpolation-slider")
"""The widgets ``_static/widgets.js`` draws."""

_PASS_THROUGH = (keras.layers.InputLayer, keras.layers.Reshape)
_PREFIX = f"(window.{REGISTRY} = window.{REGISTRY} || {{}})"


def output_folder():
    """Return the folder a chapter writes its widget files to.

    In full mode, the site's ``_static/widgets`` when the chapter runs
    inside the book's repository (the folder of ``_config.yml``, found from
    the working directory upwards), so that the site serves what the chapter
    trained; elsewhere (Colab) ``widgets`` in the working directory. In fast
    mode, a folder in the system's temporary directory, so that tests never
    overwrite the committed full-mode files. ``AUTOENCODERS_WIDGETS``, when
    set, names the folder in either mode. The folder is created.

    Introduced in chapter 7.
    """
    chosen = os.environ.get(FOLDER_VARIABLE, "").strip()
    if chosen:
        folder = pathlib.Path(chosen)
        if folder.exists() and not folder.is_dir():
            raise ValueError(
                f"{FOLDER_VARIABLE}={chosen!r} is a file, not a folder: "
                "point it at a folder (it is created if missing) or unset it."
            )
    elif config.is_fast_mode():
        folder = pathlib.Path(tempfile.gettempdir()) / "autoencoders-widgets"
    else:
        folder = pathlib.Path.cwd() / "widgets"
        for parent in [pathlib.Path.cwd(), *pathlib.Path.cwd().parents]:
            if (parent / "_config.yml").is_file() and (
                parent / "_static"
            ).is_dir():
                folder = parent / "_static" / "widgets"
                break
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _check_path(path):
    """Return ``path`` as a ``Path`` to a ``.js`` file in an existing
    folder."""
    if not isinstance(path, (str, os.PathLike)):
        raise ValueError(
            f"path must be a file name such as 'explorer.js', got "
            f"{type(path).__name__}."
        )
    path = pathlib.Path(path)
    if path.suffix != ".js" or not path.stem.replace("_", "").isalnum():
        raise ValueError(
            f"path must name a .js file whose name has letters, digits and "
            f"underscores only (it becomes the page's key), got {path.name!r}."
        )
    if not path.parent.is_dir():
        raise ValueError(
            f"path {str(path)!r} is in a folder that does not exist: create "
            "it first or use widgets.output_folder()."
        )
    return path


def _dense_layers(decoder):
    """Return the decoder's Dense layers, checking that nothing else in it
    changes values."""
    check_model(decoder, "decoder", built=True)
    if len(decoder.inputs) != 1 or len(decoder.input.shape) != 2:
        raise ValueError(
            f"decoder must take one flat code, shape (batch, code_size), got "
            f"input shape {decoder.input.shape}."
        )
    dense = []
    for layer in decoder.layers:
        if isinstance(layer, keras.layers.Dense):
            activation = keras.activations.serialize(layer.activation)
            activation = (
                activation if isinstance(activation, str) else str(activation)
            )
            if activation not in ACTIVATIONS:
                raise ValueError(
                    f"decoder layer {layer.name!r} uses the activation "
                    f"{activation!r}; the page implements {ACTIVATIONS}."
                )
            dense.append(layer)
        elif not isinstance(layer, _PASS_THROUGH):
            raise ValueError(
                f"decoder must be made of Dense layers (and Reshape), but "
                f"layer {layer.name!r} is a {type(layer).__name__}: the "
                "page's forward pass handles dense decoders only."
            )
    if not dense:
        raise ValueError(f"decoder {decoder.name!r} has no Dense layer.")
    return dense


def _array(values, dtype):
    """An array as JSON: its dtype, shape and little-endian bytes in
    base64."""
    values = np.ascontiguousarray(
        values, dtype=np.dtype(dtype).newbyteorder("<")
    )
    return {
        "dtype": np.dtype(dtype).name,
        "shape": list(values.shape),
        "data": base64.b64encode(values.tobytes()).decode("ascii"),
    }


def _read_array(entry):
    dtype = np.dtype(entry["dtype"]).newbyteorder("<")
    values = np.frombuffer(base64.b64decode(entry["data"]), dtype=dtype)
    return values.reshape(entry["shape"]).astype(dtype.newbyteorder("="))


def _export_decoder(decoder):
    layers = []
    for layer in _dense_layers(decoder):
        kernel = keras.ops.convert_to_numpy(layer.kernel)
        bias = (
            keras.ops.convert_to_numpy(layer.bias)
            if layer.use_bias
            else np.zeros(kernel.shape[1], dtype=kernel.dtype)
        )
        layers.append(
            {
                "activation": keras.activations.serialize(layer.activation),
                "kernel": _array(kernel, "float16"),
                "bias": _array(bias, "float16"),
            }
        )
    return {"code_size": int(decoder.input.shape[-1]), "layers": layers}


def _to_uint8(images, name):
    images = check_images(images, name)
    return np.round(images.reshape(len(images), -1) * 255).astype("uint8")


def _check_code_size(codes, decoder, name):
    codes = check_codes(codes, name)
    size = int(decoder.input.shape[-1])
    if codes.shape[1] != size:
        raise ValueError(
            f"{name} must have {size} values per code (the decoder's input), "
            f"got {codes.shape[1]}."
        )
    return codes.astype("float32")


def _check_image_size(images, decoder, name):
    pixels = int(np.prod(decoder.output.shape[1:]))
    if images.shape[1] != pixels:
        raise ValueError(
            f"{name} must have {pixels} pixels per image (the decoder's "
            f"output), got {images.shape[1]}."
        )
    side = math.isqrt(pixels)
    if side * side != pixels:
        raise ValueError(
            f"decoder must output square grey images, got {pixels} pixels."
        )
    return side


def _write(path, kind, decoder, side, arrays, extra):
    body = {
        "format": FORMAT,
        "kind": kind,
        "image_side": side,
        "decoder": _export_decoder(decoder),
        **{name: _array(*value) for name, value in arrays.items()},
        **extra,
    }
    text = (
        f"// Written by companion.widgets ({kind}); read by "
        "_static/widgets.js.\n"
        f'{_PREFIX}["{path.stem}"] = '
        + json.dumps(body, separators=(",", ":"))
        + ";\n"
    )
    temporary = path.with_name(path.name + ".part")
    try:
        temporary.write_text(text, encoding="ascii")
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)
    return path.stat().st_size


def write_latent_explorer(path, decoder, codes, labels, images):
    """Write the latent explorer's file: a decoder of 2-d codes and the test
    digits the page scatters (their codes, labels and images).

    The page decodes the point the reader drags and shows the nearest of
    these digits. Weights are stored as float16 and images as bytes; returns
    the file's size in bytes.

    Introduced in chapter 8.
    """
    path = _check_path(path)
    _dense_layers(decoder)
    if int(decoder.input.shape[-1]) != 2:
        raise ValueError(
            f"decoder must decode 2-d codes for a plane, got code size "
            f"{decoder.input.shape[-1]}."
        )
    codes = _check_code_size(codes, decoder, "codes")
    labels = check_labels(labels, "labels", length=len(codes))
    check_same_length(codes, images, "codes", "images")
    pixels = _to_uint8(images, "images")
    side = _check_image_size(pixels, decoder, "images")
    low, high = np.percentile(codes, [0.5, 99.5], axis=0)
    margin = 0.05 * (high - low)
    extent = [float(v) for v in np.ravel([low - margin, high + margin], "F")]
    return _write(
        path,
        "latent-explorer",
        decoder,
        side,
        {
            "codes": (codes, "float32"),
            "labels": (labels, "uint8"),
            "images": (pixels, "uint8"),
        },
        {"extent": extent},
    )


def write_interpolation_slider(
    path, decoder, start_codes, end_codes, start_images, end_images, names
):
    """Write the interpolation slider's file: a decoder and a few preset
    pairs of test digits (codes and images of both ends, and a name for
    each pair).

    The page decodes the linear and the spherical path between the codes
    of the chosen pair at the slider's weight, next to the cross-fade of the
    two images. Returns the file's size in bytes.

    Introduced in chapter 7.
    """
    path = _check_path(path)
    _dense_layers(decoder)
    start_codes = _check_code_size(start_codes, decoder, "start_codes")
    end_codes = _check_code_size(end_codes, decoder, "end_codes")
    check_same_length(start_codes, end_codes, "start_codes", "end_codes")
    check_same_length(start_codes, start_images, "start_codes", "start_images")
    check_same_length(start_codes, end_images, "start_codes", "end_images")
    starts = _to_uint8(start_images, "start_images")
    ends = _to_uint8(end_images, "end_images")
    side = _check_image_size(starts, decoder, "start_images")
    _check_image_size(ends, decoder, "end_images")
    if not isinstance(names, (list, tuple)) or not all(
        isinstance(name, str) and name.strip() for name in names
    ):
        raise ValueError(
            "names must be a list of non-empty strings, one per pair, got "
            f"{names!r}."
        )
    check_same_length(start_codes, list(names), "start_codes", "names")
    return _write(
        path,
        "interpolation-slider",
        decoder,
        side,
        {
            "start_codes": (start_codes, "float32"),
            "end_codes": (end_codes, "float32"),
            "start_images": (starts, "uint8"),
            "end_images": (ends, "uint8"),
        },
        {"names": list(names)},
    )


def read_widget(path):
    """Read a widget file back: a dict with ``kind``, the decoder's layers
    (float16 weights as float32 arrays) and the widget's arrays, plus
    ``file_bytes`` and ``sha256`` (the first 12 hex digits of the file's
    hash, which the chapter prints so that the committed file can be traced
    to its run).

    Introduced in chapter 7.
    """
    if not isinstance(path, (str, os.PathLike)):
        raise ValueError(
            f"path must be a file name, got {type(path).__name__}."
        )
    path = pathlib.Path(path)
    if not path.is_file():
        raise ValueError(f"path {str(path)!r} is not a file.")
    raw = path.read_bytes()
    text = raw.decode("ascii", errors="replace")
    start, end = text.find("= {"), text.rstrip().rfind("};")
    try:
        if not text.startswith("// Written by companion.widgets") or end < 0:
            raise ValueError("no widget data")
        body = json.loads(text[start + 2 : end + 1])
        if body.get("format") != FORMAT or body.get("kind") not in KINDS:
            raise ValueError("unknown format or kind")
    except ValueError as error:
        raise ValueError(
            f"path {str(path)!r} is not a widget file written by "
            f"companion.widgets ({error}); write one with "
            "write_latent_explorer or write_interpolation_slider."
        ) from None
    widget = {
        key: _read_array(value)
        if isinstance(value, dict) and "data" in value
        else value
        for key, value in body.items()
    }
    widget["decoder"] = {
        "code_size": body["decoder"]["code_size"],
        "layers": [
            {
                "activation": layer["activation"],
                "kernel": _read_array(layer["kernel"]).astype("float32"),
                "bias": _read_array(layer["bias"]).astype("float32"),
            }
            for layer in body["decoder"]["layers"]
        ],
    }
    widget["file_bytes"] = len(raw)
    widget["sha256"] = hashlib.sha256(raw).hexdigest()[:12]
    return widget


_FUNCTIONS = {
    "linear": lambda x: x,
    "relu": lambda x: np.maximum(x, 0.0),
    "sigmoid": lambda x: 0.5 * (1.0 + np.tanh(0.5 * x)),  # no overflow
    "tanh": np.tanh,
}


def decode_exported(widget, codes):
    """Decode ``codes`` with the exported decoder of ``widget`` (from
    ``read_widget``), in NumPy: the forward pass the page runs. Returns flat
    images, shape ``(n, pixels)``.

    Introduced in chapter 7.
    """
    if not isinstance(widget, dict) or "decoder" not in widget:
        raise ValueError(
            "widget must be the dict read_widget returns, got "
            f"{type(widget).__name__}."
        )
    decoder = widget["decoder"]
    codes = check_finite_array(codes, "codes")
    codes = codes.reshape(-1, codes.shape[-1]) if codes.ndim == 1 else codes
    if codes.ndim != 2 or codes.shape[1] != decoder["code_size"]:
        raise ValueError(
            f"codes must have shape (n, {decoder['code_size']}), got "
            f"{codes.shape}."
        )
    values = codes.astype("float32")
    for layer in decoder["layers"]:
        values = _FUNCTIONS[layer["activation"]](
            values @ layer["kernel"] + layer["bias"]
        )
    return values
