"""Tests of companion.compression: 8-bit images, JPEG and PNG sizes with
Pillow, uniform quantisation of codes, entropy coding, the sizes a fair
comparison counts, the training noise layer and the compressing
autoencoder; also ``baselines.pca_decode`` and
``plots.plot_rate_distortion``, new in the same chapter.

The images are drawn strokes on 28x28 (no MNIST file needed) and the
models tiny, so the file runs in seconds on a CPU.
"""

import io
import struct

import keras
import matplotlib
import numpy as np
import pytest
from PIL import Image, ImageDraw

matplotlib.use("Agg")

import matplotlib.pyplot as plt

from companion import baselines, compression, config, plots


def _strokes(count=20, seed=0):
    """MNIST-like images: a few thick white strokes on black, floats in
    [0, 1] of shape (count, 784)."""
    rng = np.random.default_rng(seed)
    images = []
    for _ in range(count):
        image = Image.new("L", (28, 28), 0)
        draw = ImageDraw.Draw(image)
        for _ in range(rng.integers(2, 4)):
            points = [
                tuple(rng.integers(4, 24, size=2).tolist()) for _ in "ab"
            ]
            draw.line(points, fill=int(rng.integers(180, 256)), width=3)
        left, top = rng.integers(4, 12, size=2).tolist()
        draw.ellipse((left, top, left + 10, top + 12), outline=255, width=2)
        images.append(np.asarray(image, dtype="float32") / 255.0)
    return np.stack(images).reshape(count, 784)


IMAGES = _strokes()


def _psnr(original, decoded):
    """Mean PSNR in dB over images, data range 1."""
    errors = np.mean(
        (
            original.reshape(len(original), -1)
            - decoded.reshape(len(decoded), -1)
        )
        ** 2,
        axis=1,
    )
    return float(np.mean(10.0 * np.log10(1.0 / np.maximum(errors, 1e-10))))


def _pillow_jpeg(pixels, quality):
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()


def _start_of_scan(encoded):
    """Walk a JPEG's markers to its start of scan: (offset, header length)."""
    offset = 2
    while True:
        assert encoded[offset] == 0xFF
        marker = encoded[offset + 1]
        (length,) = struct.unpack(">H", encoded[offset + 2 : offset + 4])
        if marker == 0xDA:
            return offset, length
        offset += 2 + length


# --- 8-bit images ---------------------------------------------------------


def test_to_bytes_images_rounds_to_the_nearest_level():
    values = np.array([0.0, 0.49 / 255, 0.51 / 255, 127.6 / 255, 1.0])
    images = np.repeat(values[:, None], 784, axis=1).astype("float32")
    pixels = compression.to_bytes_images(images)
    assert pixels.dtype == np.uint8
    assert pixels.shape == (5, 28, 28)
    assert pixels[:, 0, 0].tolist() == [0, 0, 1, 128, 255]
    assert np.all(pixels == pixels[:, :1, :1])


def test_to_bytes_images_accepts_flat_and_square_batches():
    flat = compression.to_bytes_images(IMAGES)
    square = compression.to_bytes_images(IMAGES.reshape(20, 28, 28, 1))
    assert np.array_equal(flat, square)
    np.testing.assert_allclose(
        flat.reshape(20, 784) / 255.0, IMAGES, atol=0.5 / 255 + 1e-7
    )


@pytest.mark.parametrize(
    ("images", "message"),
    [
        (IMAGES * 255.0, "images must lie in"),
        (IMAGES - 0.01, "images must lie in"),
        (IMAGES[:, :783], "28x28"),
        (IMAGES.reshape(20, 28, 28)[:, :27, :], "28x28"),
        (np.zeros((2, 28, 28, 3), "float32"), "28x28"),
        (IMAGES[0], "batch"),
        (np.zeros((0, 784), "float32"), "empty"),
        ((IMAGES * 255).astype("uint8"), "floats"),
    ],
)
def test_to_bytes_images_refuses(images, message):
    with pytest.raises(ValueError, match=message):
        compression.to_bytes_images(images)


# --- JPEG -----------------------------------------------------------------


