"""Codes as features: linear probes and label spreading on fixed codes, and
an autoencoder trained jointly with a classifier on a few labels.

The k-nearest-neighbour probe and the labelled subsets drawn with a seed
live in ``companion.probes`` (chapter 6); this module adds scikit-learn's
logistic regression, its label spreading (a semi-supervised method that
lets the unlabelled codes carry the labels along their neighbourhood
graph), and a Keras model that reconstructs every image and classifies
the labelled ones through the same code.

Introduced in chapter 12, "Codes as features".
"""

import warnings

import keras
import numpy as np
from keras import ops
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.semi_supervised import LabelSpreading

from companion import probes
from companion.checks import (
    DIGITS,
    CheckedFitMixin,
    check_classifier_head,
    check_codes,
    check_images,
    check_indices,
    check_labels,
    check_model,
    check_non_negative_number,
    check_number,
    check_positive_int,
    check_rows,
    check_same_length,
    check_seed,
    check_sizes,
)
from companion.metrics import markdown_table
from companion.models import (
    check_autoencoder_parts,
    check_model_input,
    deserialize_parts,
    serialize_parts,
)

JOINT_PARTS = ("encoder", "decoder", "classifier")
"""The sub-models a ``JointAutoencoder`` saves in its config."""

UNLABELLED = -1
"""The label ``JointAutoencoder`` and ``spread_labels`` read as "unknown"."""


def _check_pair(train_codes, train_labels, test_codes, test_labels):
    train_codes = check_codes(train_codes, "train_codes")
    test_codes = check_codes(test_codes, "test_codes")
    check_same_length(train_codes, train_labels, "train_codes", "train_labels")
    check_same_length(test_codes, test_labels, "test_codes", "test_labels")
    if train_codes.shape[1] != test_codes.shape[1]:
        raise ValueError(
            f"train_codes have {train_codes.shape[1]} values per image and "
            f"test_codes {test_codes.shape[1]}; encode both with the same "
            "encoder."
        )
    return (
        train_codes,
        check_labels(train_labels, "train_labels"),
        test_codes,
        check_labels(test_labels, "test_labels"),
    )


