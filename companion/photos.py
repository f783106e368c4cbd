"""Photographs: the sample photos that ship with scikit-image and
scikit-learn, split by photograph, patches, Gaussian noise with a known
level, a convolutional denoiser told that level, the classical denoisers
it must beat, a convolutional codec for whole photos, and measures of
how edge-like learned filters are.

Every photo is a float32 array ``(height, width, 3)`` in [0, 1] (grey
photos have their one channel repeated, or are loaded with ``colour=False``
as ``(height, width, 1)``). Noise levels ``sigma`` are in 0..255 units,
the way denoising papers quote them (sigma = 25 means a standard deviation
of 25/255).

Introduced in chapter 14, "Photographs and your own images".
"""

import io
import math

import keras
import numpy as np
import skimage
import skimage.color
import skimage.data
import skimage.metrics
import skimage.restoration
import skimage.util
import sklearn.datasets
import sklearn.feature_extraction.image
from PIL import Image

from companion import compression
from companion.checks import (
    check_bool,
    check_choice,
    check_finite_array,
    check_number,
    check_positive_int,
    check_seed,
)

TEST_PHOTOS = ("astronaut", "chelsea", "coffee", "flower")
"""The held-out colour photographs: a portrait, a cat, a still life and a
flower. No patch of them is ever used in training."""

GREY_PHOTOS = (
    "camera",
    "coins",
    "moon",
    "grass",
    "gravel",
    "brick",
    "clock",
    "cell",
    "page",
    "text",
)
"""The training photographs that have one channel."""

TRAIN_PHOTOS = (
    "rocket",
    "china",
    "motorcycle",
    "hubble_deep_field",
    "immunohistochemistry",
    "retina",
    *GREY_PHOTOS,
)
"""The training photographs: six in colour, then the ten grey ones.
``skimage.data.cat`` is left out on purpose: it is the same photograph as
``chelsea``."""

PHOTOS = TEST_PHOTOS + TRAIN_PHOTOS
"""Every photograph ``load_photo`` knows."""

NOISE_LEVEL_SCALE = 255.0
"""Noise levels are quoted in 0..255 units; images are in [0, 1]."""


def _read_photo(name):
    """The photo as shipped: uint8, (h, w) or (h, w, 3)."""
    if name in ("china", "flower"):
        images = sklearn.datasets.load_sample_images()
        files = [file.rsplit("/", 1)[-1] for file in images.filenames]
        return images.images[files.index(f"{name}.jpg")]
    if name == "motorcycle":
        return skimage.data.stereo_motorcycle()[0]
    return getattr(skimage.data, name)()


def load_photo(name, colour=True):
    """Load one of the sample photographs (``PHOTOS``) as float32 in
    [0, 1].

    ``colour=True`` gives ``(height, width, 3)`` (grey photos with their
    channel repeated); ``colour=False`` gives ``(height, width, 1)`` (colour
    photos converted with ``skimage.color.rgb2gray``). Nothing is
    downloaded: every photo ships inside scikit-image or scikit-learn.

    Introduced in chapter 14.
    """
    check_choice(name, PHOTOS, "name")
    check_bool(colour, "colour")
    image = skimage.img_as_float32(_read_photo(name))
    if image.ndim == 2:
        image = image[..., None]
    if colour and image.shape[-1] == 1:
        image = np.repeat(image, 3, axis=-1)
    elif not colour and image.shape[-1] == 3:
        image = skimage.color.rgb2gray(image)[..., None]
    return np.ascontiguousarray(image, dtype="float32")


def load_photos(names, colour=True):
    """Load several photographs: a dict from name to image, in the order
    of ``names`` (see ``load_photo``).

    Introduced in chapter 14.
    """
    if isinstance(names, str) or not hasattr(names, "__iter__"):
        raise ValueError(
            "names must be a list of photo names such as "
            f"photos.TEST_PHOTOS, got {names!r}."
        )
    names = list(names)
    if not names:
        raise ValueError("names is empty: pass at least one photo name.")
    for name in names:
        check_choice(name, PHOTOS, "names")
    return {name: load_photo(name, colour) for name in names}


