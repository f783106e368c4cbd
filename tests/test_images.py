"""companion.images and data.load_fashion_mnist: readers' own images and
Fashion-MNIST (chapter 14)."""

import keras
import numpy as np
import pytest
from PIL import Image

from companion import data, images

RED = np.array([[[255, 0, 0], [0, 255, 0], [0, 0, 255]]], dtype=np.uint8)
"""A 1x3 colour image: red, green, blue."""


def save(path, pixels, **options):
    """Write ``pixels`` (uint8 or uint16) as an image file; return the
    path."""
    Image.fromarray(pixels).save(path, **options)
    return path


def grey(height, width, value):
    return np.full((height, width), value, dtype=np.uint8)


def colour(height, width, rgb):
    return np.broadcast_to(
        np.array(rgb, dtype=np.uint8), (height, width, 3)
    ).copy()


@pytest.fixture
def mixed(tmp_path):
    """A folder with colour and grey PNG and JPEG files of several sizes."""
    folder = tmp_path / "photos"
    folder.mkdir()
    save(folder / "a_colour.png", RED)
    save(folder / "b_grey.png", grey(4, 5, 200))
    save(folder / "c_photo.jpg", colour(16, 12, (30, 120, 220)), quality=95)
    save(folder / "d_grey.jpg", grey(9, 7, 90), quality=95)
    return folder


# --- load_image_folder ---------------------------------------------------


def test_rgb_list_of_float_images_at_their_own_sizes(mixed):
    loaded = images.load_image_folder(mixed)
    assert isinstance(loaded, list) and len(loaded) == 4
    assert [image.shape for image in loaded] == [
        (1, 3, 3),
        (4, 5, 3),
        (16, 12, 3),
        (9, 7, 3),
    ]
    for image in loaded:
        assert image.dtype == np.float32
        assert 0.0 <= image.min() and image.max() <= 1.0


def test_png_pixels_are_exact(mixed):
    colour_png, grey_png, _, _ = images.load_image_folder(mixed)
    np.testing.assert_array_equal(colour_png, RED.astype(np.float32) / 255)
    assert colour_png[0, 0, 0] == 1.0 and colour_png[0, 0, 1] == 0.0
    # A grey image repeats its channel in RGB.
    np.testing.assert_array_equal(grey_png, np.float32(200 / 255))


def test_jpeg_pixels_are_close(mixed):
    jpeg = images.load_image_folder(mixed)[2]
    np.testing.assert_allclose(
        jpeg,
        np.broadcast_to([30 / 255, 120 / 255, 220 / 255], jpeg.shape),
        atol=4 / 255,
    )


def test_grayscale_gives_one_channel_and_luma(mixed):
    loaded = images.load_image_folder(mixed, colour_mode="grayscale")
    assert [image.shape[-1] for image in loaded] == [1, 1, 1, 1]
    # Pillow's luma: L = 0.299 R + 0.587 G + 0.114 B.
    np.testing.assert_allclose(loaded[0][0, :, 0] * 255, [76, 150, 29], atol=1)
    np.testing.assert_array_equal(loaded[1], np.float32(200 / 255))


def test_files_are_sorted_by_name(tmp_path):
    for name, value in [("c.png", 30), ("a.png", 10), ("b.jpg", 20)]:
        save(tmp_path / name, grey(2, 2, value))
    loaded = images.load_image_folder(tmp_path, colour_mode="grayscale")
    means = [round(float(image.mean()) * 255) for image in loaded]
    assert means == [10, 20, 30]


def test_hidden_files_other_files_and_subfolders_are_skipped(tmp_path):
    save(tmp_path / "a.png", grey(2, 2, 10))
    save(tmp_path / ".hidden.png", grey(3, 3, 99))
    (tmp_path / "._a.png").write_bytes(b"macOS resource fork, not a PNG")
    (tmp_path / "notes.txt").write_text("not an image")
    (tmp_path / "sub").mkdir()
    save(tmp_path / "sub" / "b.png", grey(2, 2, 20))
    save(tmp_path / "UPPER.PNG", grey(2, 2, 30))
    loaded = images.load_image_folder(str(tmp_path), colour_mode="auto")
    assert [round(float(image.mean()) * 255) for image in loaded] == [30, 10]


