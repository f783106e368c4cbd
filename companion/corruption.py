"""Corrupting images for denoising autoencoders, and non-learned denoising
filters to compare with.

``add_noise`` corrupts a batch of images in [0, 1] in one of the ways listed
in ``NOISE_KINDS``; ``amount`` sets how strongly:

* ``"gaussian"``: ``x + amount * N(0, 1)`` per pixel, clipped to [0, 1]
  (``amount`` is the noise's standard deviation; 0.5 in the Keras blog);
* ``"salt_pepper"``: a fraction ``amount`` of the pixels, drawn at random, is
  set to 0 or 1 (half each; ``skimage.util.random_noise`` mode ``"s&p"``);
* ``"speckle"``: ``x + x * N(0, amount**2)``, clipped (multiplicative noise:
  black pixels stay black; ``random_noise`` mode ``"speckle"``);
* ``"mask_pixels"``: each pixel is set to 0 with probability ``amount``;
* ``"mask_blocks"``: one square block per image, of side
  ``amount * image side`` (rounded), at a random position, is set to 0.

The same ``seed`` always gives the same corruption, so a chapter shows the
same noisy digits in every run; use a different seed for each epoch or set
to draw fresh noise.

``filter_images`` is the baseline a denoiser must beat: a median or Gaussian
filter from scikit-image, which knows nothing about digits.

Introduced in chapter 5, "Denoising autoencoders".
"""

import math

import numpy as np
from skimage.filters import gaussian as _skimage_gaussian
from skimage.filters import median as _skimage_median
from skimage.util import random_noise

from companion.checks import (
    check_images,
    check_non_negative_number,
    check_positive_int,
    check_positive_number,
    check_seed,
)

NOISE_KINDS = (
    "gaussian",
    "salt_pepper",
    "speckle",
    "mask_pixels",
    "mask_blocks",
)
"""The kinds of corruption ``add_noise`` knows."""

FRACTION_KINDS = ("salt_pepper", "mask_pixels", "mask_blocks")
"""Kinds whose ``amount`` is a fraction (of pixels, or of the image side), so
at most 1.
"""

FILTER_METHODS = ("median", "gaussian")
"""The filters ``filter_images`` knows."""


def _as_image_stack(images, purpose):
    """View a batch as ``(n, height, width, channels)``: flat vectors must hold
    a square number of pixels.
    """
    if images.ndim == 2:
        side = math.isqrt(images.shape[1])
        if side * side != images.shape[1]:
            raise ValueError(
                f"{purpose} needs square images: flat vectors of side**2 "
                "pixels (784 for MNIST) or a batch of shape (n, height, "
                f"width[, channels]); got shape {images.shape}."
            )
        return images.reshape(len(images), side, side, 1)
    if images.ndim == 3:
        return images[..., np.newaxis]
    if images.ndim == 4:
        return images
    raise ValueError(
        f"{purpose} needs a batch of shape (n, pixels), (n, height, width) or "
        f"(n, height, width, channels), got shape {images.shape}."
    )


def _check_kind(kind):
    if kind not in NOISE_KINDS:
        raise ValueError(
            f"unknown noise kind {kind!r}; use one of "
            f"{', '.join(NOISE_KINDS)}."
        )


def _check_amount(amount, kind):
    amount = check_non_negative_number(amount, "amount")
    if kind in FRACTION_KINDS and amount > 1.0:
        raise ValueError(
            f"amount for {kind!r} is a fraction and must lie in [0, 1], got "
            f"{amount!r}."
        )
    return amount


def _block_masks(images, amount, rng):
    """Return a boolean mask, True inside one random square block per image,
    with the shape of ``images``.
    """
    stack = _as_image_stack(images, "mask_blocks")
    count, height, width = stack.shape[:3]
    block = int(math.floor(amount * min(height, width) + 0.5))
    tops = rng.integers(0, height - block + 1, size=count)
    lefts = rng.integers(0, width - block + 1, size=count)
    rows = np.arange(height)
    columns = np.arange(width)
    in_rows = (rows >= tops[:, None]) & (rows < tops[:, None] + block)
    in_columns = (columns >= lefts[:, None]) & (
        columns < lefts[:, None] + block
    )
    masks = in_rows[:, :, None] & in_columns[:, None, :]
    return np.broadcast_to(masks[..., None], stack.shape).reshape(images.shape)