def check_photo(image, name="image"):
    """Return one photo as a float32 array ``(height, width, channels)``
    with 1 or 3 channels and values in [0, 1].

    Introduced in chapter 14.
    """
    image = check_finite_array(image, name, 3, "(height, width, channels)")
    if image.shape[-1] not in (1, 3):
        raise ValueError(
            f"{name} must have 1 or 3 channels (last axis), got shape "
            f"{image.shape}."
        )
    if image.min() < 0 or image.max() > 1:
        raise ValueError(
            f"{name} must lie in [0, 1], found values in "
            f"[{image.min():.3g}, {image.max():.3g}]; scale 0..255 pixels "
            "by 1/255."
        )
    return image.astype("float32", copy=False)


def _check_photo_dict(photos, name="photos"):
    if isinstance(photos, (list, tuple)):
        photos = dict(enumerate(photos))
    if not isinstance(photos, dict) or not photos:
        raise ValueError(
            f"{name} must be a non-empty dict from name to photo (as "
            "load_photos returns) or a list of photos (as "
            "images.load_image_folder returns), got "
            f"{type(photos).__name__}."
        )
    checked = {}
    for key, image in photos.items():
        image = check_finite_array(
            image, f"{name}[{key!r}]", 3, "(height, width, channels)"
        )
        if image.shape[-1] not in (1, 3):
            raise ValueError(
                f"{name}[{key!r}] must have 1 or 3 channels (last axis), "
                f"got shape {image.shape}."
            )
        checked[key] = image
    channels = {image.shape[-1] for image in checked.values()}
    if len(channels) != 1:
        raise ValueError(
            f"{name} mixes grey and colour photos; load them all with the "
            "same colour= argument."
        )
    return checked


def sample_patches(photos, size, per_photo, seed=0):
    """Cut ``per_photo`` random ``size`` x ``size`` patches from each photo
    (``sklearn.feature_extraction.image.extract_patches_2d``).

    ``photos`` is a dict as ``load_photos`` returns, or a list of photos
    as ``images.load_image_folder`` returns (values need not lie in [0, 1]:
    whitened photos are cut too). Returns float32
    ``(len(photos) * per_photo, size, size, channels)``, photo after photo.

    Introduced in chapter 14.
    """
    photos = _check_photo_dict(photos)
    check_positive_int(size, "size")
    check_positive_int(per_photo, "per_photo")
    seed = check_seed(seed)
    smallest = min(min(image.shape[:2]) for image in photos.values())
    if size > smallest:
        raise ValueError(
            f"size must be at most the smallest photo's side, {smallest}, "
            f"got {size}."
        )
    patches = [
        sklearn.feature_extraction.image.extract_patches_2d(
            image, (size, size), max_patches=per_photo, random_state=seed + i
        )
        for i, image in enumerate(photos.values())
    ]
    patches = np.concatenate(patches).astype("float32")
    if patches.ndim == 3:
        patches = patches[..., None]
    return patches


def whiten_photo(image):
    """Flatten the spectrum of a grey photo the way Olshausen and Field
    prepared theirs: multiply its Fourier transform by
    ``f * exp(-(f / f0) ** 4)`` (``f`` the spatial frequency in cycles per
    image, ``f0`` 0.4 times the Nyquist frequency), which undoes the
    ``1/f`` fall-off of natural images and damps the highest, noisiest
    frequencies; then scale to unit standard deviation. Returns float32
    ``(height, width, 1)``, no longer in [0, 1].

    Introduced in chapter 14.
    """
    image = check_photo(image)
    if image.shape[-1] != 1:
        raise ValueError(
            "image must be grey (height, width, 1): load it with "
            f"colour=False, got shape {image.shape}."
        )
    height, width = image.shape[:2]
    rows = np.fft.fftfreq(height)[:, None] * height
    columns = np.fft.fftfreq(width)[None, :] * width
    frequency = np.hypot(rows * width / height, columns)
    cutoff = 0.4 * width / 2
    spectrum = np.fft.fft2(image[..., 0] - image.mean())
    spectrum *= frequency * np.exp(-((frequency / cutoff) ** 4))
    whitened = np.real(np.fft.ifft2(spectrum))
    whitened /= whitened.std() or 1.0
    return whitened[..., None].astype("float32")