def test_size_resizes_and_stacks(mixed):
    stacked = images.load_image_folder(mixed, size=(8, 10))
    assert isinstance(stacked, np.ndarray)
    assert stacked.shape == (4, 8, 10, 3) and stacked.dtype == np.float32
    assert 0.0 <= stacked.min() and stacked.max() <= 1.0
    # A flat grey stays exactly that grey.
    np.testing.assert_array_equal(stacked[1], np.float32(200 / 255))
    grey_stack = images.load_image_folder(
        mixed, size=[5, 5], colour_mode="grayscale"
    )
    assert grey_stack.shape == (4, 5, 5, 1)


def test_auto_keeps_the_images_own_mode(tmp_path):
    greys, colours = tmp_path / "greys", tmp_path / "colours"
    greys.mkdir()
    colours.mkdir()
    save(greys / "a.png", grey(3, 4, 0))
    save(greys / "b.jpg", grey(5, 4, 255))
    save(colours / "a.png", RED)
    save(colours / "b.png", colour(2, 2, (1, 2, 3)))
    assert [
        image.shape for image in images.load_image_folder(greys, None, "auto")
    ] == [(3, 4, 1), (5, 4, 1)]
    loaded = images.load_image_folder(colours, colour_mode="auto")
    assert [image.shape for image in loaded] == [(1, 3, 3), (2, 2, 3)]
    stacked = images.load_image_folder(greys, (4, 4), "auto")
    assert stacked.shape == (2, 4, 4, 1)


def test_auto_refuses_grey_and_colour_mixed(mixed):
    with pytest.raises(ValueError, match="colour_mode") as error:
        images.load_image_folder(mixed, colour_mode="auto")
    assert "b_grey.png" in str(error.value)
    assert "a_colour.png" in str(error.value)


def test_sixteen_bit_png_keeps_its_precision(tmp_path):
    pixels = np.array([[0, 65535, 256, 32768]], dtype=np.uint16)
    save(tmp_path / "deep.png", pixels)
    with Image.open(tmp_path / "deep.png") as image:
        assert image.mode in images.SIXTEEN_BIT_MODES
    (loaded,) = images.load_image_folder(tmp_path, colour_mode="auto")
    assert loaded.shape == (1, 4, 1) and loaded.dtype == np.float32
    np.testing.assert_allclose(
        loaded[0, :, 0], pixels[0] / 65535, rtol=1e-6, atol=0
    )
    assert loaded[0, 0, 0] == 0.0 and loaded[0, 1, 0] == 1.0
    (rgb,) = images.load_image_folder(tmp_path)
    assert rgb.shape == (1, 4, 3)
    np.testing.assert_array_equal(rgb[..., 2], loaded[..., 0])
    flat = np.full((6, 6), 65535, dtype=np.uint16)
    save(tmp_path / "deep.png", flat)
    resized = images.load_image_folder(tmp_path, size=(3, 3))
    assert resized.shape == (1, 3, 3, 3) and resized.dtype == np.float32
    np.testing.assert_allclose(resized, 1.0, atol=1e-6)


def test_rgba_palette_and_la_lose_their_alpha(tmp_path):
    rgba = np.zeros((2, 2, 4), dtype=np.uint8)
    rgba[..., :3] = (10, 20, 30)
    rgba[0, 0, 3] = 255  # one opaque pixel, the others transparent
    save(tmp_path / "a_rgba.png", rgba)
    palette = Image.fromarray(RED).convert("P")
    palette.save(tmp_path / "b_palette.png")
    loaded = images.load_image_folder(tmp_path, colour_mode="auto")
    assert [image.shape for image in loaded] == [(2, 2, 3), (1, 3, 3)]
    np.testing.assert_array_equal(
        loaded[0], np.broadcast_to(np.float32([10, 20, 30]) / 255, (2, 2, 3))
    )
    np.testing.assert_array_equal(loaded[1], RED.astype(np.float32) / 255)
    la = Image.fromarray(grey(2, 3, 40)).convert("LA")
    la.save(tmp_path / "c_la.png")
    with pytest.raises(ValueError, match="c_la.png"):
        images.load_image_folder(tmp_path, colour_mode="auto")
    (tmp_path / "a_rgba.png").unlink()
    (tmp_path / "b_palette.png").unlink()
    (only,) = images.load_image_folder(tmp_path, colour_mode="auto")
    np.testing.assert_array_equal(only, np.float32(40 / 255))
    assert only.shape == (2, 3, 1)


