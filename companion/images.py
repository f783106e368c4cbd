"""Loading a folder of your own images: photographs, scans, drawings.

``load_image_folder`` reads every image file of one folder with Pillow and
returns float32 pixels in [0, 1], the form the book's models take: a list of
``(height, width, channels)`` arrays, each at its own size, or one stacked
``(n, height, width, channels)`` batch when ``size=`` resizes them all.
Everything that can be checked without decoding the pixels (the folder, the
files, their sizes and colour modes) is checked before the first image is
decoded, so that a bad file late in a large folder is reported at once.

Introduced in chapter 14, "Photographs and your own images".
"""

import os
import pathlib
import struct

import numpy as np
from PIL import Image, ImageOps

from companion.checks import check_choice, check_positive_int

IMAGE_EXTENSIONS = (
    ".bmp",
    ".gif",
    ".jpeg",
    ".jpg",
    ".png",
    ".tif",
    ".tiff",
    ".webp",
)
"""File name endings ``load_image_folder`` reads (in any letter case)."""

COLOUR_MODES = ("rgb", "grayscale", "auto")
"""Values of ``load_image_folder``'s ``colour_mode``."""

GREY_MODES = frozenset(
    {"1", "L", "LA", "La", "I", "I;16", "I;16L", "I;16B", "I;16N", "F"}
)
"""Pillow modes of grey images; every other mode is read as colour."""

SIXTEEN_BIT_MODES = frozenset({"I", "I;16", "I;16L", "I;16B", "I;16N"})
"""Pillow modes of 16-bit grey images (``"I"``: older Pillow's 16-bit PNG),
scaled by 1/65535."""

RESAMPLING = Image.Resampling.LANCZOS
"""Filter of ``load_image_folder``'s resizing."""

_READ_ERRORS = (
    OSError,
    ValueError,
    SyntaxError,
    EOFError,
    struct.error,
    Image.DecompressionBombError,
)
"""What Pillow raises for a file it cannot read as an image."""


def load_image_folder(folder, size=None, colour_mode="rgb", min_side=None):
    """Read the images of ``folder`` as float32 pixels in [0, 1].

    Parameters
    ----------
    folder:
        A folder (str or ``pathlib.Path``). Every file in it whose name ends
        in one of ``IMAGE_EXTENSIONS`` (``.png``, ``.jpg``, ``.jpeg``,
        ``.bmp``, ``.gif``, ``.tif``, ``.tiff``, ``.webp``, in any letter
        case) is read, in the order of the file names (as ``sorted`` orders
        them). Subfolders are not read; hidden files (whose name starts with
        ``.``) and files with other endings are skipped.
    size:
        ``None`` keeps each image's own size and returns a list; a pair
        ``(height, width)`` resizes every image to it (Pillow's Lanczos
        filter, which does not keep the aspect ratio: crop first to keep
        it) and returns one array ``(n, height, width, channels)``.
    colour_mode:
        ``"rgb"`` for 3 channels (grey images repeat their one channel),
        ``"grayscale"`` for 1 channel (colour images are converted with
        Pillow's luma, ``L = 0.299 R + 0.587 G + 0.114 B``), or ``"auto"``
        for the images' own mode, which must then be the same for all: all
        grey gives 1 channel, all colour 3.
    min_side:
        ``None``, or the smallest side an image may have (such as the patch
        size a model needs): a smaller image is refused. It is checked on
        each image as stored, before any resizing; when ``size`` is given,
        on ``size`` instead.

    Returns a list of float32 arrays ``(height, width, channels)``, or one
    array ``(n, height, width, channels)`` when ``size`` is given.

    Images with transparency (RGBA, LA, palette) lose their alpha channel:
    RGBA and palette images are read as RGB, LA as grey (a transparent
    pixel keeps the colour it stores, often black). Photographs are turned
    upright as their EXIF orientation says. 16-bit grey images are scaled by
    1/65535, keeping their precision; 16-bit colour images are read at 8
    bits, as Pillow reads them. Of an animation (GIF, multi-page TIFF) the
    first frame is read.

    Raises ``ValueError`` naming the argument or the file for a folder that
    does not exist or holds no image files, a file Pillow cannot read, an
    image smaller than ``min_side``, grey and colour images mixed under
    ``colour_mode="auto"``, and bad arguments.

    Introduced in chapter 14, "Photographs and your own images".
    """
    size = _check_size(size)
    check_choice(colour_mode, COLOUR_MODES, "colour_mode")
    if min_side is not None:
        check_positive_int(min_side, "min_side")
        if size is not None and min(size) < min_side:
            raise ValueError(
                f"size={size} has a side below min_side={min_side}: resize "
                "to at least min_side pixels, or lower min_side."
            )
    paths = _image_files(_check_folder(folder))
    headers = [_header(path) for path in paths]
    if min_side is not None and size is None:
        for path, (_, (width, height)) in zip(paths, headers):
            if min(width, height) < min_side:
                raise ValueError(
                    f"{path.name!r} in folder is {width}x{height} pixels "
                    f"(width x height), smaller than min_side={min_side}: "
                    "remove it, or pass size=(height, width) to resize "
                    "every image."
                )
    channels = _channels(colour_mode, paths, headers)
    images = [_read(path, channels, size) for path in paths]
    return np.stack(images) if size is not None else images