def normalise_patches(patches):
    """Prepare grey patches for a sigmoid autoencoder the way the UFLDL
    sparse-autoencoder exercise does: remove each patch's mean, clip at
    three standard deviations of all the values, and map [-3 std, 3 std]
    to [0.1, 0.9]. Returns float32 ``(n, size * size)``.

    Introduced in chapter 14.
    """
    patches = check_finite_array(patches, "patches")
    if patches.ndim != 4 or patches.shape[-1] != 1:
        raise ValueError(
            "patches must be grey patches (n, size, size, 1), as "
            "sample_patches returns for photos loaded with colour=False, "
            f"got shape {patches.shape}."
        )
    flat = patches.reshape(len(patches), -1).astype("float64")
    flat = flat - flat.mean(axis=1, keepdims=True)
    limit = 3 * flat.std()
    if limit == 0:
        raise ValueError(
            "patches are all flat (every patch one grey level): cut them "
            "from photos with some detail."
        )
    flat = np.clip(flat, -limit, limit) / limit
    return ((flat + 1) * 0.4 + 0.1).astype("float32")


def check_sigma(sigma, name="sigma"):
    """Return a noise level in 0..255 units (0 to 255) as a float.

    Introduced in chapter 14.
    """
    sigma = check_number(sigma, name)
    if not 0 <= sigma <= NOISE_LEVEL_SCALE:
        raise ValueError(
            f"{name} must be a noise level from 0 to 255 (in 0..255 units, "
            f"e.g. 25), got {sigma!r}."
        )
    return float(sigma)


def add_gaussian_noise(image, sigma, seed=0):
    """Add white Gaussian noise of standard deviation ``sigma``/255
    (``skimage.util.random_noise``), not clipped, as denoising benchmarks
    do.

    Introduced in chapter 14.
    """
    image = check_photo(image)
    sigma = check_sigma(sigma)
    seed = check_seed(seed)
    noisy = skimage.util.random_noise(
        image,
        mode="gaussian",
        var=(sigma / NOISE_LEVEL_SCALE) ** 2,
        clip=False,
        rng=seed,
    )
    return noisy.astype("float32")


def noise_level_map(noisy, sigma):
    """The denoiser's second input: one channel holding ``sigma``/255 at
    every pixel of ``noisy`` (a photo or a batch of them).

    Introduced in chapter 14.
    """
    noisy = check_finite_array(noisy, "noisy")
    if noisy.ndim not in (3, 4):
        raise ValueError(
            "noisy must be a photo (height, width, channels) or a batch of "
            f"them, got shape {noisy.shape}."
        )
    sigma = check_sigma(sigma)
    shape = noisy.shape[:-1] + (1,)
    return np.full(shape, sigma / NOISE_LEVEL_SCALE, dtype="float32")


class NoisyPatches(keras.utils.PyDataset):
    """Batches of ``((noisy, level_map), clean)`` from clean patches, with
    fresh noise and a fresh random flip or rotation every epoch.

    Each patch gets its own noise level drawn uniformly from
    ``sigma_range`` (0..255 units), so one model learns every level and is
    told which one it faces. Deterministic for a given ``seed``: batch
    ``index`` of epoch ``epoch`` always gets the same noise.

    Introduced in chapter 14.
    """

    def __init__(
        self, patches, batch_size=32, sigma_range=(0, 55), seed=0, **kwargs
    ):
        super().__init__(**kwargs)
        patches = check_finite_array(
            patches, "patches", 4, "(n, size, size, channels)"
        )
        if patches.min() < 0 or patches.max() > 1:
            raise ValueError(
                "patches must lie in [0, 1], as sample_patches returns."
            )
        self.patches = patches.astype("float32")
        self.batch_size = check_positive_int(batch_size, "batch_size")
        if not isinstance(sigma_range, (tuple, list)) or len(sigma_range) != 2:
            raise ValueError(
                "sigma_range must be a pair (low, high) of noise levels in "
                f"0..255 units, got {sigma_range!r}."
            )
        low = check_sigma(sigma_range[0], "sigma_range")
        high = check_sigma(sigma_range[1], "sigma_range")
        if low > high:
            raise ValueError(
                f"sigma_range must be (low, high) with low <= high, got "
                f"{sigma_range!r}."
            )
        self.sigma_range = (low, high)
        self.seed = check_seed(seed)
        self.epoch = 0
        self.order = self._order()

    def _order(self):
        rng = np.random.default_rng([self.seed, self.epoch])
        return rng.permutation(len(self.patches))

    def __len__(self):
        return math.ceil(len(self.patches) / self.batch_size)

    def __getitem__(self, index):
        rng = np.random.default_rng([self.seed, self.epoch, index, 1])
        chosen = self.order[
            index * self.batch_size : (index + 1) * self.batch_size
        ]
        clean = self.patches[chosen]
        turns = rng.integers(0, 4)
        clean = np.rot90(clean, turns, axes=(1, 2))
        if rng.integers(0, 2):
            clean = clean[:, :, ::-1]
        clean = np.ascontiguousarray(clean)
        sigmas = rng.uniform(*self.sigma_range, size=(len(clean), 1, 1, 1))
        sigmas = (sigmas / NOISE_LEVEL_SCALE).astype("float32")
        noise = rng.standard_normal(clean.shape).astype("float32")
        noisy = clean + sigmas * noise
        level_map = np.broadcast_to(sigmas, clean.shape[:-1] + (1,))
        return (noisy, np.ascontiguousarray(level_map)), clean

    def on_epoch_end(self):
        self.epoch += 1
        self.order = self._order()