def test_encode_jpeg_decodes_and_measures_each_image():
    decoded, file_sizes, payload_sizes = compression.encode_jpeg(IMAGES, 50)
    assert decoded.shape == (20, 28, 28)
    assert decoded.dtype == np.float32
    assert decoded.min() >= 0.0 and decoded.max() <= 1.0
    assert file_sizes.shape == payload_sizes.shape == (20,)
    assert np.all(payload_sizes > 0)
    assert np.all(payload_sizes < file_sizes)
    # The headers (tables) are the same for every image at one quality.
    assert len(np.unique(file_sizes - payload_sizes)) == 1
    pixels = compression.to_bytes_images(IMAGES)
    encoded = _pillow_jpeg(pixels[3], 50)
    assert file_sizes[3] == len(encoded)
    with Image.open(io.BytesIO(encoded)) as opened:
        np.testing.assert_array_equal(
            decoded[3] * 255.0, np.asarray(opened, dtype="float32")
        )
    assert _psnr(IMAGES, decoded) > 20.0


def test_higher_jpeg_quality_costs_more_and_looks_better():
    psnrs, payloads = [], []
    for quality in (5, 25, 50, 90):
        decoded, _, payload_sizes = compression.encode_jpeg(IMAGES, quality)
        psnrs.append(_psnr(IMAGES, decoded))
        payloads.append(payload_sizes.mean())
    assert np.all(np.diff(psnrs) > 0)
    assert np.all(np.diff(payloads) > 0)


@pytest.mark.parametrize("quality", [1, 95, np.int64(30)])
def test_encode_jpeg_accepts_the_quality_range(quality):
    decoded, _, _ = compression.encode_jpeg(IMAGES[:2], quality)
    assert decoded.shape == (2, 28, 28)


@pytest.mark.parametrize("quality", [0, 96, 100, -5, 5.0, True, "50", None])
def test_encode_jpeg_refuses_bad_qualities(quality):
    with pytest.raises(ValueError, match="quality must be an integer"):
        compression.encode_jpeg(IMAGES[:2], quality)


@pytest.mark.parametrize("quality", [1, 10, 75, 95])
def test_jpeg_payload_size_follows_the_start_of_scan(quality):
    pixels = compression.to_bytes_images(IMAGES)
    for image in pixels[:5]:
        encoded = _pillow_jpeg(image, quality)
        start, header = _start_of_scan(encoded)
        expected = len(encoded) - (start + 2 + header) - 2
        assert compression.jpeg_payload_size(encoded) == expected
        assert compression.jpeg_payload_size(bytearray(encoded)) == expected


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda e: e.decode("latin-1"), "must be the bytes of a JPEG"),
        (lambda e: memoryview(e), "must be the bytes of a JPEG"),
        (lambda e: np.frombuffer(e, np.uint8), "must be the bytes of a JPEG"),
        (lambda e: e[: len(e) // 2], "not a complete baseline JPEG"),
        (lambda e: e[:-1], "not a complete baseline JPEG"),
        (lambda e: e[2:], "not a complete baseline JPEG"),
        (lambda e: b"", "not a complete baseline JPEG"),
        (lambda e: e.replace(b"\xff\xda", b"\xff\x00"), "start of scan"),
    ],
)
def test_jpeg_payload_size_refuses(make, message):
    encoded = _pillow_jpeg(compression.to_bytes_images(IMAGES)[0], 50)
    with pytest.raises(ValueError, match=message):
        compression.jpeg_payload_size(make(encoded))


def test_jpeg_payload_size_refuses_a_header_longer_than_the_file():
    with pytest.raises(ValueError, match="encoded"):
        compression.jpeg_payload_size(b"\xff\xd8\xff\xda\xff\xd9")


# --- PNG ------------------------------------------------------------------


def test_encode_png_measures_a_lossless_file():
    sizes = compression.encode_png(IMAGES)
    assert sizes.shape == (20,)
    assert sizes.dtype == np.int64
    assert np.all(sizes > 0)
    pixels = compression.to_bytes_images(IMAGES)
    for index in (0, 7, 19):
        buffer = io.BytesIO()
        Image.fromarray(pixels[index]).save(
            buffer, format="PNG", optimize=True
        )
        assert sizes[index] == len(buffer.getvalue())
        buffer.seek(0)
        with Image.open(buffer) as opened:
            assert opened.mode == "L"
            np.testing.assert_array_equal(np.asarray(opened), pixels[index])