def test_exif_orientation_turns_photographs_upright(tmp_path):
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated 90 degrees: stored 3 wide, shown 3 high
    save(tmp_path / "phone.jpg", colour(2, 3, (90, 90, 90)), exif=exif)
    (loaded,) = images.load_image_folder(tmp_path)
    assert loaded.shape == (3, 2, 3)


def test_min_side(tmp_path):
    save(tmp_path / "big.png", grey(20, 30, 1))
    save(tmp_path / "small.png", grey(10, 20, 1))
    assert len(images.load_image_folder(tmp_path, min_side=10)) == 2
    with pytest.raises(ValueError, match="min_side") as error:
        images.load_image_folder(tmp_path, min_side=12)
    assert "small.png" in str(error.value) and "20x10" in str(error.value)
    # With size, min_side is checked on size.
    stacked = images.load_image_folder(tmp_path, size=(16, 16), min_side=12)
    assert stacked.shape == (2, 16, 16, 3)
    with pytest.raises(ValueError, match="min_side"):
        images.load_image_folder(tmp_path, size=(8, 16), min_side=12)


def test_files_that_are_not_images_are_named(tmp_path):
    save(tmp_path / "a.png", grey(2, 2, 1))
    (tmp_path / "b.jpg").write_text("not a photograph")
    with pytest.raises(ValueError, match="'b.jpg'"):
        images.load_image_folder(tmp_path)


def test_truncated_file_is_named(tmp_path):
    rng = np.random.default_rng(0)
    noise = rng.integers(0, 256, size=(64, 64, 3), dtype=np.uint8)
    content = save(tmp_path / "whole.png", noise).read_bytes()
    (tmp_path / "whole.png").unlink()
    (tmp_path / "cut.png").write_bytes(content[: len(content) // 2])
    with pytest.raises(ValueError, match="'cut.png'"):
        images.load_image_folder(tmp_path)


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda folder: folder / "missing", "does not exist"),
        (lambda folder: save(folder / "one.png", RED), "is a file"),
        (lambda folder: folder, r"no image files; looked for \.bmp"),
        (
            lambda folder: (folder / "notes.txt").write_text("x") and folder,
            r"notes\.txt\) are not images",
        ),
        (
            lambda folder: (folder / "sub").mkdir() or folder,
            "only subfolders",
        ),
        (lambda folder: 42, "str or pathlib.Path"),
    ],
)
def test_bad_folders(tmp_path, make, message):
    with pytest.raises(ValueError, match=message) as error:
        images.load_image_folder(make(tmp_path))
    assert "folder" in str(error.value)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"size": 64}, "size"),
        ({"size": (64,)}, "size"),
        ({"size": (64, 0)}, "size"),
        ({"size": (64.0, 64)}, "size"),
        ({"size": "64x64"}, "size"),
        ({"colour_mode": "greyscale"}, "colour_mode"),
        ({"colour_mode": "RGB"}, "colour_mode"),
        ({"min_side": 0}, "min_side"),
        ({"min_side": 2.5}, "min_side"),
    ],
)
def test_bad_arguments(mixed, kwargs, message):
    with pytest.raises(ValueError, match=message):
        images.load_image_folder(mixed, **kwargs)


# --- load_fashion_mnist --------------------------------------------------


def test_fashion_mnist_classes():
    assert len(data.FASHION_MNIST_CLASSES) == 10
    assert data.FASHION_MNIST_CLASSES[0] == "T-shirt/top"
    assert data.FASHION_MNIST_CLASSES[9] == "Ankle boot"