def build_photo_denoiser(
    channels=3,
    width=32,
    depth=8,
    dilations=None,
    seed=0,
    name="photo_denoiser",
):
    """A residual convolutional denoiser told the noise level: DnCNN
    (Zhang et al. 2017) made smaller, with FFDNet's noise-level map as an
    extra input (Zhang, Zuo and Zhang 2018).

    Inputs: the noisy photo ``(h, w, channels)`` and its noise-level map
    ``(h, w, 1)`` (``noise_level_map``), concatenated; then ``depth - 1``
    ReLU 3x3 convolutions of ``width`` filters and a linear 3x3
    convolution that estimates the noise, which is subtracted from the
    noisy photo (residual learning, as in DnCNN). No batch normalisation.
    The last layer starts at zero, so the untrained model returns the
    noisy photo unchanged rather than adding noise of its own. Fully
    convolutional: it takes photos of any size.

    ``dilations`` (one per hidden layer, ``depth - 1`` of them), as in
    IRCNN (Zhang et al. 2017), widens what each output pixel sees at the
    same cost: ``(1, 2, 3, 4, 3, 2, 1)`` sees 33x33 pixels instead of
    15x15 for eight plain layers.

    Introduced in chapter 14.
    """
    check_positive_int(channels, "channels")
    check_positive_int(width, "width")
    check_positive_int(depth, "depth")
    if depth < 2:
        raise ValueError(f"depth must be at least 2, got {depth}.")
    if dilations is None:
        dilations = (1,) * (depth - 1)
    if not isinstance(dilations, (tuple, list)) or len(dilations) != depth - 1:
        raise ValueError(
            f"dilations must list one dilation per hidden layer, {depth - 1}"
            f" for depth {depth}, got {dilations!r}."
        )
    dilations = [check_positive_int(d, "dilations") for d in dilations]
    seed = check_seed(seed)
    noisy = keras.Input(shape=(None, None, channels), name="noisy")
    level = keras.Input(shape=(None, None, 1), name="noise_level")
    hidden = keras.layers.Concatenate(name="with_level")([noisy, level])
    for index, dilation in enumerate(dilations, start=1):
        hidden = keras.layers.Conv2D(
            width,
            3,
            padding="same",
            dilation_rate=dilation,
            activation="relu",
            kernel_initializer=keras.initializers.GlorotUniform(seed + index),
            name=f"conv_{index}",
        )(hidden)
    noise = keras.layers.Conv2D(
        channels,
        3,
        padding="same",
        kernel_initializer="zeros",
        name="noise_estimate",
    )(hidden)
    clean = keras.layers.Subtract(name="denoised")([noisy, noise])
    return keras.Model([noisy, level], clean, name=name)


def _check_denoiser(model):
    if not isinstance(model, keras.Model) or len(model.inputs) != 2:
        raise ValueError(
            "model must be a denoiser from build_photo_denoiser (two "
            f"inputs: noisy photo and noise level), got {model!r}."
        )
    return model