def test_png_of_a_blank_image_is_smaller_than_of_noise():
    blank = np.zeros((1, 784), "float32")
    noise = np.random.default_rng(0).random((1, 784)).astype("float32")
    assert compression.encode_png(blank)[0] < compression.encode_png(noise)[0]


# --- quantisation ---------------------------------------------------------

CODES = np.random.default_rng(3).normal(size=(50, 6)).astype("float32")


@pytest.mark.parametrize("bits", [1, 2, 4, 8, 9, 12, 16])
def test_quantise_round_trip_is_within_half_a_step(bits):
    low, high = compression.code_ranges(CODES)
    levels = compression.quantise(CODES, low, high, bits)
    assert levels.shape == CODES.shape
    assert levels.dtype == (np.uint8 if bits <= 8 else np.uint16)
    assert levels.min() >= 0 and levels.max() <= 2**bits - 1
    # The smallest and largest value of each unit sit on the end levels.
    assert np.all(levels.min(axis=0) == 0)
    assert np.all(levels.max(axis=0) == 2**bits - 1)
    values = compression.dequantise(levels, low, high, bits)
    assert values.dtype == np.float32
    step = (high - low) / (2**bits - 1)
    assert np.all(np.abs(values - CODES) <= step / 2 + 1e-6)


def test_quantise_clips_values_outside_the_range():
    low, high = np.zeros(2), np.ones(2)
    codes = np.array([[-3.0, 0.5], [7.0, 1.0]])
    levels = compression.quantise(codes, low, high, 2)
    assert levels.tolist() == [[0, 2], [3, 3]]
    np.testing.assert_allclose(
        compression.dequantise(levels, low, high, 2),
        [[0.0, 2 / 3], [1.0, 1.0]],
        rtol=1e-6,
    )


def test_code_ranges_widens_a_constant_unit():
    codes = np.array([[1.0, 2.0, -1.0], [1.0, 3.0, 4.0]])
    low, high = compression.code_ranges(codes)
    np.testing.assert_allclose(low, [0.5, 2.0, -1.0])
    np.testing.assert_allclose(high, [1.5, 3.0, 4.0])
    levels = compression.quantise(codes, low, high, 4)
    values = compression.dequantise(levels, low, high, 4)
    np.testing.assert_allclose(values[:, 0], 1.0, atol=0.5 / 15 + 1e-6)
    assert np.all(np.isfinite(values))


@pytest.mark.parametrize("bits", [0, 17, 2.5, True, "8", None])
def test_bits_outside_one_to_sixteen_are_refused(bits):
    low, high = compression.code_ranges(CODES)
    with pytest.raises(ValueError, match="bits must be an integer from 1"):
        compression.quantise(CODES, low, high, bits)
    levels = np.zeros(CODES.shape, "uint8")
    with pytest.raises(ValueError, match="bits must be an integer from 1"):
        compression.dequantise(levels, low, high, bits)
    with pytest.raises(ValueError, match="bits must be an integer from 1"):
        compression.check_bits(bits)


def test_check_bits_accepts_numpy_integers():
    assert compression.check_bits(np.int64(16)) == 16
    assert type(compression.check_bits(np.uint8(1))) is int


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda lo, hi: compression.code_ranges(CODES[0]), "train_codes"),
        (
            lambda lo, hi: compression.quantise(CODES, lo[:3], hi[:3], 4),
            "one value per code unit",
        ),
        (
            lambda lo, hi: compression.quantise(CODES, hi, lo, 4),
            "every high must be greater",
        ),
        (
            lambda lo, hi: compression.quantise(CODES[0], lo, hi, 4),
            "codes must have shape",
        ),
        (
            lambda lo, hi: compression.dequantise(CODES, lo, hi, 4),
            "levels must be integers",
        ),
        (
            lambda lo, hi: compression.dequantise(
                np.full(CODES.shape, 16), lo, hi, 4
            ),
            "levels must lie in 0..15",
        ),
        (
            lambda lo, hi: compression.dequantise(
                np.full(CODES.shape, -1), lo, hi, 4
            ),
            "levels must lie in 0..15",
        ),
        (
            lambda lo, hi: compression.compressed_size(CODES),
            "levels must be integers",
        ),
        (
            lambda lo, hi: compression.compress_codes(CODES, CODES[:, :3], 4),
            "codes have 3 units but train_codes 6",
        ),
    ],
)
def test_quantisers_refuse_bad_input(call, message):
    low, high = compression.code_ranges(CODES)
    with pytest.raises(ValueError, match=message):
        call(low, high)


