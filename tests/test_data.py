import os
import zipfile

import numpy as np
import pytest

from companion import data


def test_loads_flat_floats_in_unit_range(fake_mnist_file):
    mnist = data.load_mnist(path=fake_mnist_file)
    assert mnist.x_train.shape == (60000, 784) and mnist.x_test.shape == (
        10000,
        784,
    )
    assert mnist.x_train.dtype == np.float32
    assert 0.0 <= mnist.x_train.min() and mnist.x_train.max() <= 1.0
    assert mnist.y_train.shape == (60000,) and mnist.y_test.dtype == np.uint8


def test_loads_images_with_channel_axis(fake_mnist_file):
    mnist = data.load_mnist(shape="image", path=fake_mnist_file)
    assert mnist.x_train.shape == (60000, 28, 28, 1)
    assert mnist.x_test.shape == (10000, 28, 28, 1)


def test_pixels_scale_exactly(fake_mnist_file, fake_mnist_arrays):
    mnist = data.load_mnist(path=fake_mnist_file)
    expected = (
        fake_mnist_arrays["x_test"][0].reshape(-1).astype("float32") / 255.0
    )
    np.testing.assert_array_equal(mnist.x_test[0], expected)


def test_training_subset_is_deterministic_and_keeps_labels(
    fake_mnist_file, fake_mnist_arrays
):
    first = data.load_mnist(train_size=100, seed=5, path=fake_mnist_file)
    second = data.load_mnist(train_size=100, seed=5, path=fake_mnist_file)
    other = data.load_mnist(train_size=100, seed=6, path=fake_mnist_file)
    assert first.x_train.shape == (100, 784)
    np.testing.assert_array_equal(first.x_train, second.x_train)
    assert not np.array_equal(first.x_train, other.x_train)
    assert first.x_test.shape == (10000, 784)
    # Every subset image keeps its own label.
    flat_train = fake_mnist_arrays["x_train"].reshape(60000, -1)
    pixels = np.round(first.x_train[0] * 255).astype(np.uint8)
    index = int(np.flatnonzero((flat_train == pixels).all(axis=1))[0])
    assert first.y_train[0] == fake_mnist_arrays["y_train"][index]


def test_test_subset_keeps_the_first_images_and_their_labels(
    fake_mnist_file, fake_mnist_arrays
):
    mnist = data.load_mnist(shape="image", test_size=50, path=fake_mnist_file)
    assert mnist.x_test.shape == (50, 28, 28, 1)
    np.testing.assert_array_equal(
        mnist.y_test, fake_mnist_arrays["y_test"][:50]
    )
    np.testing.assert_array_equal(
        np.round(mnist.x_test[..., 0] * 255).astype(np.uint8),
        fake_mnist_arrays["x_test"][:50],
    )
    assert mnist.x_train.shape == (60000, 28, 28, 1)


def test_environment_variable_names_the_file(monkeypatch, fake_mnist_file):
    monkeypatch.setenv(data.MNIST_PATH_VARIABLE, str(fake_mnist_file))
    assert data.load_mnist(train_size=10).x_train.shape == (10, 784)


def test_missing_file_names_the_variable(tmp_path):
    with pytest.raises(
        data.MnistDataError, match="AUTOENCODERS_MNIST"
    ) as error:
        data.load_mnist(path=tmp_path / "nope.npz")
    assert "nope.npz" in str(error.value)


def test_corrupt_file(tmp_path):
    path = tmp_path / "mnist.npz"
    path.write_bytes(b"this is not a zip file")
    with pytest.raises(data.MnistDataError, match="corrupt or truncated"):
        data.load_mnist(path=path)