def denoise(model, noisy, sigma, ensemble=False):
    """Denoise one whole photo with ``build_photo_denoiser``'s model at
    noise level ``sigma`` (0..255 units), in one call; the result is
    clipped to [0, 1].

    ``ensemble=True`` denoises the photo turned by 0, 90, 180 and 270
    degrees, each also mirrored, turns the eight results back and averages
    them (the geometric self-ensemble of Timofte, Rothe and Van Gool 2016):
    eight times the work, for a result that no longer depends on which way
    up the photo is.

    Introduced in chapter 14.
    """
    model = _check_denoiser(model)
    noisy = check_finite_array(noisy, "noisy", 3, "(height, width, channels)")
    channels = model.inputs[0].shape[-1]
    if noisy.shape[-1] != channels:
        raise ValueError(
            f"noisy has {noisy.shape[-1]} channels, the model takes "
            f"{channels}."
        )
    sigma = check_sigma(sigma)
    check_bool(ensemble, "ensemble")
    noisy = noisy.astype("float32")
    views = [(turns, mirror) for turns in range(4) for mirror in (0, 1)]
    results = []
    for turns, mirror in views if ensemble else [(0, 0)]:
        view = np.rot90(noisy, turns)
        view = np.ascontiguousarray(view[:, ::-1] if mirror else view)
        level = noise_level_map(view, sigma)
        output = model.predict_on_batch([view[None], level[None]])
        output = keras.ops.convert_to_numpy(output)[0]
        output = output[:, ::-1] if mirror else output
        results.append(np.rot90(output, -turns))
    return np.clip(np.mean(results, axis=0), 0, 1).astype("float32")


CLASSICAL_DENOISERS = ("non-local means", "wavelet", "total variation")
"""The scikit-image denoisers ``denoise_classically`` runs."""


def denoise_classically(noisy, sigma, method):
    """Denoise one photo with a scikit-image denoiser, told the noise
    level ``sigma`` (0..255 units), with the settings its documentation's
    examples use.

    - ``"non-local means"``: ``denoise_nl_means`` with 5x5 patches, search
      distance 6, ``fast_mode=True``, ``h = 0.8 sigma`` and ``sigma`` given
      (scikit-image's "Non-local means denoising" example).
    - ``"wavelet"``: ``denoise_wavelet`` with BayesShrink, soft
      thresholds, in YCbCr for colour, ``rescale_sigma=True`` and ``sigma``
      given (its "Wavelet denoising" example).
    - ``"total variation"``: ``denoise_tv_chambolle``, whose only knob is
      a weight; its example uses 0.1 at sigma = 0.155 (in [0, 1] units),
      so the weight here scales with the noise: ``0.1 * sigma / 0.155``.

    Returns the photo clipped to [0, 1].

    Introduced in chapter 14.
    """
    noisy = check_finite_array(noisy, "noisy", 3, "(height, width, channels)")
    sigma = check_sigma(sigma) / NOISE_LEVEL_SCALE
    check_choice(method, CLASSICAL_DENOISERS, "method")
    colour = noisy.shape[-1] == 3
    image = noisy if colour else noisy[..., 0]
    axis = -1 if colour else None
    if method == "non-local means":
        result = skimage.restoration.denoise_nl_means(
            image,
            patch_size=5,
            patch_distance=6,
            h=0.8 * sigma,
            sigma=sigma,
            fast_mode=True,
            channel_axis=axis,
        )
    elif method == "wavelet":
        result = skimage.restoration.denoise_wavelet(
            image,
            sigma=sigma,
            method="BayesShrink",
            mode="soft",
            rescale_sigma=True,
            convert2ycbcr=colour,
            channel_axis=axis,
        )
    else:
        result = skimage.restoration.denoise_tv_chambolle(
            image, weight=0.1 * sigma / 0.155, channel_axis=axis
        )
    if not colour:
        result = result[..., None]
    return np.clip(result, 0, 1).astype("float32")


def photo_quality(clean, restored):
    """PSNR (dB) and SSIM of one restored photo against the clean one
    (``skimage.metrics``, data range 1, SSIM over colour channels).

    Returns ``(psnr, ssim)``; a perfect restoration gets 100 dB, as in
    ``metrics.peak_signal_noise_ratio``.

    Introduced in chapter 14.
    """
    clean = check_photo(clean, "clean")
    restored = check_finite_array(
        restored, "restored", 3, "(height, width, channels)"
    )
    if restored.shape != clean.shape:
        raise ValueError(
            f"restored has shape {restored.shape}, clean {clean.shape}; "
            "compare a photo with its own restoration."
        )
    if np.array_equal(clean, restored):
        return 100.0, 1.0
    psnr = skimage.metrics.peak_signal_noise_ratio(
        clean, restored, data_range=1.0
    )
    ssim = skimage.metrics.structural_similarity(
        clean, restored, data_range=1.0, channel_axis=-1
    )
    return float(psnr), float(ssim)


CODEC_STRIDE = 8
"""The photo codec's encoder halves the resolution three times."""


