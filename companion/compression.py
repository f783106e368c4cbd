"""Autoencoders as lossy compressors: JPEG and PNG with Pillow, uniform
quantisation of codes, entropy coding with the standard library's ``lzma``,
and the sizes a fair comparison must count.

The *rate* of a codec is the number of bytes it needs per image; its
*distortion* is how far the decoded image is from the original (PSNR and
SSIM, from ``companion.metrics``). Every size here is the real length of a
byte string: a file Pillow wrote, or the compressed stream of all the codes
of a test set, divided by the number of images.

Introduced in chapter 13, "Autoencoders as compressors".
"""

import io
import lzma

import keras
import numpy as np
from PIL import Image

from companion import models
from companion.checks import (
    check_choice,
    check_finite_array,
    check_images,
    check_non_negative_int,
    check_number,
    check_positive_int,
    check_seed,
    check_sizes,
)

KINDS = ("dense", "conv")
"""Architectures of ``build_compressing_autoencoder``."""

MAX_BITS = 16
"""Quantisers take 1 to ``MAX_BITS`` bits per code value."""

JPEG_QUALITIES = (1, 95)
"""Pillow's useful JPEG quality range; above 95 its documentation advises
against (larger files, little gain)."""

_START_OF_SCAN = b"\xff\xda"
_END_OF_IMAGE = b"\xff\xd9"
_STANDALONE_MARKERS = (0x01, 0xD8, 0xD9, *range(0xD0, 0xD8))
"""Markers without a length: TEM, start and end of image, restarts."""
_LZMA_PRESET = 9 | lzma.PRESET_EXTREME


def to_bytes_images(images, name="images"):
    """Images of floats in [0, 1] as 8-bit greyscale, ``(n, 28, 28)``
    ``uint8``: what an image file stores.

    Introduced in chapter 13.
    """
    images = check_images(images, name)
    if images.shape[1:] not in ((784,), (28, 28), (28, 28, 1)):
        raise ValueError(
            f"{name} must hold 28x28 images (784 pixels each), got shape "
            f"{images.shape}."
        )
    pixels = np.round(images.reshape(len(images), 28, 28) * 255.0)
    return pixels.astype("uint8")


def check_quality(quality):
    """Return ``quality`` after checking it is an integer from 1 to 95,
    Pillow's useful JPEG qualities.

    Introduced in chapter 13; made public in chapter 14.
    """
    if (
        isinstance(quality, bool)
        or not isinstance(quality, (int, np.integer))
        or not JPEG_QUALITIES[0] <= quality <= JPEG_QUALITIES[1]
    ):
        low, high = JPEG_QUALITIES
        raise ValueError(
            f"quality must be an integer from {low} to {high} (Pillow's JPEG "
            f"quality), got {quality!r}."
        )
    return int(quality)


def jpeg_payload_size(encoded):
    """Bytes of a JPEG file's entropy-coded data: what follows the start of
    scan header, up to the end-of-image marker.

    Everything before it (quantisation and Huffman tables, frame header) is
    the same for every 28x28 greyscale image at one quality, so a
    collection of such images could share it. The header is read segment by
    segment, each by the length it declares: a file whose lengths do not
    lead from one segment to the next, and to a well-formed start of scan,
    is refused rather than measured.

    Introduced in chapter 13.
    """
    if not isinstance(encoded, (bytes, bytearray)):
        raise ValueError(
            f"encoded must be the bytes of a JPEG file, got "
            f"{type(encoded).__name__}."
        )
    start = bytes(encoded).find(_START_OF_SCAN)
    if (
        not encoded.startswith(b"\xff\xd8")
        or start < 0
        or not encoded.endswith(_END_OF_IMAGE)
    ):
        raise ValueError(
            "encoded is not a complete baseline JPEG file (no start of "
            "image, start of scan or end of image marker)."
        )
    payload = len(encoded) - _scan_data_start(bytes(encoded)) - 2
    if payload <= 0:
        raise ValueError(
            "encoded is not a valid JPEG file: no entropy-coded data follows "
            "its start of scan header."
        )
    return payload


