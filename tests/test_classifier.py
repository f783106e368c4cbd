import keras
import numpy as np
import pytest

from companion import classifier, latent, models, training


def _stub(kernel_column=None, probabilities=None):
    """A Functional model with the classifier's input and output shapes and
    known outputs.

    With ``probabilities``, every image gets exactly those digit probabilities.
    With ``kernel_column=(digit, scale)``, the logit of ``digit`` is ``scale``
    times the mean pixel and the other logits are 0.
    """
    images = keras.Input(shape=(28, 28, 1), name="image")
    flat = keras.layers.Flatten()(images)
    outputs = keras.layers.Dense(
        10, activation="softmax", name="probabilities"
    )(flat)
    model = keras.Model(images, outputs, name="stub")
    kernel = np.zeros((784, 10), dtype="float32")
    bias = np.zeros(10, dtype="float32")
    if probabilities is not None:
        bias = np.log(np.asarray(probabilities, dtype="float32"))
    if kernel_column is not None:
        digit, scale = kernel_column
        kernel[:, digit] = scale / 784
    model.get_layer("probabilities").set_weights([kernel, bias])
    return model


FIXED = np.array(
    [0.02, 0.03, 0.05, 0.1, 0.4, 0.15, 0.05, 0.1, 0.06, 0.04]
)  # argmax 4


def test_build_digit_classifier_shapes_and_parameters():
    model = classifier.build_digit_classifier()
    assert model.input.shape[1:] == (28, 28, 1)
    assert model.output.shape[1:] == (10,)
    # conv 32*9+32, conv 64*32*9+64, dense 5*5*64*10+10
    assert models.count_parameters(model) == 320 + 18496 + 16010
    assert model.get_layer("dropout").rate == 0.5
    assert (
        model.get_layer("probabilities").get_config()["activation"]
        == "softmax"
    )
    assert model.compiled and model.optimizer is not None


def test_build_digit_classifier_checks():
    for dropout in (-0.1, 1.0):
        with pytest.raises(ValueError, match="dropout"):
            classifier.build_digit_classifier(dropout=dropout)


def test_one_epoch_of_training_returns_a_model_and_a_run(small_images):
    labels = np.arange(len(small_images)) % 10
    model, run = classifier.train_digit_classifier(
        small_images, labels, epochs=1, batch_size=32
    )
    assert isinstance(model, keras.Model) and model.name == "digit_classifier"
    assert isinstance(run, training.TrainingRun)
    assert (
        run.epochs == 1
        and len(run.history["loss"]) == 1
        and len(run.history["accuracy"]) == 1
    )
    assert np.isfinite(run.final("loss"))
    probabilities = classifier.predict_probabilities(model, small_images[:8])
    assert probabilities.shape == (8, 10) and probabilities.dtype == np.float32
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, atol=1e-5)
    assert probabilities.min() >= 0.0
    # Flat and image batches give the same probabilities.
    np.testing.assert_allclose(
        classifier.predict_probabilities(
            model, small_images[:8].reshape(-1, 28, 28, 1)
        ),
        probabilities,
        atol=1e-6,
    )


def test_classifier_learns_a_tiny_separable_task():
    # Digit 0: bright top half; digit 1: bright bottom half (with noise).
    rng = np.random.default_rng(0)
    images = rng.uniform(0.0, 0.2, size=(128, 28, 28, 1)).astype("float32")
    labels = np.arange(128) % 2
    images[labels == 0, :14] += 0.8
    images[labels == 1, 14:] += 0.8
    model, run = classifier.train_digit_classifier(
        images, labels, epochs=3, batch_size=16
    )
    assert run.history["loss"][-1] < run.history["loss"][0]
    assert classifier.accuracy(model, images, labels) >= 0.95


def test_train_digit_classifier_checks(small_images):
    labels = np.arange(len(small_images)) % 10
    with pytest.raises(ValueError, match=r"\(n, 784\) or \(n, 28, 28, 1\)"):
        classifier.train_digit_classifier(
            small_images[:, :100], labels, epochs=1
        )
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        classifier.train_digit_classifier(small_images * 255, labels, epochs=1)
    with pytest.raises(ValueError, match="0-9"):
        classifier.train_digit_classifier(
            small_images, labels + 1, epochs=1
        )  # 10 is not a digit
    with pytest.raises(ValueError, match="0-9"):
        classifier.train_digit_classifier(
            small_images, labels - 1, epochs=1
        )  # -1 is not a digit
    with pytest.raises(ValueError, match="0-9"):
        classifier.train_digit_classifier(
            small_images, labels.astype("float32"), epochs=1
        )
    with pytest.raises(ValueError, match="one label per image"):
        classifier.train_digit_classifier(small_images, labels[:10], epochs=1)
    with pytest.raises(ValueError, match="epochs"):
        classifier.train_digit_classifier(small_images, labels, epochs=0)