def test_truncated_file(tmp_path, fake_mnist_file):
    content = fake_mnist_file.read_bytes()
    path = tmp_path / "truncated.npz"
    path.write_bytes(content[: len(content) // 2])
    with pytest.raises(data.MnistDataError, match="corrupt or truncated"):
        data.load_mnist(path=path)


def test_missing_keys(tmp_path, fake_mnist_arrays):
    path = tmp_path / "partial.npz"
    np.savez(
        path,
        x_train=fake_mnist_arrays["x_train"],
        y_train=fake_mnist_arrays["y_train"],
    )
    with pytest.raises(data.MnistDataError, match="lacks the arrays"):
        data.load_mnist(path=path)


@pytest.mark.parametrize(
    "key, replacement",
    [
        ("x_test", np.zeros((10000, 32, 32), dtype=np.uint8)),
        ("x_train", np.zeros((60000, 28, 28), dtype=np.float32)),
        ("y_test", np.full(10000, 11, dtype=np.uint8)),
    ],
)
def test_wrong_shapes_dtypes_or_labels(
    tmp_path, fake_mnist_arrays, key, replacement
):
    arrays = dict(fake_mnist_arrays, **{key: replacement})
    path = tmp_path / "wrong.npz"
    np.savez(path, **arrays)
    with pytest.raises(data.MnistDataError, match=key):
        data.load_mnist(path=path)


def test_pickled_objects_are_refused(tmp_path, fake_mnist_arrays):
    arrays = dict(
        fake_mnist_arrays, y_test=np.array([{"not": "an array"}], dtype=object)
    )
    path = tmp_path / "pickled.npz"
    np.savez(path, **arrays)
    with pytest.raises(data.MnistDataError, match="corrupt"):
        data.load_mnist(path=path)


def test_hash_check_rejects_non_canonical_data(fake_mnist_file):
    with pytest.raises(data.MnistDataError, match="SHA-256"):
        data.load_mnist(path=fake_mnist_file, verify_hashes=True)


def test_no_network_and_no_file(monkeypatch):
    import keras

    def offline():
        raise OSError("network is unreachable")

    monkeypatch.delenv(data.MNIST_PATH_VARIABLE, raising=False)
    monkeypatch.setattr(keras.datasets.mnist, "load_data", offline)
    with pytest.raises(
        data.MnistDataError, match="AUTOENCODERS_MNIST"
    ) as error:
        data.load_mnist()
    assert "network is unreachable" in str(error.value)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"shape": "square"}, "shape"),
        ({"train_size": 0}, "train_size"),
        ({"train_size": 60001}, "train_size"),
        ({"test_size": 0}, "test_size"),
        ({"test_size": 10001}, "test_size"),
        ({"seed": -1}, "seed"),
    ],
)
def test_bad_arguments(fake_mnist_file, kwargs, message):
    with pytest.raises(ValueError, match=message):
        data.load_mnist(path=fake_mnist_file, **kwargs)


def test_to_float_images_rejects_wrong_input():
    with pytest.raises(ValueError, match="uint8"):
        data.to_float_images(np.zeros((2, 28, 28), dtype=np.float32))


def test_split_validation():
    images = np.arange(100, dtype="float32").reshape(50, 2)
    labels = np.arange(50)
    x_train, y_train, x_val, y_val = data.split_validation(images, labels, 0.1)
    assert len(x_train) == 45 and len(x_val) == 5
    assert list(y_val) == [45, 46, 47, 48, 49]
    with pytest.raises(ValueError, match="strictly between"):
        data.split_validation(images, labels, 1.0)
    with pytest.raises(ValueError, match="same length"):
        data.split_validation(images, labels[:10], 0.1)


SHARED_MNIST = os.path.join(
    os.path.dirname(__file__), "..", "..", "shared", "data", "mnist.npz"
)


@pytest.mark.skipif(
    not os.path.isfile(SHARED_MNIST),
    reason="the shared offline MNIST copy is not beside this checkout",
)
def test_shared_copy_is_canonical_mnist():
    mnist = data.load_mnist(path=SHARED_MNIST, verify_hashes=True)
    assert mnist.x_train.shape == (60000, 784)
    assert np.bincount(mnist.y_test).tolist()[:2] == [980, 1135]


def test_resize_images_whole_batch():
    images = (
        np.random.default_rng(0).uniform(size=(5, 28, 28, 1)).astype("float32")
    )
    resized = data.resize_images(images, 32)
    assert resized.shape == (5, 32, 32, 1) and resized.dtype == np.float32
    assert 0.0 <= resized.min() and resized.max() <= 1.0
    # Same as resizing one image at a time.
    from skimage.transform import resize

    np.testing.assert_allclose(
        resized[3], resize(images[3], (32, 32, 1), order=1), atol=1e-6
    )
    np.testing.assert_allclose(
        data.resize_images(np.ones((2, 28, 28, 1), "float32"), 32), 1.0
    )


@pytest.mark.parametrize(
    "images, side, message",
    [
        (np.zeros((2, 28, 28, 1), "float32"), 0, "side"),
        (np.zeros((2, 28, 28, 1), "float32"), -4, "side"),
        (np.zeros((2, 784), "float32"), 32, "shape='image'"),
        (np.full((2, 28, 28, 1), 255.0, "float32"), 32, r"\[0, 1\]"),
    ],
)
def test_resize_images_rejects(images, side, message):
    with pytest.raises(ValueError, match=message):
        data.resize_images(images, side)