def _scan_data_start(encoded):
    """Where the entropy-coded data of a JPEG file starts: after the start
    of scan header, found by following each header segment's length from
    the start of image marker."""

    def refuse(problem):
        raise ValueError(
            f"encoded is not a valid JPEG file: {problem}; pass the bytes "
            "of a file that Pillow wrote."
        )

    position = 2  # after the start of image marker
    while True:
        if position + 4 > len(encoded):
            refuse("its header runs past the end of the file")
        if encoded[position] != 0xFF:
            refuse(
                f"byte {position} should start a segment (0xFF) but is "
                f"0x{encoded[position]:02X}; a segment length is wrong"
            )
        marker = encoded[position + 1]
        if marker == 0xFF:  # a fill byte before a marker
            position += 1
            continue
        if marker in _STANDALONE_MARKERS:
            refuse(f"marker 0xFF{marker:02X} comes before the start of scan")
        length = encoded[position + 2] * 256 + encoded[position + 3]
        if length < 2 or position + 2 + length > len(encoded):
            refuse(
                f"the segment 0xFF{marker:02X} at byte {position} declares "
                f"{length} bytes, which do not fit in the file"
            )
        if marker == _START_OF_SCAN[1]:
            components = encoded[position + 4] if length > 2 else 0
            if not 1 <= components <= 4 or length != 6 + 2 * components:
                refuse(
                    f"its start of scan header declares {length} bytes for "
                    f"{components} component(s); a baseline header has "
                    "6 + 2 per component"
                )
            return position + 2 + length
        position += 2 + length


def encode_jpeg(images, quality):
    """Save each image as a greyscale JPEG with Pillow at ``quality`` and
    decode it again.

    Returns ``(decoded, file_sizes, payload_sizes)``: the decoded images as
    floats in [0, 1] of shape ``(n, 28, 28)``, and per image the size of
    the whole file and of its entropy-coded payload in bytes.

    Introduced in chapter 13.
    """
    quality = check_quality(quality)
    pixels = to_bytes_images(images)
    decoded = np.empty(pixels.shape, dtype="float32")
    file_sizes = np.empty(len(pixels), dtype="int64")
    payload_sizes = np.empty(len(pixels), dtype="int64")
    for index, image in enumerate(pixels):
        buffer = io.BytesIO()
        Image.fromarray(image).save(buffer, format="JPEG", quality=quality)
        encoded = buffer.getvalue()
        file_sizes[index] = len(encoded)
        payload_sizes[index] = jpeg_payload_size(encoded)
        with Image.open(io.BytesIO(encoded)) as opened:
            decoded[index] = np.asarray(opened, dtype="float32") / 255.0
    return decoded, file_sizes, payload_sizes


def encode_png(images):
    """Sizes in bytes of each image saved as an 8-bit greyscale PNG with
    Pillow (``optimize=True``): lossless, so the decoded image is the
    8-bit original.

    Introduced in chapter 13.
    """
    pixels = to_bytes_images(images)
    sizes = np.empty(len(pixels), dtype="int64")
    for index, image in enumerate(pixels):
        buffer = io.BytesIO()
        Image.fromarray(image).save(buffer, format="PNG", optimize=True)
        sizes[index] = len(buffer.getvalue())
    return sizes


def check_bits(bits, name="bits"):
    """Return ``bits`` after checking it is an integer from 1 to 16.

    Introduced in chapter 13.
    """
    if (
        isinstance(bits, bool)
        or not isinstance(bits, (int, np.integer))
        or not 1 <= bits <= MAX_BITS
    ):
        raise ValueError(
            f"{name} must be an integer from 1 to {MAX_BITS} (bits per code "
            f"value), got {bits!r}."
        )
    return int(bits)