def test_constant_levels_compress_far_better_than_random_ones():
    constant = np.full((500, 8), 7, "uint8")
    rng = np.random.default_rng(0)
    random = rng.integers(0, 256, size=(500, 8)).astype("uint8")
    assert compression.compressed_size(constant) > 0
    assert 10 * compression.compressed_size(constant) < (
        compression.compressed_size(random)
    )
    # Random bytes do not compress: the stream holds at least every byte.
    assert compression.compressed_size(random) >= random.size


def test_compress_codes_returns_what_the_decoder_receives():
    train = CODES
    test = CODES[:20] * 0.9
    values, rate = compression.compress_codes(train, test, 6)
    assert values.shape == test.shape
    assert values.dtype == np.float32
    low, high = compression.code_ranges(train)
    levels = compression.quantise(test, low, high, 6)
    np.testing.assert_allclose(
        values, compression.dequantise(levels, low, high, 6)
    )
    assert rate > 0
    assert rate == compression.compressed_size(levels) / 20
    coarse = compression.compress_codes(train, test, 2)[1]
    assert coarse < rate


# --- the cost of shipping a decoder ---------------------------------------


def test_weight_bytes_counts_four_or_two_bytes_per_weight():
    inputs = keras.Input(shape=(3,))
    model = keras.Model(inputs, keras.layers.Dense(5)(inputs))
    assert model.count_params() == 20
    assert compression.weight_bytes(model) == 80
    assert compression.weight_bytes(model, 2) == 40


@pytest.mark.parametrize(
    ("model", "width", "message"),
    [
        ("model", 4, "model must be a Keras model"),
        (keras.layers.Dense(3), 4, "model must be a Keras model"),
        (None, 4, "model must be a Keras model"),
        ("keras", 8, "model must be a Keras model"),
        (True, 1, "model must be a Keras model"),
    ],
)
def test_weight_bytes_refuses_what_is_no_model(model, width, message):
    with pytest.raises(ValueError, match=message):
        compression.weight_bytes(model, width)


@pytest.mark.parametrize("width", [1, 3, 8, "4", None])
def test_weight_bytes_refuses_other_widths(width):
    inputs = keras.Input(shape=(3,))
    model = keras.Model(inputs, keras.layers.Dense(5)(inputs))
    with pytest.raises(ValueError, match="bytes_per_weight must be 4"):
        compression.weight_bytes(model, width)


@pytest.mark.parametrize(
    ("shipped", "saving", "images"),
    [
        (1000, 10, 101),
        (1000, 3, 334),
        (999, 10.0, 100),
        (0, 5, 1),
        (10, 0.5, 21),
        (53712, 137.5, 391),
    ],
)
def test_break_even_images(shipped, saving, images):
    found = compression.break_even_images(shipped, saving)
    assert found == images
    assert isinstance(found, int)
    # The smallest count whose savings exceed the decoder's size.
    assert found * saving > shipped
    assert (found - 1) * saving <= shipped


@pytest.mark.parametrize(
    ("shipped", "saving", "message"),
    [
        (1000, 0, "saving_per_image must be above zero"),
        (1000, -2.5, "saving_per_image must be above zero"),
        (1000, float("nan"), "saving_per_image must be a finite number"),
        (1000, "10", "saving_per_image must be a finite number"),
        (-1, 10, "shipped_bytes must be a non-negative integer"),
        (10.5, 10, "shipped_bytes must be a non-negative integer"),
    ],
)
def test_break_even_images_refuses(shipped, saving, message):
    with pytest.raises(ValueError, match=message):
        compression.break_even_images(shipped, saving)


# --- reading a rate-distortion curve --------------------------------------

RATES = [100.0, 200.0, 300.0]
QUALITIES = [20.0, 25.0, 30.0]