def test_fashion_mnist_from_a_file(fake_mnist_file, fake_mnist_arrays):
    fashion = data.load_fashion_mnist(path=fake_mnist_file)
    assert isinstance(fashion, data.Mnist)
    assert fashion.x_train.shape == (60000, 784)
    assert fashion.x_test.shape == (10000, 784)
    assert fashion.x_train.dtype == np.float32
    assert fashion.y_train.dtype == np.uint8
    np.testing.assert_array_equal(
        fashion.x_test[0],
        fake_mnist_arrays["x_test"][0].reshape(-1).astype("float32") / 255,
    )
    subset = data.load_fashion_mnist(
        "image", train_size=20, seed=3, path=fake_mnist_file, test_size=7
    )
    assert subset.x_train.shape == (20, 28, 28, 1)
    assert subset.x_test.shape == (7, 28, 28, 1)
    np.testing.assert_array_equal(
        subset.y_test, fake_mnist_arrays["y_test"][:7]
    )
    # The same draw as load_mnist's.
    same = data.load_mnist(
        "image", train_size=20, seed=3, path=fake_mnist_file, test_size=7
    )
    np.testing.assert_array_equal(subset.x_train, same.x_train)


def test_fashion_mnist_environment_variable(
    monkeypatch, tmp_path, fake_mnist_file
):
    monkeypatch.setenv(data.FASHION_MNIST_PATH_VARIABLE, str(fake_mnist_file))
    monkeypatch.setenv(data.MNIST_PATH_VARIABLE, str(tmp_path / "no.npz"))
    fashion = data.load_fashion_mnist(train_size=10, test_size=5)
    assert fashion.x_train.shape == (10, 784) and fashion.x_test.shape == (
        5,
        784,
    )
    # path= wins over the variable.
    monkeypatch.setenv(data.FASHION_MNIST_PATH_VARIABLE, str(tmp_path / "x"))
    assert data.load_fashion_mnist(path=fake_mnist_file).y_test.shape == (
        10000,
    )


def test_fashion_mnist_missing_file_names_file_and_variable(
    monkeypatch, tmp_path
):
    monkeypatch.setenv(
        data.FASHION_MNIST_PATH_VARIABLE, str(tmp_path / "nope.npz")
    )
    with pytest.raises(
        data.MnistDataError, match="AUTOENCODERS_FASHION_MNIST"
    ) as error:
        data.load_fashion_mnist()
    assert "nope.npz" in str(error.value)
    assert "Fashion-MNIST" in str(error.value)


def test_fashion_mnist_corrupt_and_wrong_files(tmp_path, fake_mnist_arrays):
    corrupt = tmp_path / "fashion.npz"
    corrupt.write_bytes(b"not a zip file")
    with pytest.raises(data.MnistDataError, match="corrupt") as error:
        data.load_fashion_mnist(path=corrupt)
    assert "fashion.npz" in str(error.value)
    wrong = tmp_path / "wrong.npz"
    np.savez(
        wrong,
        **dict(fake_mnist_arrays, y_test=np.zeros(10, dtype=np.uint8)),
    )
    with pytest.raises(data.MnistDataError, match="y_test") as error:
        data.load_fashion_mnist(path=wrong)
    assert "AUTOENCODERS_FASHION_MNIST" in str(error.value)


def test_fashion_mnist_downloads_without_a_file(monkeypatch):
    arrays = {
        "x_train": np.zeros((60000, 28, 28), dtype=np.uint8),
        "y_train": np.full(60000, 9, dtype=np.uint8),
        "x_test": np.full((10000, 28, 28), 255, dtype=np.uint8),
        "y_test": np.zeros(10000, dtype=np.uint8),
    }
    monkeypatch.delenv(data.FASHION_MNIST_PATH_VARIABLE, raising=False)
    monkeypatch.setattr(
        keras.datasets.fashion_mnist,
        "load_data",
        lambda: (
            (arrays["x_train"], arrays["y_train"]),
            (arrays["x_test"], arrays["y_test"]),
        ),
    )
    fashion = data.load_fashion_mnist(train_size=3, test_size=2)
    assert fashion.y_train.tolist() == [9, 9, 9]
    np.testing.assert_array_equal(fashion.x_test, 1.0)


def test_fashion_mnist_offline_names_the_variable(monkeypatch):
    def offline():
        raise OSError("network is unreachable")

    monkeypatch.delenv(data.FASHION_MNIST_PATH_VARIABLE, raising=False)
    monkeypatch.setattr(keras.datasets.fashion_mnist, "load_data", offline)
    with pytest.raises(
        data.MnistDataError, match="AUTOENCODERS_FASHION_MNIST"
    ) as error:
        data.load_fashion_mnist()
    message = str(error.value)
    assert "keras.datasets.fashion_mnist" in message
    assert "network is unreachable" in message
