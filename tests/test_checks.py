import numpy as np
import pytest

from companion import checks


def test_check_images_accepts_unit_floats(small_images):
    assert checks.check_images(small_images) is not None


@pytest.mark.parametrize(
    "images, message",
    [
        (np.zeros((2, 784), dtype=np.uint8), "dtype uint8"),
        (np.full((2, 784), 255.0, dtype="float32"), r"\[0, 1\]"),
        (np.full((2, 784), -0.1, dtype="float32"), r"\[0, 1\]"),
        (np.array([[np.nan, 0.5]], dtype="float32"), "NaN"),
        (np.zeros(784, dtype="float32"), "at least 2 dimensions"),
        (np.zeros((0, 784), dtype="float32"), "empty"),
    ],
)
def test_check_images_rejects(images, message):
    with pytest.raises(ValueError, match=message):
        checks.check_images(images)


def test_check_images_range_can_be_relaxed():
    overshoot = np.array([[1.02, -0.01]], dtype="float32")
    assert checks.check_images(overshoot, require_unit_range=False).shape == (
        1,
        2,
    )


def test_check_indices():
    assert list(checks.check_indices([0, 3], 4)) == [0, 3]
    with pytest.raises(ValueError, match=r"\[0, 4\)"):
        checks.check_indices([4], 4)
    with pytest.raises(ValueError, match="integers"):
        checks.check_indices([0.5], 4)
    with pytest.raises(ValueError, match="non-empty"):
        checks.check_indices([], 4)


def test_int_checks():
    assert checks.check_positive_int(np.int64(3), "n") == 3
    with pytest.raises(ValueError, match="n must be a positive integer"):
        checks.check_positive_int(0, "n")
    assert checks.check_non_negative_int(0, "seed") == 0
    with pytest.raises(ValueError, match="seed"):
        checks.check_non_negative_int(1.0, "seed")


def test_check_same_shape():
    with pytest.raises(ValueError, match="same shape"):
        checks.check_same_shape(np.zeros((2, 3)), np.zeros((3, 2)), "a", "b")