@pytest.mark.parametrize(
    ("target", "rate"),
    [(20.0, 100.0), (22.5, 150.0), (25.0, 200.0), (29.0, 280.0), (30, 300)],
)
def test_rate_at_quality_interpolates_a_linear_curve(target, rate):
    assert compression.rate_at_quality(RATES, QUALITIES, target) == (
        pytest.approx(rate)
    )
    # The points may come in any order.
    shuffled = [2, 0, 1]
    assert compression.rate_at_quality(
        np.array(RATES)[shuffled], np.array(QUALITIES)[shuffled], target
    ) == pytest.approx(rate)


@pytest.mark.parametrize("target", [19.99, 30.01, -1.0, 1000.0])
def test_rate_at_quality_does_not_extrapolate(target):
    assert np.isnan(compression.rate_at_quality(RATES, QUALITIES, target))


@pytest.mark.parametrize(
    ("rates", "qualities", "target", "message"),
    [
        (RATES, [20.0, 30.0, 25.0], 22.0, "qualities must grow with rates"),
        (RATES, [20.0, 20.0, 30.0], 22.0, "qualities must grow with rates"),
        (RATES, QUALITIES[:2], 22.0, "same length"),
        (RATES[:1], QUALITIES[:1], 20.0, "at least 2"),
        (RATES, QUALITIES, float("nan"), "target must be a finite number"),
        (RATES, QUALITIES, "25", "target must be a finite number"),
        ([100.0, np.inf, 300.0], QUALITIES, 22.0, "rates contains NaN"),
        (np.array([RATES]), np.array([QUALITIES]), 22.0, "rates must have"),
    ],
)
def test_rate_at_quality_refuses(rates, qualities, target, message):
    with pytest.raises(ValueError, match=message):
        compression.rate_at_quality(rates, qualities, target)


def test_uniform_noise_is_the_identity_at_inference():
    layer = compression.UniformNoise(0.5, seed=1)
    values = np.random.default_rng(0).random((4, 6)).astype("float32")
    np.testing.assert_array_equal(
        keras.ops.convert_to_numpy(layer(values)), values
    )
    np.testing.assert_array_equal(
        keras.ops.convert_to_numpy(layer(values, training=False)), values
    )


def test_uniform_noise_in_training_is_bounded_and_centred():
    width = 0.2
    layer = compression.UniformNoise(width, seed=1)
    values = np.full((2000, 10), 0.5, dtype="float32")
    noise = keras.ops.convert_to_numpy(layer(values, training=True)) - values
    assert noise.shape == values.shape
    assert np.all(np.abs(noise) <= width / 2 + 1e-6)
    assert noise.max() > 0.45 * width and noise.min() < -0.45 * width
    assert abs(noise.mean()) < 0.01 * width
    # A uniform variable on [-w/2, w/2] has variance w**2 / 12.
    assert noise.var() == pytest.approx(width**2 / 12, rel=0.05)


def test_uniform_noise_is_reproducible_from_its_seed():
    values = np.zeros((3, 5), dtype="float32")

    def first_noise(seed):
        layer = compression.UniformNoise(0.3, seed=seed)
        return keras.ops.convert_to_numpy(layer(values, training=True))

    np.testing.assert_array_equal(first_noise(7), first_noise(7))
    assert not np.array_equal(first_noise(7), first_noise(8))
    layer = compression.UniformNoise(0.3, seed=7)
    one = keras.ops.convert_to_numpy(layer(values, training=True))
    two = keras.ops.convert_to_numpy(layer(values, training=True))
    # Each call draws afresh.
    assert not np.array_equal(one, two)


def test_uniform_noise_config_round_trip():
    layer = compression.UniformNoise(0.125, seed=4, name="noise")
    config_ = layer.get_config()
    assert config_["width"] == 0.125 and config_["seed"] == 4
    copy = compression.UniformNoise.from_config(config_)
    assert (copy.width, copy.seed, copy.name) == (0.125, 4, "noise")
    values = np.zeros((2, 3), dtype="float32")
    np.testing.assert_array_equal(
        keras.ops.convert_to_numpy(copy(values, training=True)),
        keras.ops.convert_to_numpy(layer(values, training=True)),
    )
    assert layer.compute_output_shape((None, 3)) == (None, 3)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"width": 0.0}, "width must be above zero"),
        ({"width": -0.1}, "width must be above zero"),
        ({"width": float("inf")}, "width must be a finite number"),
        ({"width": "0.1"}, "width must be a finite number"),
        ({"width": 0.1, "seed": -1}, "seed must be an integer"),
        ({"width": 0.1, "seed": 1.5}, "seed must be an integer"),
    ],
)
def test_uniform_noise_refuses(arguments, message):
    with pytest.raises(ValueError, match=message):
        compression.UniformNoise(**arguments)