def build_photo_codec(
    channels=3, code_channels=8, width=64, noise_bits=None, seed=0
):
    """A fully convolutional autoencoder for photos of any size (sides a
    multiple of 8; ``compress_photo`` pads), whose code lies in [0, 1],
    ready to be quantised as in chapter 13.

    Encoder (``"encoder"``): three 5x5 convolutions of stride 2 (``width``,
    ``width`` and ``code_channels`` filters; ReLU for the first two), batch
    normalisation and a sigmoid: one code vector of ``code_channels``
    values per 8x8 block of pixels. Decoder (``"decoder"``): with
    ``noise_bits``, chapter 13's ``UniformNoise`` (the stand-in for
    rounding, in training only); then three 5x5 transposed convolutions of
    stride 2 back to ``channels`` sigmoid pixels.

    Introduced in chapter 14.
    """
    check_positive_int(channels, "channels")
    check_positive_int(code_channels, "code_channels")
    check_positive_int(width, "width")
    if noise_bits is not None:
        noise_bits = compression.check_bits(noise_bits, "noise_bits")
    seed = check_seed(seed)
    images = keras.Input(shape=(None, None, channels), name="photo")
    hidden = images
    for index, filters in enumerate((width, width, code_channels), 1):
        hidden = keras.layers.Conv2D(
            filters,
            5,
            strides=2,
            padding="same",
            activation="relu" if index < 3 else None,
            kernel_initializer=keras.initializers.GlorotUniform(seed + index),
            name=f"conv_{index}",
        )(hidden)
    hidden = keras.layers.BatchNormalization(name="code_norm")(hidden)
    codes = keras.layers.Activation("sigmoid", name="code")(hidden)
    encoder = keras.Model(images, codes, name="encoder")

    code_input = keras.Input(shape=(None, None, code_channels), name="code")
    hidden = code_input
    if noise_bits is not None:
        hidden = compression.UniformNoise(
            1.0 / (2**noise_bits - 1), seed=seed, name="quantisation_noise"
        )(hidden)
    for index, filters in enumerate((width, width, channels), 1):
        hidden = keras.layers.Conv2DTranspose(
            filters,
            5,
            strides=2,
            padding="same",
            activation="relu" if index < 3 else "sigmoid",
            kernel_initializer=keras.initializers.GlorotUniform(
                seed + 10 + index
            ),
            name=f"deconv_{index}",
        )(hidden)
    decoder = keras.Model(code_input, hidden, name="decoder")
    outputs = decoder(encoder(images))
    return keras.Model(images, outputs, name="photo_codec")


def _check_codec(codec):
    if not isinstance(codec, keras.Model) or not all(
        isinstance(_find_layer(codec, part), keras.Model)
        for part in ("encoder", "decoder")
    ):
        raise ValueError(
            "codec must be a model from build_photo_codec, with sub-models "
            f"'encoder' and 'decoder', got {codec!r}."
        )
    return codec.get_layer("encoder"), codec.get_layer("decoder")


def _find_layer(model, name):
    try:
        return model.get_layer(name)
    except ValueError:
        return None


def _pad_to(image, multiple):
    height, width = image.shape[:2]
    return np.pad(
        image,
        ((0, -height % multiple), (0, -width % multiple), (0, 0)),
        mode="reflect",
    )


def encode_photo(codec, image):
    """The codec's code of one photo, ``(h/8, w/8, code_channels)``, after
    padding the photo by reflection to sides that are multiples of 8.

    Introduced in chapter 14.
    """
    encoder, _ = _check_codec(codec)
    image = check_photo(image)
    padded = _pad_to(image, CODEC_STRIDE)
    codes = encoder.predict_on_batch(padded[None])
    return keras.ops.convert_to_numpy(codes)[0]


def compress_photo(codec, image, low, high, bits):
    """Encode, quantise (``bits`` per value, ranges ``low``, ``high`` from
    ``compression.code_ranges`` of training codes), entropy-code and
    decode one photo, as chapter 13 does for digits.

    The code vectors of the photo's 8x8 blocks are the rows that
    ``compression.compressed_size`` stores channel by channel. Returns
    ``(restored, size)``: the decoded photo cropped to the original size
    and clipped to [0, 1], and the bytes of the ``lzma`` stream.

    Introduced in chapter 14.
    """
    _, decoder = _check_codec(codec)
    image = check_photo(image)
    codes = encode_photo(codec, image)
    rows = codes.reshape(-1, codes.shape[-1])
    levels = compression.quantise(rows, low, high, bits)
    values = compression.dequantise(levels, low, high, bits)
    size = compression.compressed_size(levels)
    restored = decoder.predict_on_batch(values.reshape(codes.shape)[None])
    restored = keras.ops.convert_to_numpy(restored)[0]
    height, width = image.shape[:2]
    return np.clip(restored[:height, :width], 0, 1), size