def code_ranges(train_codes):
    """The smallest and largest value of each code unit over the training
    codes: ``(low, high)``, the range a quantiser divides into levels.

    A unit that never changes gets a range of width 1 around its value, so
    that quantising it cannot divide by zero.

    Introduced in chapter 13.
    """
    codes = check_finite_array(train_codes, "train_codes", 2, "(n, units)")
    low = codes.min(axis=0).astype("float64")
    high = codes.max(axis=0).astype("float64")
    flat = high - low == 0
    low[flat] -= 0.5
    high[flat] += 0.5
    return low, high


def _check_ranges(codes, low, high):
    low = check_finite_array(low, "low", 1, "(units,)")
    high = check_finite_array(high, "high", 1, "(units,)")
    if not (low.shape == high.shape == codes.shape[1:]):
        raise ValueError(
            f"low and high must have one value per code unit ({codes.shape[1]}"
            f"), got shapes {low.shape} and {high.shape}; compute them with "
            "code_ranges on codes of the same encoder."
        )
    if np.any(high <= low):
        raise ValueError("every high must be greater than its low.")
    return low.astype("float64"), high.astype("float64")


def quantise(codes, low, high, bits):
    """Map each code value to one of ``2**bits`` evenly spaced levels between
    its unit's ``low`` and ``high`` (values outside are clipped): an
    unsigned integer array of the codes' shape.

    Introduced in chapter 13.
    """
    codes = check_finite_array(codes, "codes", 2, "(n, units)")
    low, high = _check_ranges(codes, low, high)
    bits = check_bits(bits)
    levels = 2**bits - 1
    scaled = (codes - low) / (high - low) * levels
    dtype = "uint8" if bits <= 8 else "uint16"
    return np.clip(np.round(scaled), 0, levels).astype(dtype)


def dequantise(levels, low, high, bits):
    """The code values the integer ``levels`` of ``quantise`` stand for, as
    float32.

    Introduced in chapter 13.
    """
    levels = check_finite_array(levels, "levels", 2, "(n, units)")
    bits = check_bits(bits)
    if not np.issubdtype(levels.dtype, np.integer):
        raise ValueError(
            f"levels must be integers from quantise, got dtype {levels.dtype}."
        )
    if levels.min() < 0 or levels.max() > 2**bits - 1:
        raise ValueError(
            f"levels must lie in 0..{2**bits - 1} for bits={bits}, found "
            f"{levels.min()}..{levels.max()}; pass the bits used to quantise."
        )
    low, high = _check_ranges(levels, low, high)
    values = low + levels / (2**bits - 1) * (high - low)
    return values.astype("float32")


def compressed_size(levels):
    """Bytes of the ``lzma`` stream (``.xz`` format, strongest preset) of
    the integer code levels of a whole test set, stored unit by unit.

    Storing all images' values of one unit next to each other lets the
    entropy coder learn each unit's distribution. The stream includes its
    own headers, so this is the size a file would have.

    Introduced in chapter 13.
    """
    levels = check_finite_array(levels, "levels", 2, "(n, units)")
    if not np.issubdtype(levels.dtype, np.integer):
        raise ValueError(
            f"levels must be integers from quantise, got dtype {levels.dtype}."
        )
    if levels.min() < 0:
        raise ValueError(
            f"levels must be zero or more, the levels quantise returns; "
            f"found {levels.min()}."
        )
    stream = np.ascontiguousarray(levels.T).tobytes()
    return len(lzma.compress(stream, preset=_LZMA_PRESET))


def compress_codes(train_codes, codes, bits):
    """Quantise ``codes`` with ranges from ``train_codes`` and entropy-code
    them.

    Returns ``(values, bytes_per_image)``: the dequantised codes, what a
    decoder would receive, and the size of the compressed stream of all
    ``codes`` divided by their number. The ranges (two float32 per unit)
    ship with the decoder, once, like its weights.

    Introduced in chapter 13.
    """
    low, high = code_ranges(train_codes)
    codes = check_finite_array(codes, "codes", 2, "(n, units)")
    if codes.shape[1] != len(low):
        raise ValueError(
            f"codes have {codes.shape[1]} units but train_codes "
            f"{len(low)}; encode both with the same encoder."
        )
    levels = quantise(codes, low, high, bits)
    values = dequantise(levels, low, high, bits)
    return values, compressed_size(levels) / len(levels)