def test_predict_probabilities_with_a_stub(small_images):
    model = _stub(probabilities=FIXED)
    probabilities = classifier.predict_probabilities(
        model, small_images[:5], batch_size=2
    )
    assert probabilities.shape == (5, 10) and probabilities.dtype == np.float32
    np.testing.assert_allclose(
        probabilities, np.tile(FIXED, (5, 1)), rtol=1e-5
    )
    with pytest.raises(ValueError, match="batch_size"):
        classifier.predict_probabilities(model, small_images[:5], batch_size=0)
    with pytest.raises(ValueError, match=r"\(n, 784\) or \(n, 28, 28, 1\)"):
        classifier.predict_probabilities(
            model, small_images[:5].reshape(5, 28, 28)
        )


def test_accuracy_known_value(small_images):
    model = _stub(probabilities=FIXED)  # always predicts 4
    assert classifier.accuracy(model, small_images[:4], [4, 4, 1, 2]) == 0.5
    assert classifier.accuracy(model, small_images[:4], [4, 4, 4, 4]) == 1.0
    with pytest.raises(ValueError, match="0-9"):
        classifier.accuracy(model, small_images[:4], [4, 4, 11, 2])
    with pytest.raises(ValueError, match="one label per image"):
        classifier.accuracy(model, small_images[:4], [4, 4])


def test_path_confidence_with_fixed_probabilities(small_images):
    model = _stub(probabilities=FIXED)
    paths = small_images[:12].reshape(2, 6, 784)
    start, end = classifier.path_confidence(model, paths, [3, 7], [5, 0])
    assert start.shape == end.shape == (2, 6)
    np.testing.assert_allclose(start[0], FIXED[3], rtol=1e-5)
    np.testing.assert_allclose(start[1], FIXED[7], rtol=1e-5)
    np.testing.assert_allclose(end[0], FIXED[5], rtol=1e-5)
    np.testing.assert_allclose(end[1], FIXED[0], rtol=1e-5)


def test_path_confidence_follows_a_crossfade_from_black_to_white():
    # The stub's logit for digit 1 is 6 * mean pixel, so along a black-to-white
    # cross-fade the probability of 1 is exp(6w) / (exp(6w) + 9) at weight w.
    model = _stub(kernel_column=(1, 6.0))
    weights = latent.interpolation_weights(5, 0.0, 1.0)
    black = np.zeros((2, 28, 28, 1), dtype="float32")
    white = np.ones((2, 28, 28, 1), dtype="float32")
    paths = latent.crossfade_paths(black, white, weights)
    assert paths.shape == (2, 5, 28, 28, 1)
    start, end = classifier.path_confidence(model, paths, [0, 2], [1, 1])
    expected_end = np.exp(6 * weights) / (np.exp(6 * weights) + 9)
    np.testing.assert_allclose(end, np.tile(expected_end, (2, 1)), rtol=1e-4)
    np.testing.assert_allclose(
        start, np.tile(1 / (np.exp(6 * weights) + 9), (2, 1)), rtol=1e-4
    )
    assert np.all(np.diff(end[0]) > 0) and np.all(np.diff(start[0]) < 0)


def test_path_confidence_checks(small_images):
    model = _stub(probabilities=FIXED)
    paths = small_images[:12].reshape(2, 6, 784)
    with pytest.raises(ValueError, match=r"\(pairs, steps"):
        classifier.path_confidence(model, small_images[:6], [1] * 6, [2] * 6)
    with pytest.raises(ValueError, match="start_digits"):
        classifier.path_confidence(model, paths, [1, 2, 3], [4, 5])
    with pytest.raises(
        ValueError, match="end_digits must be integer digits 0-9"
    ):
        classifier.path_confidence(model, paths, [1, 2], [4, 10])
    with pytest.raises(ValueError, match="floats"):
        classifier.path_confidence(
            model, (paths * 255).astype("uint8"), [1, 2], [4, 5]
        )


def test_recognised_as_either_known_value(small_images):
    model = _stub(probabilities=FIXED)  # always predicts 4
    assert classifier.recognised_as_either(
        model, small_images[:3], [4, 1, 2], [0, 4, 3]
    ) == pytest.approx(2 / 3)
    assert (
        classifier.recognised_as_either(
            model, small_images[:2], [0, 1], [2, 3]
        )
        == 0.0
    )
    assert (
        classifier.recognised_as_either(
            model, small_images[:2], [4, 1], [0, 4]
        )
        == 1.0
    )
    with pytest.raises(ValueError, match="start_digits"):
        classifier.recognised_as_either(
            model, small_images[:3], [4, 1], [0, 4, 3]
        )
    with pytest.raises(ValueError, match="end_digits"):
        classifier.recognised_as_either(
            model, small_images[:3], [4, 1, 2], [0, 4, -3]
        )


def test_confident_share_counts_images_above_the_threshold():
    # Black image: all logits 0, top probability 0.1. White image:
    # P(1) = e^6 / (e^6 + 9), about 0.978.
    model = _stub(kernel_column=(1, 6.0))
    images = np.stack([np.zeros((28, 28, 1)), np.ones((28, 28, 1))]).astype(
        "float32"
    )
    assert classifier.confident_share(model, images, threshold=0.9) == 0.5
    assert classifier.confident_share(model, images, threshold=0.99) == 0.0
    assert classifier.confident_share(model, images, threshold=0.05) == 1.0
    for threshold in (0.0, 1.5):
        with pytest.raises(ValueError, match="threshold"):
            classifier.confident_share(model, images, threshold=threshold)