def jpeg_photo(image, quality):
    """Save one photo as a JPEG with Pillow at ``quality`` (colour or
    grey) and decode it.

    Returns ``(decoded, file_size, payload_size)``: the decoded photo as
    floats in [0, 1], the bytes of the whole file, and of its entropy-coded
    payload (``compression.jpeg_payload_size``).

    Introduced in chapter 14.
    """
    image = check_photo(image)
    quality = compression.check_quality(quality)
    pixels = np.round(image * 255).astype("uint8")
    if pixels.shape[-1] == 1:
        pixels = pixels[..., 0]
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="JPEG", quality=quality)
    encoded = buffer.getvalue()
    with Image.open(io.BytesIO(encoded)) as opened:
        decoded = np.asarray(opened, dtype="float32") / 255.0
    decoded = decoded.reshape(image.shape)
    return decoded, len(encoded), compression.jpeg_payload_size(encoded)


def check_filters(filters):
    """Return square filters, ``(units, side, side)`` or ``(units, side *
    side)`` (a decoder's kernel), as float64 ``(units, side, side)``, at
    least 3x3.

    Introduced in chapter 14.
    """
    filters = check_finite_array(filters, "filters")
    if filters.ndim == 2:
        side = math.isqrt(filters.shape[1])
        if side * side != filters.shape[1]:
            raise ValueError(
                "filters must be square images: shape (units, side, side) "
                f"or (units, side * side), got {filters.shape}."
            )
        filters = filters.reshape(len(filters), side, side)
    if filters.ndim != 3 or filters.shape[1] != filters.shape[2]:
        raise ValueError(
            "filters must be square images: shape (units, side, side) or "
            f"(units, side * side), got {filters.shape}."
        )
    if filters.shape[1] < 3:
        raise ValueError(
            f"filters must be at least 3x3, got shape {filters.shape}."
        )
    return filters.astype("float64")


def orientation_coherence(filters):
    """How oriented each filter is, from 0 (no preferred direction) to 1
    (stripes or an edge all along one direction).

    The coherence of the structure tensor: with ``l1 >= l2`` the
    eigenvalues of the sum over pixels of the outer product of the image
    gradient (``numpy.gradient``) with itself, ``(l1 - l2) / (l1 + l2)``.
    ``filters`` is ``(units, side, side)`` or ``(units, side * side)``,
    e.g. a decoder's kernel. A flat filter gets 0.

    Introduced in chapter 14.
    """
    filters = check_filters(filters)
    rows, columns = np.gradient(filters, axis=(1, 2))
    xx = (columns**2).sum(axis=(1, 2))
    yy = (rows**2).sum(axis=(1, 2))
    xy = (rows * columns).sum(axis=(1, 2))
    spread = np.sqrt((xx - yy) ** 2 + 4 * xy**2)
    total = xx + yy
    return np.divide(spread, total, out=np.zeros_like(total), where=total > 0)


def energy_support(filters, share=0.8):
    """How spread out each filter is: the fraction of its pixels that
    hold ``share`` of its energy (sum of squared weights), biggest first.

    A filter concentrated on a few pixels (localised) scores near 0; one
    whose energy is spread evenly over the patch scores near ``share``.
    A flat zero filter gets 1.

    Introduced in chapter 14.
    """
    filters = check_filters(filters)
    share = check_number(share, "share")
    if not 0 < share <= 1:
        raise ValueError(f"share must be in (0, 1], got {share!r}.")
    energy = np.sort(filters.reshape(len(filters), -1) ** 2, axis=1)[:, ::-1]
    total = energy.sum(axis=1, keepdims=True)
    cumulative = np.divide(
        np.cumsum(energy, axis=1),
        total,
        out=np.ones_like(energy),
        where=total > 0,
    )
    needed = (cumulative < share - 1e-12).sum(axis=1) + 1
    return np.where(total[:, 0] > 0, needed / energy.shape[1], 1.0)