def weight_bytes(model, bytes_per_weight=4):
    """Bytes of a model's weights stored as float32 (4 bytes each) or
    float16 (2): what shipping a decoder costs, once.

    Introduced in chapter 13.
    """
    if not isinstance(model, keras.Model):
        raise ValueError(
            f"model must be a Keras model, got {type(model).__name__}."
        )
    if isinstance(bytes_per_weight, bool) or bytes_per_weight not in (2, 4):
        raise ValueError(
            "bytes_per_weight must be 4 (float32) or 2 (float16), got "
            f"{bytes_per_weight!r}."
        )
    if not model.built:
        raise ValueError(
            f"model ({model.name!r}) is not built: it has no weights to "
            "count yet. Start a Sequential model with keras.Input(shape=...)"
            " or call the model on a batch first."
        )
    return int(model.count_params()) * int(bytes_per_weight)


def break_even_images(shipped_bytes, saving_per_image):
    """How many images must be sent before shipping a decoder of
    ``shipped_bytes`` pays for itself, when each image saves
    ``saving_per_image`` bytes: the smallest whole number of images whose
    savings exceed the decoder's size.

    Introduced in chapter 13.
    """
    check_non_negative_int(shipped_bytes, "shipped_bytes")
    saving = check_number(saving_per_image, "saving_per_image")
    if saving <= 0:
        raise ValueError(
            f"saving_per_image must be above zero, got {saving!r}: a codec "
            "that saves nothing per image never pays for its decoder."
        )
    return int(np.floor(shipped_bytes / saving)) + 1


def rate_at_quality(rates, qualities, target):
    """The rate a codec needs to reach ``target`` quality (PSNR in dB, say),
    by linear interpolation on its measured rate-quality points.

    ``rates`` (bytes per image, above zero) and ``qualities`` list the
    points of one codec (any order); quality must grow with rate. Returns
    ``nan`` when ``target`` lies outside the measured qualities, rather than
    extrapolate.

    Introduced in chapter 13.
    """
    rates = check_finite_array(rates, "rates", 1, "(points,)")
    if rates.min() <= 0:
        raise ValueError(
            f"rates must be above zero (bytes per image), found "
            f"{rates.min():g}."
        )
    qualities = check_finite_array(qualities, "qualities", 1, "(points,)")
    if rates.shape != qualities.shape or len(rates) < 2:
        raise ValueError(
            "rates and qualities must be two sequences of the same length, "
            f"at least 2, got {len(rates)} and {len(qualities)}."
        )
    target = check_number(target, "target")
    order = np.argsort(rates)
    rates, qualities = rates[order], qualities[order]
    if np.any(np.diff(qualities) <= 0):
        raise ValueError(
            "qualities must grow with rates, got "
            f"{np.round(qualities, 3).tolist()} at rates "
            f"{np.round(rates, 3).tolist()}."
        )
    if not qualities[0] <= target <= qualities[-1]:
        return float("nan")
    return float(np.interp(target, qualities, rates))


@keras.saving.register_keras_serializable(package="companion")
class UniformNoise(keras.layers.Layer):
    """Adds noise drawn uniformly from ``[-width / 2, width / 2]`` in
    training, and nothing at inference: the usual stand-in for rounding to
    a grid of step ``width``, which has no useful gradient.

    Introduced in chapter 13.
    """

    def __init__(self, width, seed=0, **kwargs):
        super().__init__(**kwargs)
        width = check_number(width, "width")
        if width <= 0:
            raise ValueError(f"width must be above zero, got {width!r}.")
        self.width = float(width)
        self.seed = check_seed(seed)
        self.seed_generator = keras.random.SeedGenerator(self.seed)

    def call(self, inputs, training=False):
        if not training:
            return inputs
        noise = keras.random.uniform(
            keras.ops.shape(inputs),
            minval=-self.width / 2,
            maxval=self.width / 2,
            seed=self.seed_generator,
        )
        return inputs + noise

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"width": self.width, "seed": self.seed})
        return config