def linear_probe_accuracy(
    train_codes, train_labels, test_codes, test_labels, max_iter=100
):
    """Test accuracy (0 to 1) of a logistic regression fitted on fixed
    codes: each code unit standardised with the training codes' mean and
    standard deviation, then scikit-learn's ``LogisticRegression`` (L2,
    ``C=1``, L-BFGS for at most ``max_iter`` iterations: a fixed budget, so
    scikit-learn's warning that it has not fully converged is silenced).

    Introduced in chapter 12.
    """
    train_codes, train_labels, test_codes, test_labels = _check_pair(
        train_codes, train_labels, test_codes, test_labels
    )
    check_positive_int(max_iter, "max_iter")
    if len(np.unique(train_labels)) < 2:
        raise ValueError(
            "train_labels hold a single class; a classifier needs at least "
            "two."
        )
    classifier = make_pipeline(
        StandardScaler(), LogisticRegression(max_iter=max_iter)
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        classifier.fit(train_codes, train_labels)
    return float(np.mean(classifier.predict(test_codes) == test_labels))


PROBES = ("linear", "1-NN")
"""The probes ``probe_accuracies`` runs."""


def probe_accuracies(
    train_codes,
    train_labels,
    test_codes,
    test_labels,
    label_counts,
    draws=5,
    seed=0,
):
    """Accuracy (%) of the linear probe and of 1-NN for each number of
    labelled training images in ``label_counts``.

    A count below the number of training images draws ``count // 10``
    images per class with ``probes.sample_per_class``, ``draws`` times
    (seeds ``seed``, ``seed + 1``...); a count equal to it uses every
    training image once. Returns ``{(probe, count): (mean, std)}``.

    Introduced in chapter 12.
    """
    train_codes, train_labels, test_codes, test_labels = _check_pair(
        train_codes, train_labels, test_codes, test_labels
    )
    check_positive_int(draws, "draws")
    check_seed(seed)
    counts = check_label_counts(label_counts, len(train_labels))
    _check_drawable(train_labels, counts, "label_counts")
    results = {}
    for count in counts:
        if count == len(train_labels):
            subsets = [np.arange(count)]
        else:
            subsets = [
                probes.sample_per_class(
                    train_labels, count // DIGITS, seed + draw
                )
                for draw in range(draws)
            ]
        linear, nearest = [], []
        for chosen in subsets:
            linear.append(
                linear_probe_accuracy(
                    train_codes[chosen],
                    train_labels[chosen],
                    test_codes,
                    test_labels,
                )
            )
            nearest.append(
                probes.knn_accuracy(
                    train_codes[chosen],
                    train_labels[chosen],
                    test_codes,
                    test_labels,
                )
            )
        for probe, values in zip(PROBES, (linear, nearest)):
            values = 100.0 * np.asarray(values)
            results[(probe, count)] = (
                float(values.mean()),
                float(values.std()),
            )
    return results


def check_label_counts(label_counts, available, name="label_counts"):
    """Return ``label_counts`` as a tuple of ints after checking that each
    is a positive multiple of 10 (the same number per class) or exactly
    ``available``, the number of labelled images there are.

    Introduced in chapter 12.
    """
    check_positive_int(available, "available")
    if isinstance(label_counts, (int, np.integer)):
        label_counts = (label_counts,)
    if isinstance(label_counts, (str, bytes)):
        raise ValueError(
            f"{name} must be label counts such as (100, 1000), got "
            f"{label_counts!r}."
        )
    try:
        counts = tuple(label_counts)
    except TypeError:
        raise ValueError(
            f"{name} must be a sequence of label counts such as "
            f"(100, 1000), got {label_counts!r}."
        ) from None
    if not counts:
        raise ValueError(f"{name} is empty; give at least one count.")
    for count in counts:
        check_positive_int(count, f"every entry of {name}")
        if count > available:
            raise ValueError(
                f"{name}: {count} labels is more than the {available} "
                "labelled images there are."
            )
        if count != available and count % DIGITS:
            raise ValueError(
                f"{name}: {count} labels must be a multiple of {DIGITS} (the "
                f"same number per digit) or all {available} images."
            )
    return tuple(int(count) for count in counts)


def _check_drawable(train_labels, counts, name):
    """Raise unless each count below the number of labels can be drawn as
    ``count // 10`` images of every digit of ``train_labels``."""
    sizes = np.bincount(train_labels, minlength=DIGITS)
    scarcest = int(np.argmin(sizes))
    for count in counts:
        if count < len(train_labels) and count // DIGITS > sizes[scarcest]:
            raise ValueError(
                f"{name}: {count} labels need {count // DIGITS} images of "
                f"each digit, but train_labels hold only {sizes[scarcest]} "
                f"of digit {scarcest}; ask for fewer labels."
            )


def spread_labels(train_codes, train_labels, labelled, neighbours=10):
    """Fit scikit-learn's ``LabelSpreading`` (k-nearest-neighbour graph) on
    all training codes, with only the ``labelled`` indices' labels known.

    Returns the fitted model; ``predict_spread`` labels new codes from their
    neighbours among the training codes. The unlabelled codes are used,
    their labels are not.

    Introduced in chapter 12.
    """
    train_codes = check_codes(train_codes, "train_codes")
    check_same_length(train_codes, train_labels, "train_codes", "train_labels")
    train_labels = check_labels(train_labels, "train_labels")
    labelled = check_indices(labelled, len(train_codes), "labelled")
    check_positive_int(neighbours, "neighbours")
    if neighbours >= len(train_codes):
        raise ValueError(
            f"neighbours={neighbours} must be below the number of training "
            f"codes ({len(train_codes)})."
        )
    known = np.full(len(train_labels), UNLABELLED)
    known[labelled] = train_labels[labelled]
    model = LabelSpreading(kernel="knn", n_neighbors=neighbours, max_iter=100)
    with np.errstate(invalid="ignore", divide="ignore"):
        model.fit(train_codes, known)
    return model


def predict_spread(model, codes):
    """Labels that a fitted ``spread_labels`` model gives ``codes``, and
    ``UNLABELLED`` (-1, always wrong) for a code whose neighbours no label
    reached: scikit-learn would call it digit 0.

    Introduced in chapter 12.
    """
    if not isinstance(model, LabelSpreading):
        raise ValueError(
            f"model must come from spread_labels, got {type(model).__name__}."
        )
    if not hasattr(model, "label_distributions_"):
        raise ValueError(
            "model is a LabelSpreading that has not been fitted; make it "
            "with spread_labels(train_codes, train_labels, labelled)."
        )
    codes = check_codes(codes, "codes")
    if codes.shape[1] != model.X_.shape[1]:
        raise ValueError(
            f"codes have {codes.shape[1]} values per image, but the model "
            f"was fitted on codes of {model.X_.shape[1]}; encode both with "
            "the same encoder."
        )
    with np.errstate(invalid="ignore", divide="ignore"):
        probabilities = model.predict_proba(codes)
    reached = np.all(np.isfinite(probabilities), axis=1) & (
        np.nan_to_num(probabilities).sum(axis=1) > 0
    )
    predictions = model.classes_[np.argmax(np.nan_to_num(probabilities), 1)]
    return np.where(reached, predictions, UNLABELLED)


def spreading_accuracy(
    train_codes,
    train_labels,
    test_codes,
    test_labels,
    label_count,
    draws=5,
    seed=0,
    neighbours=10,
):
    """Mean and standard deviation (%) over ``draws`` labelled subsets of
    the test accuracy of ``spread_labels`` with ``label_count`` labels.

    Introduced in chapter 12.
    """
    train_codes, train_labels, test_codes, test_labels = _check_pair(
        train_codes, train_labels, test_codes, test_labels
    )
    (count,) = check_label_counts(
        (label_count,), len(train_labels), "label_count"
    )
    _check_drawable(train_labels, (count,), "label_count")
    check_positive_int(draws, "draws")
    check_seed(seed)
    accuracies = []
    for draw in range(draws):
        chosen = probes.sample_per_class(
            train_labels, count // DIGITS, seed + draw
        )
        model = spread_labels(train_codes, train_labels, chosen, neighbours)
        predictions = predict_spread(model, test_codes)
        accuracies.append(np.mean(predictions == test_labels))
    accuracies = 100.0 * np.asarray(accuracies)
    return float(accuracies.mean()), float(accuracies.std())


def partial_labels(labels, labelled):
    """Labels with every image outside ``labelled`` set to ``UNLABELLED``
    (-1): the targets of ``JointAutoencoder``.

    Introduced in chapter 12.
    """
    labels = check_labels(labels)
    labelled = check_indices(labelled, len(labels), "labelled")
    known = np.full(len(labels), UNLABELLED, dtype="int32")
    known[labelled] = labels[labelled]
    return known


def repeat_labelled(images, known_labels, repeats):
    """Append ``repeats`` extra copies of the labelled images (those whose
    label is not ``UNLABELLED``) to the training set, so that a batch holds
    a few of them: ``(images, known_labels)`` for ``JointAutoencoder.fit``.
    ``images`` are floats in [0, 1], one per label.

    Introduced in chapter 12.
    """
    images = check_images(images)
    check_same_length(images, known_labels, "images", "known_labels")
    known_labels = _check_known_labels(known_labels, "known_labels")
    check_positive_int(repeats, "repeats")
    labelled = np.flatnonzero(known_labels != UNLABELLED)
    if len(labelled) == 0:
        raise ValueError("known_labels has no labelled image to repeat.")
    extra = np.tile(labelled, repeats)
    return (
        np.concatenate([images, images[extra]]),
        np.concatenate([known_labels, known_labels[extra]]).astype("int32"),
    )


def _check_known_labels(known_labels, name, classes=DIGITS):
    """Return ``known_labels`` as a 1-d integer array after checking that
    each is a class ``0..classes - 1`` or ``UNLABELLED`` (-1)."""
    array = np.asarray(known_labels)
    if array.ndim == 2 and array.shape[1] == 1:
        array = array[:, 0]
    if array.ndim != 1:
        raise ValueError(
            f"{name} must hold one label per image, shape (n,), got "
            f"{array.shape}; pass integer labels (-1 for an unlabelled "
            "image), not one-hot vectors."
        )
    if not np.issubdtype(array.dtype, np.integer) or np.any(
        (array < UNLABELLED) | (array >= classes)
    ):
        raise ValueError(
            f"{name} must be integer digits 0-{classes - 1}, or -1 for an "
            "unlabelled image (use partial_labels)."
        )
    return array


def build_code_classifier(code_shape, classes=DIGITS, dropout=0.2):
    """A classifier of codes: flatten, dropout, one softmax layer.

    Introduced in chapter 12.
    """
    if isinstance(code_shape, (int, np.integer)):
        code_shape = (code_shape,)
    code_shape = check_sizes(code_shape, "code_shape")
    classes, rate = check_classifier_head(classes, dropout)
    codes = keras.Input(shape=tuple(code_shape), name="code")
    hidden = keras.layers.Flatten(name="flatten")(codes)
    hidden = keras.layers.Dropout(rate, name="dropout")(hidden)
    probabilities = keras.layers.Dense(
        classes, activation="softmax", name="probabilities"
    )(hidden)
    return keras.Model(codes, probabilities, name="code_classifier")


@keras.saving.register_keras_serializable(package="companion")
class JointAutoencoder(CheckedFitMixin, keras.Model):
    """An autoencoder whose code also feeds a classifier, trained on
    ``binary cross-entropy + weight * cross-entropy``: every image is
    reconstructed, and the labelled ones (target not ``UNLABELLED``) are
    also classified through the same code.

    ``fit(images, known_labels)``: the labels say which images are
    labelled; the reconstruction target is always the image itself. With
    ``reconstruction_weight=0`` the model is the plain classifier (encoder
    and head) trained on the labelled images alone. ``call`` returns the
    class probabilities; ``reconstruct`` the images. ``fit`` and
    ``evaluate`` check their data first (``check_data``).

    Introduced in chapter 12.
    """

    def __init__(
        self,
        encoder,
        decoder,
        classifier,
        weight=1.0,
        reconstruction_weight=1.0,
        **kwargs,
    ):
        super().__init__(**kwargs)
        for part, name in (
            (encoder, "encoder"),
            (decoder, "decoder"),
            (classifier, "classifier"),
        ):
            check_model(part, name)
        self.weight = check_non_negative_number(weight, "weight")
        self.reconstruction_weight = check_non_negative_number(
            reconstruction_weight, "reconstruction_weight"
        )
        check_autoencoder_parts(
            encoder, decoder, "JointAutoencoder(encoder, decoder, classifier)"
        )
        check_model(classifier, "classifier", built=True)
        code_shape = tuple(encoder.output.shape[1:])
        if tuple(classifier.input.shape[1:]) != code_shape:
            raise ValueError(
                f"the encoder's code has shape {code_shape} but the "
                f"classifier expects {tuple(classifier.input.shape[1:])}."
            )
        self.encoder = encoder
        self.decoder = decoder
        self.classifier = classifier
        self.reconstruction_tracker = keras.metrics.Mean(name="reconstruction")
        self.classification_tracker = keras.metrics.Mean(name="classification")

    @property
    def input(self):
        """The encoder's input, for ``models.check_model_input``."""
        return self.encoder.input

    def check_data(self, x, y, x_name="x", y_name="y"):
        """Return the images ``x`` and known labels ``y`` of ``fit`` or
        ``evaluate`` as arrays after checking them: images in [0, 1] of the
        encoder's input shape, one label per image, each a class of the
        classifier or ``UNLABELLED`` (-1).
        """
        x = check_model_input(self, x, x_name)
        if y is None:
            raise ValueError(
                f"{y_name} is missing: pass the known labels, the digit of "
                f"each labelled image and {UNLABELLED} for the others (from "
                "partial_labels or repeat_labelled)."
            )
        classes = self.classifier.output.shape[-1]
        y = _check_known_labels(y, y_name, classes)
        check_same_length(x, y, x_name, y_name)
        return x, y

    def call(self, images, training=False):
        codes = self.encoder(images, training=training)
        reconstructions = self.decoder(codes, training=training)
        self.add_loss(
            ops.mean(keras.losses.binary_crossentropy(images, reconstructions))
        )
        return self.classifier(codes, training=training)

    def reconstruct(self, images, batch_size=1024):
        """Reconstructions of ``images`` (in [0, 1], of the encoder's input
        shape) as a NumPy array."""
        images = check_model_input(self, images)
        check_positive_int(batch_size, "batch_size")
        codes = self.encoder.predict(images, batch_size=batch_size, verbose=0)
        return self.decoder.predict(codes, batch_size=batch_size, verbose=0)

    def compute_loss(
        self, x=None, y=None, y_pred=None, sample_weight=None, training=True
    ):
        reconstruction = sum(self.losses) if self.losses else 0.0
        labels = ops.reshape(ops.cast(y, "int32"), (-1,))
        known = ops.cast(ops.not_equal(labels, UNLABELLED), "float32")
        safe_labels = ops.where(labels == UNLABELLED, 0, labels)
        cross_entropy = keras.losses.sparse_categorical_crossentropy(
            safe_labels, y_pred
        )
        classification = ops.sum(cross_entropy * known) / ops.maximum(
            ops.sum(known), 1.0
        )
        self.reconstruction_tracker.update_state(reconstruction)
        self.classification_tracker.update_state(classification)
        return (
            self.reconstruction_weight * reconstruction
            + self.weight * classification
        )

    def get_config(self):
        return {
            **super().get_config(),
            **serialize_parts(self, JOINT_PARTS),
            "weight": self.weight,
            "reconstruction_weight": self.reconstruction_weight,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**deserialize_parts(config, JOINT_PARTS))


def classifier_accuracy(model, images, labels, batch_size=1024):
    """Test accuracy (%) of a model that outputs class probabilities (a
    row per image that sums to 1), on ``images`` in [0, 1] of its input
    shape.

    Introduced in chapter 12.
    """
    check_model(model, "model", built=True)
    images = check_model_input(model, images)
    check_same_length(images, labels, "images", "labels")
    labels = check_labels(labels)
    check_positive_int(batch_size, "batch_size")
    probabilities = np.asarray(
        model.predict(images, batch_size=batch_size, verbose=0)
    )
    if (
        probabilities.ndim != 2
        or probabilities.shape[1] <= labels.max()
        or probabilities.min() < 0.0
        or not np.allclose(probabilities.sum(axis=1), 1.0, atol=1e-3)
    ):
        raise ValueError(
            f"model must output class probabilities, a row per image that "
            f"sums to 1 with a column per digit, but {model.name} outputs "
            f"shape {probabilities.shape[1:]}, rows summing to "
            f"{probabilities.reshape(len(images), -1).sum(axis=1).mean():.3g}"
            " on average; pass the classifier, not the autoencoder."
        )
    return float(100.0 * np.mean(np.argmax(probabilities, axis=-1) == labels))


def feature_row(representation, size, accuracies):
    """A row of the probe table: ``accuracies`` maps ``(probe, count)`` to
    ``(mean, std)`` in percent, as ``probe_accuracies`` returns (fractions,
    every mean at most 1, are refused).

    Introduced in chapter 12.
    """
    if not isinstance(representation, str) or not representation:
        raise ValueError(
            f"representation must be a non-empty string, got "
            f"{representation!r}."
        )
    check_positive_int(size, "size")
    if not isinstance(accuracies, dict) or not accuracies:
        raise ValueError(
            "accuracies must be the dict probe_accuracies returns."
        )
    row = {"representation": representation, "size": int(size)}
    means = []
    for key, value in accuracies.items():
        if not isinstance(key, tuple) or len(key) != 2 or key[0] not in PROBES:
            raise ValueError(
                f"accuracies must map (probe, count), with probe one of "
                f"{PROBES}, to (mean, std) in percent, as probe_accuracies "
                f"returns; got the key {key!r}."
            )
        probe, count = key
        check_positive_int(count, f"the count of accuracies key {key!r}")
        if not isinstance(value, (tuple, list)) or len(value) != 2:
            raise ValueError(
                f"accuracies[{key!r}] must be a pair (mean, std) in percent, "
                f"got {value!r}."
            )
        mean = check_number(
            value[0], f"the mean of accuracies[{key!r}]", 0, 100
        )
        spread = check_non_negative_number(
            value[1], f"the std of accuracies[{key!r}]"
        )
        row[f"{probe} {count}"] = (mean, spread)
        means.append(mean)
    if max(means) <= 1.0:
        raise ValueError(
            "accuracies look like fractions (every mean is at most 1); give "
            "percentages from 0 to 100, as probe_accuracies returns."
        )
    return row


def format_feature_table(rows, probe, counts):
    """Markdown table of ``feature_row`` rows for one ``probe``: a column
    per label count, each cell "mean ± std" (the std only where several
    draws were made).

    Introduced in chapter 12.
    """
    rows = check_rows(rows, "rows", "feature_row")
    if probe not in PROBES:
        raise ValueError(f"probe must be one of {PROBES}, got {probe!r}.")
    counts = check_sizes(counts, "counts")
    if not counts:
        raise ValueError("counts is empty; give the label counts to show.")
    for row in rows:
        missing = [key for key in ("representation", "size") if key not in row]
        if missing:
            raise ValueError(
                f"rows must come from feature_row; a row lacks {missing}."
            )
    names = [row["representation"] for row in rows]
    if len(set(names)) != len(names):
        raise ValueError(
            f"rows repeat a representation: {names}; give each row its own "
            "name."
        )
    table = []
    for row in rows:
        line = {"representation": row["representation"], "size": row["size"]}
        for count in counts:
            key = f"{probe} {count}"
            if key not in row:
                raise ValueError(
                    f"counts lists {count}, but row "
                    f"{row['representation']!r} has no {probe} accuracy with "
                    f"{count} labels."
                )
            mean, spread = row[key]
            line[str(count)] = (
                f"{mean:.1f} ± {spread:.1f}" if spread else f"{mean:.1f}"
            )
        table.append(line)
    formats = {"representation": "{}", "size": "{}"}
    formats.update({str(count): "{}" for count in counts})
    titles = {str(count): f"{count:,} labels" for count in counts}
    return markdown_table(table, formats, titles)