def add_noise(images, kind="gaussian", amount=0.5, seed=0):
    """Return a corrupted copy of ``images`` (float32, same shape, values in
    [0, 1]).

    ``images`` are a batch in [0, 1], flat ``(n, 784)`` or ``(n, 28, 28, 1)``;
    ``kind`` is one of ``NOISE_KINDS`` (see the module's docstring for what
    ``amount`` means for each). ``amount`` must be zero or more, and at most 1
    for the fraction kinds (``salt_pepper``, ``mask_pixels``, ``mask_blocks``);
    ``amount=0`` returns the images unchanged. Every pixel's noise is drawn
    independently (one block per image for ``mask_blocks``), in one vectorised
    call for the whole batch, from a generator seeded with ``seed``.

    ``"gaussian"`` is written with NumPy, exactly the Keras blog's
    ``x + amount * normal(0, 1)`` then clip, because ``random_noise``'s
    Gaussian mode takes a *variance* (``var=amount**2``), an easy place to
    get the scale wrong; ``"speckle"`` goes through ``random_noise`` with
    ``var=amount**2``, so ``amount`` is a standard deviation there too.

    Introduced in chapter 5, "Denoising autoencoders".
    """
    images = check_images(images)
    _check_kind(kind)
    amount = _check_amount(amount, kind)
    seed = check_seed(seed)
    clean = images.astype("float64")
    if kind == "gaussian":
        noisy = clean + amount * np.random.default_rng(seed).standard_normal(
            clean.shape
        )
    elif kind == "salt_pepper":
        noisy = random_noise(clean, mode="s&p", amount=amount, rng=seed)
    elif kind == "speckle":
        noisy = random_noise(clean, mode="speckle", var=amount**2, rng=seed)
    elif kind == "mask_pixels":
        noisy = np.where(
            np.random.default_rng(seed).random(clean.shape) < amount,
            0.0,
            clean,
        )
    else:
        noisy = np.where(
            _block_masks(clean, amount, np.random.default_rng(seed)),
            0.0,
            clean,
        )
    return np.clip(noisy, 0.0, 1.0).astype("float32")


def filter_images(images, method="median", size=3, sigma=1.0):
    """Denoise ``images`` with a scikit-image filter applied to each image on
    its own; float32, same shape.

    ``method="median"`` replaces each pixel by the median of the
    ``size x size`` window around it (``skimage.filters.median``; ``size``
    odd, 1 leaves the images unchanged): good against salt-and-pepper noise.
    ``method="gaussian"`` blurs with a Gaussian of standard deviation
    ``sigma`` pixels (``skimage.filters.gaussian``): good against Gaussian
    noise, at the price of blurred strokes. ``size`` is used only by the
    median filter and ``sigma`` only by the Gaussian one; both are checked.
    Borders repeat the nearest pixel. The filters never mix pixels of
    different images or channels.

    Introduced in chapter 5, "Denoising autoencoders".
    """
    images = check_images(images)
    if method not in FILTER_METHODS:
        raise ValueError(
            f"unknown filter method {method!r}; use one of "
            f"{', '.join(FILTER_METHODS)}."
        )
    check_positive_int(size, "size")
    if size % 2 == 0:
        raise ValueError(
            f"size must be odd (a window centred on each pixel), got {size}."
        )
    sigma = check_positive_number(sigma, "sigma")
    stack = _as_image_stack(images, "filter_images").astype("float64")
    if method == "median":
        footprint = np.ones((1, size, size, 1), dtype=bool)
        filtered = _skimage_median(stack, footprint=footprint, mode="nearest")
    else:
        filtered = _skimage_gaussian(
            stack,
            sigma=(0.0, sigma, sigma, 0.0),
            mode="nearest",
            preserve_range=True,
        )
    return np.clip(filtered, 0.0, 1.0).reshape(images.shape).astype("float32")