def build_compressing_autoencoder(
    code_size=16,
    hidden_sizes=(512, 256),
    noise_bits=None,
    kind="dense",
    seed=0,
    name="compressor",
):
    """An autoencoder of flat images whose code lies in [0, 1], ready to be
    quantised.

    Encoder (``"encoder"``): with ``kind="conv"``, first two stride-2 3x3
    convolutions (32 and 64 filters, 28 -> 14 -> 7); then ReLU layers of
    ``hidden_sizes``, a linear layer
    of ``code_size`` units, batch normalisation and a sigmoid. Without the
    normalisation the sigmoid codes saturate at 1 within a few epochs and
    the model settles on the mean image (measured in chapter 13).
    Decoder (``"decoder"``): with ``noise_bits``, a ``UniformNoise`` layer
    of the step of a ``noise_bits``-bit quantiser of [0, 1], active in
    training only; then the hidden layers in reverse and 784 sigmoid
    pixels (``kind="conv"``: a ReLU layer to 7x7x64 maps, two stride-2
    transposed convolutions, 64 and 32 filters, and a sigmoid convolution).

    Introduced in chapter 13.
    """
    check_positive_int(code_size, "code_size")
    hidden_sizes = check_sizes(hidden_sizes, "hidden_sizes")
    if noise_bits is not None:
        noise_bits = check_bits(noise_bits, "noise_bits")
    check_seed(seed)
    check_choice(kind, KINDS, "kind")
    images = keras.Input(shape=(784,), name="image")
    hidden = images
    if kind == "conv":
        hidden = keras.layers.Reshape((28, 28, 1), name="to_image")(hidden)
        for index, filters in enumerate((32, 64), start=1):
            hidden = keras.layers.Conv2D(
                filters,
                3,
                strides=2,
                padding="same",
                activation="relu",
                name=f"conv_{index}",
            )(hidden)
        hidden = keras.layers.Flatten(name="flatten")(hidden)
    for index, units in enumerate(hidden_sizes, start=1):
        hidden = keras.layers.Dense(
            units, activation="relu", name=f"encoder_{index}"
        )(hidden)
    hidden = keras.layers.Dense(code_size, name="code_linear")(hidden)
    hidden = keras.layers.BatchNormalization(name="code_norm")(hidden)
    codes = keras.layers.Activation("sigmoid", name="code")(hidden)
    encoder = keras.Model(images, codes, name="encoder")

    code_input = keras.Input(shape=(code_size,), name="code")
    hidden = code_input
    if noise_bits is not None:
        hidden = UniformNoise(
            1.0 / (2**noise_bits - 1), seed=seed, name="quantisation_noise"
        )(hidden)
    for index, units in enumerate(reversed(hidden_sizes), start=1):
        hidden = keras.layers.Dense(
            units, activation="relu", name=f"decoder_{index}"
        )(hidden)
    if kind == "conv":
        hidden = keras.layers.Dense(
            7 * 7 * 64, activation="relu", name="to_maps"
        )(hidden)
        hidden = keras.layers.Reshape((7, 7, 64), name="maps")(hidden)
        for index, filters in enumerate((64, 32), start=1):
            hidden = keras.layers.Conv2DTranspose(
                filters,
                3,
                strides=2,
                padding="same",
                activation="relu",
                name=f"deconv_{index}",
            )(hidden)
        hidden = keras.layers.Conv2D(
            1, 3, padding="same", activation="sigmoid", name="pixel_maps"
        )(hidden)
        pixels = keras.layers.Flatten(name="pixels")(hidden)
    else:
        pixels = keras.layers.Dense(784, activation="sigmoid", name="pixels")(
            hidden
        )
    decoder = keras.Model(code_input, pixels, name="decoder")
    return models.join_autoencoder(encoder, decoder, name=name)