def _check_size(size):
    """Return ``size`` as a pair of ints, or ``None``."""
    if size is None:
        return None
    is_pair = (
        isinstance(size, (tuple, list))
        or (isinstance(size, np.ndarray) and size.ndim == 1)
    ) and len(size) == 2
    if not is_pair:
        raise ValueError(
            "size must be None or a pair (height, width) of positive "
            f"integers, such as (64, 64), got {size!r}."
        )
    for side in size:
        check_positive_int(side, "every entry of size")
    return (int(size[0]), int(size[1]))


def _check_folder(folder):
    """Return ``folder`` as a ``pathlib.Path`` of an existing folder."""
    if not isinstance(folder, (str, os.PathLike)):
        raise ValueError(
            "folder must be a folder path (a str or pathlib.Path), got "
            f"{type(folder).__name__}."
        )
    path = pathlib.Path(folder)
    if not path.exists():
        where = "" if path.is_absolute() else f" in {os.getcwd()!r}"
        raise ValueError(
            f"folder {str(path)!r} does not exist{where}: check its "
            "spelling, or upload the images first."
        )
    if not path.is_dir():
        raise ValueError(
            f"folder {str(path)!r} is a file, not a folder: pass the folder "
            "that holds the images."
        )
    return path


def _image_files(folder):
    """The image files of ``folder``, sorted by name; at least one."""
    entries = sorted(
        (
            entry
            for entry in folder.iterdir()
            if not entry.name.startswith(".")
        ),
        key=lambda entry: entry.name,
    )
    files = [entry for entry in entries if entry.is_file()]
    images = [
        entry for entry in files if entry.suffix.lower() in IMAGE_EXTENSIONS
    ]
    if images:
        return images
    looked_for = ", ".join(IMAGE_EXTENSIONS)
    if files:
        found = ", ".join(entry.name for entry in files[:5])
        more = f" and {len(files) - 5} more" if len(files) > 5 else ""
        raise ValueError(
            f"folder {str(folder)!r} holds no image files: the files found "
            f"({found}{more}) are not images (looked for {looked_for}); "
            "convert other formats, such as .heic, to PNG or JPEG first."
        )
    subfolders = [entry.name for entry in entries if entry.is_dir()]
    inside = (
        f" (it has only subfolders, which are not read: "
        f"{', '.join(subfolders[:5])})"
        if subfolders
        else ""
    )
    raise ValueError(
        f"folder {str(folder)!r} holds no image files{inside}; looked for "
        f"{looked_for}."
    )


def _unreadable(path, error):
    """The error for a file of the folder that Pillow cannot read."""
    return ValueError(
        f"{path.name!r} in folder is not an image Pillow can read "
        f"({type(error).__name__}: {error}): remove it or save it again as "
        "PNG or JPEG."
    )


def _header(path):
    """``(mode, (width, height))`` of the image file ``path``, read from its
    header only."""
    try:
        with Image.open(path) as image:
            return image.mode, image.size
    except _READ_ERRORS as error:
        raise _unreadable(path, error) from None


def _channels(colour_mode, paths, headers):
    """1 or 3: the channels ``colour_mode`` gives these images."""
    if colour_mode == "rgb":
        return 3
    if colour_mode == "grayscale":
        return 1
    grey, colour = [], []
    for path, (mode, _) in zip(paths, headers):
        (grey if mode in GREY_MODES else colour).append(path)
    if grey and colour:
        raise ValueError(
            f"colour_mode='auto' needs images of one kind, but folder mixes "
            f"grey images (such as {grey[0].name!r}) and colour images (such "
            f"as {colour[0].name!r}): pass colour_mode='rgb' or "
            "'grayscale'."
        )
    return 1 if grey else 3


def _read(path, channels, size):
    """Decode ``path`` into float32 ``(height, width, channels)`` in
    [0, 1], resized to ``size`` unless it is ``None``."""
    try:
        with Image.open(path) as opened:
            image = ImageOps.exif_transpose(opened)
            image.load()
    except _READ_ERRORS as error:
        raise _unreadable(path, error) from None
    if image.mode in SIXTEEN_BIT_MODES or image.mode == "F":
        return _resized_floats(_wide_grey(path, image), channels, size)
    if image.mode in GREY_MODES:
        image = image.convert("L")
    else:
        image = image.convert("RGB")
        if channels == 1:
            image = image.convert("L")
    if size is not None:
        image = image.resize((size[1], size[0]), RESAMPLING)
    pixels = np.asarray(image, dtype=np.float32) / 255.0
    if pixels.ndim == 2:
        pixels = np.repeat(pixels[..., np.newaxis], channels, axis=-1)
    return pixels


def _wide_grey(path, image):
    """Pixels of a 16-bit or floating-point grey image, scaled to [0, 1]."""
    values = np.asarray(image, dtype=np.float32)
    if image.mode == "F":
        low, high = 0.0, 1.0
    else:
        low, high = 0.0, 65535.0
    if not np.all(np.isfinite(values)) or (
        values.min() < low or values.max() > high
    ):
        raise ValueError(
            f"{path.name!r} in folder holds {image.mode!r} pixels from "
            f"{values.min():g} to {values.max():g}, outside [{low:g}, "
            f"{high:g}]: save it as an 8- or 16-bit PNG first."
        )
    return values / high


def _resized_floats(pixels, channels, size):
    """Resize grey floats ``(height, width)`` and give them ``channels``."""
    if size is not None:
        image = Image.fromarray(pixels.astype(np.float32))
        resized = image.resize((size[1], size[0]), RESAMPLING)
        pixels = np.clip(np.asarray(resized, dtype=np.float32), 0.0, 1.0)
    return np.repeat(pixels[..., np.newaxis], channels, axis=-1)