# --- the compressing autoencoder ------------------------------------------


def _compressor(noise_bits=None):
    config.set_seed(0)
    return compression.build_compressing_autoencoder(
        code_size=4, hidden_sizes=(8,), noise_bits=noise_bits
    )


def _layer_names(model):
    return [layer.name for layer in model.layers]


def test_compressing_encoder_codes_lie_in_the_unit_interval():
    model = _compressor()
    encoder = model.get_layer("encoder")
    codes = encoder.predict(IMAGES, verbose=0)
    assert codes.shape == (20, 4)
    assert codes.min() >= 0.0 and codes.max() <= 1.0
    assert tuple(model.output.shape) == (None, 784)
    outputs = model.predict(IMAGES, verbose=0)
    assert outputs.min() >= 0.0 and outputs.max() <= 1.0
    assert "quantisation_noise" not in _layer_names(model.get_layer("decoder"))
    assert _layer_names(encoder)[-3:] == ["code_linear", "code_norm", "code"]


def test_convolutional_compressor_keeps_flat_images_and_codes():
    model = compression.build_compressing_autoencoder(
        8, (16,), noise_bits=3, kind="conv"
    )
    images = np.random.default_rng(0).random((4, 784)).astype("float32")
    codes = model.get_layer("encoder").predict(images, verbose=0)
    assert codes.shape == (4, 8)
    assert model.predict(images, verbose=0).shape == (4, 784)
    assert model.get_layer("encoder").get_layer("conv_2").output.shape[1:] == (
        7,
        7,
        64,
    )


def test_noise_bits_add_the_noise_layer_to_the_decoder_only():
    model = _compressor(noise_bits=3)
    decoder = model.get_layer("decoder")
    assert "quantisation_noise" in _layer_names(decoder)
    assert "quantisation_noise" not in _layer_names(model.get_layer("encoder"))
    noise = decoder.get_layer("quantisation_noise")
    assert noise.width == pytest.approx(1.0 / 7.0)
    codes = np.full((5, 4), 0.5, dtype="float32")
    quiet = keras.ops.convert_to_numpy(decoder(codes))
    np.testing.assert_array_equal(
        keras.ops.convert_to_numpy(decoder(codes)), quiet
    )
    noisy = keras.ops.convert_to_numpy(decoder(codes, training=True))
    assert not np.allclose(noisy, quiet)


@pytest.mark.parametrize("noise_bits", [None, 4])
def test_compressor_round_trip_through_a_keras_file(tmp_path, noise_bits):
    model = _compressor(noise_bits=noise_bits)
    model.compile(optimizer="adam", loss="binary_crossentropy")
    model.fit(IMAGES, IMAGES, epochs=1, batch_size=10, verbose=0)
    path = tmp_path / "compressor.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    np.testing.assert_array_equal(
        loaded.predict(IMAGES, verbose=0), model.predict(IMAGES, verbose=0)
    )
    np.testing.assert_array_equal(
        loaded.get_layer("encoder").predict(IMAGES, verbose=0),
        model.get_layer("encoder").predict(IMAGES, verbose=0),
    )
    has_noise = "quantisation_noise" in _layer_names(
        loaded.get_layer("decoder")
    )
    assert has_noise == (noise_bits is not None)
    if noise_bits:
        width = loaded.get_layer("decoder").get_layer("quantisation_noise")
        assert width.width == pytest.approx(1.0 / 15.0)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"noise_bits": 0}, "noise_bits must be an integer from 1 to 16"),
        ({"noise_bits": 17}, "noise_bits must be an integer from 1 to 16"),
        ({"noise_bits": 2.5}, "noise_bits must be an integer from 1 to 16"),
        ({"noise_bits": True}, "noise_bits must be an integer from 1 to 16"),
        ({"code_size": 0}, "code_size must be a positive integer"),
        ({"hidden_sizes": (8, 0)}, "hidden_sizes"),
        ({"seed": -1}, "seed must be an integer"),
    ],
)
def test_build_compressing_autoencoder_refuses(arguments, message):
    with pytest.raises(ValueError, match=message):
        compression.build_compressing_autoencoder(**arguments)


