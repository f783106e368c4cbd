"""A small digit classifier, used as a judge of generated and interpolated
images.

Looking at an interpolation strip tells you whether it *seems* to morph one
digit into another; a classifier trained on real digits turns that into a
number: how confident it is, along the path, that it sees the start digit
or the end digit.

Introduced in chapter 7, "Latent-space interpolation".
"""

import keras
import numpy as np

from companion import training
from companion.checks import (
    check_images,
    check_labels,
    check_model,
    check_name,
    check_number,
    check_positive_int,
    check_seed,
)
from companion.data import IMAGE_SHAPE

DIGITS = 10


def build_digit_classifier(dropout=0.5, name="digit_classifier"):
    """Build a small convolutional classifier for 28x28x1 images (softmax over
    10 digits).

    Two 3x3 convolutions (32 and 64 filters), each with 2x2 max pooling, then
    dropout and a 10-way softmax: about 35,000 parameters, over 98% test
    accuracy after a few epochs. Compiled with Adam and sparse categorical
    cross-entropy.

    Introduced in chapter 7.
    """
    check_number(dropout, "dropout", 0.0, 1.0, include_high=False)
    check_name(name, "name")
    images = keras.Input(shape=IMAGE_SHAPE, name="image")
    hidden = keras.layers.Conv2D(32, 3, activation="relu", name="conv_1")(
        images
    )
    hidden = keras.layers.MaxPooling2D(2, name="pool_1")(hidden)
    hidden = keras.layers.Conv2D(64, 3, activation="relu", name="conv_2")(
        hidden
    )
    hidden = keras.layers.MaxPooling2D(2, name="pool_2")(hidden)
    hidden = keras.layers.Flatten(name="flatten")(hidden)
    hidden = keras.layers.Dropout(dropout, name="dropout")(hidden)
    probabilities = keras.layers.Dense(
        DIGITS, activation="softmax", name="probabilities"
    )(hidden)
    model = keras.Model(images, probabilities, name=name)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=1e-3),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def _as_digit_images(images, name="images"):
    """Accept flat (n, 784) or image (n, 28, 28, 1) batches; return the image
    form.
    """
    images = check_images(images, name)
    if (
        images.shape[1:] == (IMAGE_SHAPE[0] * IMAGE_SHAPE[1],)
        or images.shape[1:] == IMAGE_SHAPE
    ):
        return images.reshape((-1,) + IMAGE_SHAPE)
    raise ValueError(
        f"{name} must have shape (n, 784) or (n, 28, 28, 1), got "
        f"{images.shape}."
    )


def _check_labels(labels, count, name="labels"):
    return check_labels(labels, name, length=count, classes=DIGITS).astype(int)


def _check_classifier(classifier):
    """Check that ``classifier`` is a Keras model for 28x28x1 digit images."""
    check_model(classifier, "classifier")
    try:
        input_shape = tuple(classifier.input.shape[1:])
        output_shape = tuple(classifier.output.shape[1:])
    except (AttributeError, ValueError):
        return  # a subclassed model without symbolic input or output
    if input_shape != IMAGE_SHAPE or output_shape != (DIGITS,):
        raise ValueError(
            f"classifier must map (n, 28, 28, 1) images to (n, {DIGITS}) "
            f"digit probabilities, got a model from {input_shape} to "
            f"{output_shape}; build it with build_digit_classifier."
        )


def train_digit_classifier(x_train, y_train, epochs, batch_size=128, seed=0):
    """Build and train ``build_digit_classifier`` on labelled images; return
    ``(model, TrainingRun)``.

    Introduced in chapter 7.
    """
    x_train = _as_digit_images(x_train, "x_train")
    y_train = _check_labels(y_train, len(x_train), "y_train")
    check_positive_int(epochs, "epochs")
    check_positive_int(batch_size, "batch_size")
    check_seed(seed)
    model = build_digit_classifier()
    run = training.fit_autoencoder(
        model,
        x_train,
        epochs=epochs,
        batch_size=batch_size,
        seed=seed,
        train_targets=y_train,
    )
    return model, run


def predict_probabilities(classifier, images, batch_size=1024):
    """Return the classifier's digit probabilities, shape ``(n, 10)``, for flat
    or image batches.

    Introduced in chapter 7.
    """
    _check_classifier(classifier)
    images = _as_digit_images(images)
    check_positive_int(batch_size, "batch_size")
    return np.asarray(
        classifier.predict(images, batch_size=batch_size, verbose=0),
        dtype="float32",
    )


def accuracy(classifier, images, labels):
    """Return the share of ``images`` whose most probable digit is the label.

    Introduced in chapter 7.
    """
    _check_classifier(classifier)
    images = _as_digit_images(images)
    labels = _check_labels(labels, len(images))
    probabilities = predict_probabilities(classifier, images)
    return float(np.mean(probabilities.argmax(axis=1) == labels))


def path_confidence(classifier, paths, start_digits, end_digits):
    """Score interpolation paths: the probability of the start and of the end
    digit at every step.

    ``paths`` has shape ``(pairs, steps, ...)`` (each path a sequence of
    images). Returns ``(start, end)``, two arrays of shape ``(pairs, steps)``.

    Introduced in chapter 7.
    """
    _check_classifier(classifier)
    paths = np.asarray(paths)
    if paths.ndim < 3:
        raise ValueError(
            "paths must have shape (pairs, steps, ...image shape), got "
            f"{paths.shape}."
        )
    check_images(paths, "paths")
    pairs, steps = paths.shape[:2]
    start_digits = _check_labels(start_digits, pairs, "start_digits")
    end_digits = _check_labels(end_digits, pairs, "end_digits")
    probabilities = predict_probabilities(
        classifier, paths.reshape((pairs * steps,) + paths.shape[2:])
    )
    probabilities = probabilities.reshape(pairs, steps, DIGITS)
    start = np.take_along_axis(
        probabilities, start_digits[:, None, None], axis=2
    )[..., 0]
    end = np.take_along_axis(probabilities, end_digits[:, None, None], axis=2)[
        ..., 0
    ]
    return start, end


def recognised_as_either(classifier, images, start_digits, end_digits):
    """Return the share of ``images`` classified as their start or their end
    digit.

    Applied to the midpoints of interpolation paths, it says how often the
    halfway image still looks like one of the two digits it lies between.

    Introduced in chapter 7.
    """
    _check_classifier(classifier)
    images = _as_digit_images(images)
    start_digits = _check_labels(start_digits, len(images), "start_digits")
    end_digits = _check_labels(end_digits, len(images), "end_digits")
    predicted = predict_probabilities(classifier, images).argmax(axis=1)
    return float(
        np.mean((predicted == start_digits) | (predicted == end_digits))
    )


def confident_share(classifier, images, threshold=0.9):
    """Return the share of ``images`` that the classifier assigns to some digit
    with probability >= ``threshold``.

    A rough measure of how digit-like generated or decoded images are: used
    on decoded grids, random codes and interpolation midpoints.

    Introduced in chapter 7.
    """
    check_number(threshold, "threshold", 0.0, 1.0, include_low=False)
    _check_classifier(classifier)
    return float(
        np.mean(
            predict_probabilities(classifier, images).max(axis=1) >= threshold
        )
    )
