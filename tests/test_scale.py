"""companion.scale: images as files, a PyDataset over them, resumable
training and emulated devices (chapter 15)."""

import importlib.util

import keras
import numpy as np
import pytest

from companion import models, scale


@pytest.fixture
def images():
    """40 random 28x28 grey images on the 8-bit grid (exact in a PNG)."""
    rng = np.random.default_rng(0)
    pixels = rng.integers(0, 256, size=(40, 28, 28, 1))
    return (pixels / 255).astype("float32")


@pytest.fixture
def folder(tmp_path, images):
    scale.write_image_folder(images, tmp_path / "images")
    return tmp_path / "images"


def test_written_files_read_back_exactly(tmp_path, images):
    paths = scale.write_image_folder(images, tmp_path / "out")
    assert [path.name for path in paths[:2]] == [
        "image_000000.png",
        "image_000001.png",
    ]
    assert len(paths) == len(images)
    np.testing.assert_array_equal(scale.read_images(paths), images)
    # (n, 28, 28) images are written the same way.
    again = scale.write_image_folder(images[..., 0], tmp_path / "flat")
    np.testing.assert_array_equal(scale.read_images(again), images)


def test_a_folder_with_images_is_not_mixed_into(folder, images):
    with pytest.raises(ValueError, match="already holds PNG files"):
        scale.write_image_folder(images, folder)


def test_nothing_is_written_for_bad_images(tmp_path):
    target = tmp_path / "never"
    with pytest.raises(ValueError, match="images"):
        scale.write_image_folder(np.full((3, 28, 28), 255.0), target)
    assert not target.exists()


def test_read_images_refuses_mixed_sizes(tmp_path, images):
    paths = scale.write_image_folder(images[:2], tmp_path / "a")
    other = scale.write_image_folder(
        np.zeros((1, 14, 14)), tmp_path / "b", prefix="small"
    )
    with pytest.raises(ValueError, match="one size"):
        scale.read_images(paths + other)


def test_dataset_batches_every_file_once_per_epoch(folder, images):
    dataset = scale.ImageFolderDataset(folder, batch_size=16)
    assert len(dataset) == 3
    batches = [dataset[index][0] for index in range(len(dataset))]
    assert [len(batch) for batch in batches] == [16, 16, 8]
    np.testing.assert_array_equal(np.concatenate(batches), images)
    inputs, targets = dataset[0]
    np.testing.assert_array_equal(inputs, targets)


def test_shuffled_order_depends_on_seed_and_epoch_only(folder):
    first = scale.ImageFolderDataset(folder, 8, shuffle=True, seed=3)
    second = scale.ImageFolderDataset(folder, 8, shuffle=True, seed=3)
    other_seed = scale.ImageFolderDataset(folder, 8, shuffle=True, seed=4)
    order_0 = first.order.copy()
    assert sorted(order_0) == list(range(40))
    np.testing.assert_array_equal(second.order, order_0)
    assert not np.array_equal(other_seed.order, order_0)
    first.set_epoch(5)
    assert not np.array_equal(first.order, order_0)
    second.set_epoch(5)  # straight to epoch 5, as a resumed run does
    np.testing.assert_array_equal(second.order, first.order)


def test_epoch_order_callback_sets_the_epoch(folder):
    dataset = scale.ImageFolderDataset(folder, 8, shuffle=True)
    scale.EpochOrder(dataset).on_epoch_begin(7)
    assert dataset.epoch == 7


def test_shift_images_moves_pixels_and_keeps_shape():
    image = np.zeros((1, 9, 9, 1), dtype="float32")
    image[0, 4, 4, 0] = 1.0
    rng = np.random.default_rng(0)
    moved = scale.shift_images(np.repeat(image, 50, axis=0), 2, rng)
    assert moved.shape == (50, 9, 9, 1)
    assert np.all(moved.sum(axis=(1, 2, 3)) == 1.0)
    rows, columns = np.nonzero(moved[..., 0])[1:]
    assert rows.min() == 2 and rows.max() == 6
    assert columns.min() == 2 and columns.max() == 6
    np.testing.assert_array_equal(scale.shift_images(image, 0, rng), image)


def test_dataset_shifts_differ_between_epochs(folder):
    dataset = scale.ImageFolderDataset(folder, 8, max_shift=2)
    first = dataset[0][0]
    dataset.set_epoch(1)
    assert not np.array_equal(dataset[0][0], first)
    dataset.set_epoch(0)
    np.testing.assert_array_equal(dataset[0][0], first)


def _train(folder, callbacks=()):
    keras.utils.set_random_seed(0)
    model = models.build_pooling_conv_autoencoder(filters=(4, 4, 4))
    model.compile(optimizer="adam", loss="binary_crossentropy")
    dataset = scale.ImageFolderDataset(folder, 8, shuffle=True, seed=1)
    model.fit(
        dataset,
        epochs=3,
        shuffle=False,
        verbose=0,
        callbacks=[scale.EpochOrder(dataset), *callbacks],
    )
    return model


class _CrashAfterFirstEpoch(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        raise RuntimeError("simulated crash")


def test_a_resumed_training_equals_an_uninterrupted_one(folder, tmp_path):
    uninterrupted = _train(folder)
    backup = str(tmp_path / "backup")
    with pytest.raises(RuntimeError, match="simulated crash"):
        _train(
            folder,
            [
                keras.callbacks.BackupAndRestore(backup),
                _CrashAfterFirstEpoch(),
            ],
        )
    resumed = _train(folder, [keras.callbacks.BackupAndRestore(backup)])
    for first, second in zip(
        uninterrupted.get_weights(), resumed.get_weights()
    ):
        np.testing.assert_array_equal(first, second)


needs_jax = pytest.mark.skipif(
    importlib.util.find_spec("jax") is None,
    reason="jax is not installed (run_with_devices runs JAX children)",
)


@needs_jax
def test_two_emulated_devices_train_and_agree_with_one():
    options = {"train_size": 512, "epochs": 2, "batch_size": 64}
    one, two = (
        scale.run_with_devices(
            "companion.scale.train_data_parallel", count, options
        )
        for count in (1, 2)
    )
    assert one["backend"] == two["backend"] == "jax"
    assert len(one["devices"]) == 1 and len(two["devices"]) == 2
    assert two["loss"][-1] < two["loss"][0], "two devices did not train"
    np.testing.assert_allclose(two["loss"], one["loss"], rtol=1e-3)


@needs_jax
def test_a_failing_child_reports_its_own_error():
    with pytest.raises(RuntimeError, match="multiple of the 2 devices"):
        scale.run_with_devices(
            "companion.scale.train_data_parallel",
            2,
            {"train_size": 64, "epochs": 1, "batch_size": 3},
        )