# --- baselines.pca_decode and plots.plot_rate_distortion ------------------


def test_pca_decode_inverts_pca_encode():
    pca = baselines.fit_pca(IMAGES, 5)
    codes = baselines.pca_encode(pca, IMAGES)
    decoded = baselines.pca_decode(pca, codes)
    assert decoded.shape == (20, 784)
    assert decoded.dtype == np.float32
    np.testing.assert_allclose(
        decoded, baselines.pca_reconstruct(pca, IMAGES), atol=1e-6
    )
    # Quantised codes decode too, unclipped.
    low, high = compression.code_ranges(codes)
    values, _ = compression.compress_codes(codes, codes, 3)
    assert baselines.pca_decode(pca, values).shape == (20, 784)
    assert np.all(values >= low - 1e-6) and np.all(values <= high + 1e-6)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda p, c: baselines.pca_decode(p, c[:, :3]), "5 components"),
        (lambda p, c: baselines.pca_decode(p, c[0]), "codes must have shape"),
        (
            lambda p, c: baselines.pca_decode(p, np.full_like(c, np.nan)),
            "codes contains NaN",
        ),
        (lambda p, c: baselines.pca_decode("pca", c), "pca must be a Pca"),
    ],
)
def test_pca_decode_refuses(call, message):
    pca = baselines.fit_pca(IMAGES, 5)
    codes = baselines.pca_encode(pca, IMAGES)
    with pytest.raises(ValueError, match=message):
        call(pca, codes)


def test_plot_rate_distortion_draws_each_codec_by_rate():
    figure = plots.plot_rate_distortion(
        {
            "JPEG": ([400.0, 200.0, 300.0], [30.0, 20.0, 25.0]),
            "autoencoder": (np.array([20.0, 40.0]), np.array([18.0, 21.0])),
        },
        target=22.0,
        title="rate and distortion",
    )
    try:
        (axis,) = figure.axes
        assert axis.get_xscale() == "log"
        assert axis.get_xlabel() == "bytes per image"
        assert axis.get_ylabel() == "PSNR (dB)"
        lines = axis.get_lines()
        assert len(lines) == 3
        jpeg = lines[0]
        assert jpeg.get_label() == "JPEG"
        np.testing.assert_array_equal(jpeg.get_xdata(), [200.0, 300.0, 400.0])
        np.testing.assert_array_equal(jpeg.get_ydata(), [20.0, 25.0, 30.0])
        assert list(lines[2].get_ydata()) == [22.0, 22.0]
        labels = [text.get_text() for text in axis.get_legend().get_texts()]
        assert labels == ["JPEG", "autoencoder"]
    finally:
        plt.close(figure)
    figure = plots.plot_rate_distortion(
        {"JPEG": ([1.0, 2.0], [0.5, 0.6])}, ylabel="SSIM"
    )
    try:
        assert figure.axes[0].get_ylabel() == "SSIM"
        assert len(figure.axes[0].get_lines()) == 1
    finally:
        plt.close(figure)


@pytest.mark.parametrize(
    ("curves", "options", "message"),
    [
        ({}, {}, "curves is empty"),
        ([([1.0], [2.0])], {}, "curves must be a dict"),
        ({"a": [1.0, 2.0]}, {}, "must be a pair"),
        ({"a": ([1.0, 2.0], [3.0, 4.0], [5.0, 6.0])}, {}, "must be a pair"),
        ({"a": ([1.0, 2.0], [3.0])}, {}, "same length"),
        (
            {"a": ([0.0, 2.0], [3.0, 4.0])},
            {},
            "rate in curves must be above zero",
        ),
        (
            {"a": ([-1.0, 2.0], [3.0, 4.0])},
            {},
            "rate in curves must be above zero",
        ),
        ({"a": ([1.0, np.nan], [3.0, 4.0])}, {}, "NaN"),
        ({"a": ([1.0, 2.0], [3.0, 4.0])}, {"target": "25"}, "target"),
    ],
)
def test_plot_rate_distortion_refuses(curves, options, message):
    try:
        with pytest.raises(ValueError, match=message):
            plots.plot_rate_distortion(curves, **options)
    finally:
        plt.close("all")
