"""Tests of companion.features: the linear probe, the probe table, label
spreading, partial labels and the autoencoder trained jointly with a
classifier (losses, saving, bad input).

Every model is tiny (784-8-784 on 64 random images, one epoch), so the
file runs in seconds on a CPU.
"""

import keras
import numpy as np
import pytest

from companion import config, features

LABELS = np.repeat(np.arange(10), 20)


def _numpy(value):
    return keras.ops.convert_to_numpy(value)


def _separable_codes(seed=0, noise=0.1):
    """Codes of ``LABELS``: one far-apart centre per digit in 16-d (each a
    corner of their convex hull, so that even one label per digit is
    linearly separable), a little noise."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(scale=10.0, size=(10, 16))
    return centres[LABELS] + rng.normal(scale=noise, size=(len(LABELS), 16))


def _blobs(per_class=30, seed=0):
    """10 Gaussian blobs in 5-d, ``per_class`` training and test codes each,
    far apart (nearest centres about 10 standard deviations apart)."""
    rng = np.random.default_rng(seed)
    labels = np.repeat(np.arange(10), per_class)
    centres = rng.normal(scale=10.0, size=(10, 5))
    train = centres[labels] + rng.normal(size=(len(labels), 5))
    test = centres[labels] + rng.normal(size=(len(labels), 5))
    return train, labels, test


# --- the linear probe -----------------------------------------------------


def test_linear_probe_separates_separable_codes():
    codes = _separable_codes()
    test = _separable_codes(seed=0, noise=0.1) + 0.05
    assert features.linear_probe_accuracy(codes, LABELS, test, LABELS) == 1.0


def test_linear_probe_is_near_chance_on_random_labels():
    rng = np.random.default_rng(1)
    train = rng.normal(size=(200, 4))
    test = rng.normal(size=(200, 4))
    accuracy = features.linear_probe_accuracy(
        train, rng.permutation(LABELS), test, LABELS
    )
    assert 0.0 <= accuracy < 0.3


def test_linear_probe_flattens_codes_of_any_shape():
    codes = _separable_codes().reshape(200, 4, 4)
    assert features.linear_probe_accuracy(codes, LABELS, codes, LABELS) == 1.0


# --- probe_accuracies and the label counts --------------------------------


def _noisy_codes(seed=2):
    rng = np.random.default_rng(seed)
    return LABELS[:, None] * 1.0 + rng.normal(scale=0.8, size=(200, 2))


def test_probe_accuracies_has_a_key_per_probe_and_count():
    codes = _separable_codes()
    results = features.probe_accuracies(
        codes, LABELS, codes, LABELS, (10, 50, 200)
    )
    assert set(results) == {
        (probe, count) for probe in features.PROBES for count in (10, 50, 200)
    }
    for mean, spread in results.values():
        assert mean == pytest.approx(100.0)
        assert spread == 0.0


def test_probe_accuracies_draws_five_subsets_below_all_images(monkeypatch):
    drawn = []
    sample = features.probes.sample_per_class

    def recording(labels, per_class, seed=0):
        drawn.append((per_class, seed))
        return sample(labels, per_class, seed)

    monkeypatch.setattr(features.probes, "sample_per_class", recording)
    codes = _noisy_codes()
    results = features.probe_accuracies(
        codes, LABELS, codes, LABELS, (20, 200), seed=3
    )
    # 20 labels: two per digit, five draws with seeds 3..7; all 200: no draw.
    assert drawn == [(2, 3), (2, 4), (2, 5), (2, 6), (2, 7)]
    assert results[("linear", 200)][1] == 0.0
    assert results[("1-NN", 200)][1] == 0.0
    assert max(results[(probe, 20)][1] for probe in features.PROBES) > 0.0


def test_probe_accuracies_uses_draws_and_is_deterministic():
    codes = _noisy_codes()
    first = features.probe_accuracies(
        codes, LABELS, codes, LABELS, 10, draws=3, seed=5
    )
    again = features.probe_accuracies(
        codes, LABELS, codes, LABELS, 10, draws=3, seed=5
    )
    other = features.probe_accuracies(
        codes, LABELS, codes, LABELS, 10, draws=3, seed=6
    )
    assert first == again
    assert first != other
    for mean, spread in first.values():
        assert 0.0 <= mean <= 100.0 and spread >= 0.0


def test_check_label_counts_accepts_an_int_and_a_tuple():
    assert features.check_label_counts(100, 200) == (100,)
    assert features.check_label_counts(np.int64(10), 200) == (10,)
    assert features.check_label_counts((10, 200), 200) == (10, 200)
    assert features.check_label_counts([np.int32(20)], 200) == (20,)
    # All images is allowed even when it is no multiple of 10.
    assert features.check_label_counts((10, 205), 205) == (10, 205)
    assert all(
        type(count) is int
        for count in features.check_label_counts((np.int64(10),), 200)
    )


@pytest.mark.parametrize(
    ("counts", "message"),
    [
        (0, "positive integer"),
        ((10, 0), "positive integer"),
        (-10, "positive integer"),
        ((10.0,), "positive integer"),
        ((True,), "positive integer"),
        (15, "multiple of 10"),
        ((10, 195), "multiple of 10"),
        (210, "more than the 200"),
        ((), "empty"),
        ([], "empty"),
        (2.5, "sequence"),
        (None, "sequence"),
    ],
)
def test_check_label_counts_refuses(counts, message):
    with pytest.raises(ValueError, match=message):
        features.check_label_counts(counts, 200)


# --- label spreading ------------------------------------------------------


def test_spreading_one_label_per_blob_labels_every_blob():
    train, labels, test = _blobs()
    # With 29 neighbours each code's neighbours are its own blob: every
    # blob is one connected piece of the graph, holding one label.
    mean, spread = features.spreading_accuracy(
        train, labels, test, labels, label_count=10, neighbours=29
    )
    assert mean == pytest.approx(100.0)
    assert spread == 0.0


def test_spreading_with_the_default_neighbours_is_close_to_100():
    train, labels, test = _blobs()
    mean, spread = features.spreading_accuracy(
        train, labels, test, labels, label_count=10, draws=2
    )
    assert mean >= 95.0 and spread >= 0.0


def test_codes_no_label_reaches_are_counted_as_wrong(recwarn):
    # The k-NN graph is one-way: with this draw, the labelled code of digit
    # 1 is in no other code's 10 nearest neighbours, so its label reaches
    # none of them. scikit-learn would call them digit 0 (and divide 0 by
    # 0); predict_spread marks them -1 instead.
    from companion import probes

    train, labels, test = _blobs()
    labelled = probes.sample_per_class(labels, 1, seed=2)
    model = features.spread_labels(train, labels, labelled)
    predictions = features.predict_spread(model, test)
    unreached = predictions == features.UNLABELLED
    assert unreached.any()
    assert np.all(predictions[~unreached] >= 0)
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


def test_spread_labels_ignores_the_labels_of_unlabelled_codes():
    train, labels, test = _blobs()
    labelled = np.arange(0, 300, 30)
    scrambled = labels.copy()
    unlabelled = np.setdiff1d(np.arange(300), labelled)
    scrambled[unlabelled] = np.random.default_rng(0).permutation(
        labels[unlabelled]
    )
    model = features.spread_labels(train, labels, labelled, neighbours=29)
    same = features.spread_labels(train, scrambled, labelled, neighbours=29)
    assert np.array_equal(model.predict(test), same.predict(test))
    assert np.array_equal(model.predict(test), labels)
    assert np.array_equal(model.transduction_, labels)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda t, y, s: features.spread_labels(t, y, [0], neighbours=300),
            "neighbours=300 must be below",
        ),
        (
            lambda t, y, s: features.spread_labels(t, y, [300]),
            "labelled must lie in",
        ),
        (
            lambda t, y, s: features.spread_labels(t, y[:10], [0]),
            "same length",
        ),
        (
            lambda t, y, s: features.spreading_accuracy(t, y, s, y, 15),
            "multiple of 10",
        ),
        (
            lambda t, y, s: features.spreading_accuracy(t, y, s, y, 10, 0),
            "draws must be a positive integer",
        ),
        (
            lambda t, y, s: features.spreading_accuracy(t, y, s[:, :3], y, 10),
            "same encoder",
        ),
    ],
)
def test_spreading_refuses_bad_input(call, message):
    train, labels, test = _blobs()
    with pytest.raises(ValueError, match=message):
        call(train, labels, test)


# --- partial labels -------------------------------------------------------


def test_partial_labels_hides_every_label_but_the_labelled():
    labels = np.array([3, 1, 4, 1, 5, 9, 2, 6])
    known = features.partial_labels(labels, [1, 4, 7])
    assert known.dtype == np.int32
    assert known.tolist() == [-1, 1, -1, -1, 5, -1, -1, 6]
    assert features.UNLABELLED == -1


def test_repeat_labelled_appends_copies_of_the_labelled_images():
    images = np.arange(8 * 3, dtype="float32").reshape(8, 3) / 23.0
    known = np.array([-1, 2, -1, -1, 7, -1, -1, -1])
    repeated, repeated_labels = features.repeat_labelled(images, known, 3)
    assert repeated.shape == (8 + 3 * 2, 3)
    assert repeated_labels.dtype == np.int32
    assert np.array_equal(repeated[:8], images)
    assert np.array_equal(repeated_labels[:8], known)
    assert sorted(repeated_labels[8:].tolist()) == [2, 2, 2, 7, 7, 7]
    for row, label in zip(repeated[8:], repeated_labels[8:], strict=True):
        assert np.array_equal(row, images[1 if label == 2 else 4])


@pytest.mark.parametrize(
    ("known", "repeats", "message"),
    [
        ([-1] * 4, 2, "no labelled image"),
        ([0, 1, -1, 2], 0, "repeats must be a positive integer"),
        ([0, 1, -1, 10], 1, "integer digits"),
        ([0, 1, -2, 2], 1, "integer digits"),
        ([0.0, 1.0, -1.0, 2.0], 1, "integer digits"),
        ([0, 1, -1], 1, "same length"),
    ],
)
def test_repeat_labelled_refuses(known, repeats, message):
    images = np.zeros((4, 3), dtype="float32")
    with pytest.raises(ValueError, match=message):
        features.repeat_labelled(images, np.array(known), repeats)


# --- the code classifier and the joint autoencoder ------------------------


def test_build_code_classifier_outputs_probabilities():
    classifier = features.build_code_classifier((4, 2), classes=3)
    assert tuple(classifier.output.shape) == (None, 3)
    assert tuple(classifier.input.shape) == (None, 4, 2)
    codes = np.random.default_rng(0).normal(size=(5, 4, 2)).astype("float32")
    probabilities = classifier.predict(codes, verbose=0)
    assert probabilities.shape == (5, 3)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-5)
    assert features.build_code_classifier((8,)).output.shape[-1] == 10


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"classes": 0}, "classes must be a positive integer"),
        ({"dropout": 1.0}, "dropout must be below 1"),
        ({"dropout": -0.1}, "dropout must be zero or more"),
    ],
)
def test_build_code_classifier_refuses(arguments, message):
    with pytest.raises(ValueError, match=message):
        features.build_code_classifier((8,), **arguments)


IMAGES = np.random.default_rng(0).random((64, 784)).astype("float32")
DIGIT_LABELS = np.arange(64) % 10


def _parts(code_size=8):
    images = keras.Input(shape=(784,))
    encoder = keras.Model(
        images,
        keras.layers.Dense(code_size, activation="relu")(images),
        name="encoder",
    )
    codes = keras.Input(shape=(code_size,))
    decoder = keras.Model(
        codes,
        keras.layers.Dense(784, activation="sigmoid")(codes),
        name="decoder",
    )
    return encoder, decoder, features.build_code_classifier((code_size,))


def _joint(weight=1.0, reconstruction_weight=1.0):
    config.set_seed(0)
    model = features.JointAutoencoder(
        *_parts(), weight=weight, reconstruction_weight=reconstruction_weight
    )
    model.compile(optimizer=keras.optimizers.Adam(1e-3))
    return model


def _half_labelled():
    return features.partial_labels(DIGIT_LABELS, np.arange(0, 64, 2))


def _fit(model, known_labels):
    run = model.fit(IMAGES, known_labels, epochs=1, batch_size=16, verbose=0)
    return {key: values[-1] for key, values in run.history.items()}


def test_joint_history_tracks_both_terms():
    history = _fit(_joint(weight=0.5), _half_labelled())
    assert {"loss", "reconstruction", "classification"} <= set(history)
    assert all(np.isfinite(value) for value in history.values())
    # Random images and a random model: BCE near log 2, CE near log 10.
    assert 0.5 < history["reconstruction"] < 1.0
    assert 1.5 < history["classification"] < 3.5
    assert history["loss"] == pytest.approx(
        history["reconstruction"] + 0.5 * history["classification"],
        rel=1e-5,
    )


def test_joint_without_reconstruction_is_the_classifier_loss():
    history = _fit(
        _joint(weight=2.0, reconstruction_weight=0.0), _half_labelled()
    )
    assert np.isfinite(history["loss"])
    # The reconstruction is still measured but does not enter the loss.
    assert history["reconstruction"] > 0.0
    assert history["loss"] == pytest.approx(
        2.0 * history["classification"], rel=1e-5
    )


def test_joint_with_no_labels_has_no_classification_term():
    model = _joint()
    classifier_weights = [
        _numpy(weight) for weight in model.classifier.trainable_weights
    ]
    history = _fit(model, np.full(64, features.UNLABELLED))
    assert history["classification"] == 0.0
    assert history["loss"] == pytest.approx(
        history["reconstruction"], rel=1e-5
    )
    # No labelled image, no gradient reaches the classifier's head.
    for before, after in zip(
        classifier_weights, model.classifier.trainable_weights, strict=True
    ):
        np.testing.assert_array_equal(_numpy(after), before)


def test_joint_predicts_probabilities_and_reconstructs():
    model = _joint()
    _fit(model, _half_labelled())
    probabilities = model.predict(IMAGES[:10], verbose=0)
    assert probabilities.shape == (10, 10)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-5)
    reconstructions = model.reconstruct(IMAGES[:10])
    assert reconstructions.shape == (10, 784)
    assert reconstructions.min() >= 0.0 and reconstructions.max() <= 1.0
    assert model.input is model.encoder.input
    accuracy = features.classifier_accuracy(model, IMAGES, DIGIT_LABELS)
    assert 0.0 <= accuracy <= 100.0


def test_joint_evaluation_counts_the_reconstruction():
    model = _joint()
    _fit(model, _half_labelled())
    scores = model.evaluate(
        IMAGES, _half_labelled(), verbose=0, return_dict=True
    )
    assert scores["reconstruction"] > 0.5
    assert scores["loss"] == pytest.approx(
        scores["reconstruction"] + scores["classification"], rel=1e-5
    )


def test_joint_round_trip_through_a_keras_file(tmp_path):
    model = _joint(weight=0.25, reconstruction_weight=0.5)
    _fit(model, _half_labelled())
    path = tmp_path / "joint.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    assert isinstance(loaded, features.JointAutoencoder)
    assert loaded.weight == pytest.approx(0.25)
    assert loaded.reconstruction_weight == pytest.approx(0.5)
    np.testing.assert_array_equal(
        loaded.predict(IMAGES, verbose=0), model.predict(IMAGES, verbose=0)
    )
    np.testing.assert_array_equal(
        loaded.reconstruct(IMAGES[:4]), model.reconstruct(IMAGES[:4])
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"weight": -1.0}, "weight must be zero or more"),
        ({"weight": float("nan")}, "weight must be a finite number"),
        (
            {"reconstruction_weight": -0.5},
            "reconstruction_weight must be zero or more",
        ),
        ({"encoder": "encoder"}, "encoder must be a Keras model"),
        ({"classifier": None}, "classifier must be a Keras model"),
        (
            {"decoder": _parts(code_size=4)[1]},
            "but the decoder expects",
        ),
        (
            {"classifier": features.build_code_classifier((4,))},
            "but the classifier expects",
        ),
    ],
)
def test_joint_refuses_bad_parts(change, message):
    encoder, decoder, classifier = _parts()
    arguments = {
        "encoder": encoder,
        "decoder": decoder,
        "classifier": classifier,
        **change,
    }
    with pytest.raises(ValueError, match=message):
        features.JointAutoencoder(**arguments)


def test_classifier_accuracy_counts_the_most_probable_class():
    # A model that passes one-hot "probabilities" through unchanged.
    inputs = keras.Input(shape=(10,))
    identity = keras.Model(inputs, keras.layers.Identity()(inputs))
    predicted = np.array([0, 1, 2, 3, 9, 9, 9, 9])
    labels = np.array([0, 1, 2, 3, 4, 5, 6, 9])
    one_hot = np.eye(10, dtype="float32")[predicted]
    assert features.classifier_accuracy(identity, one_hot, labels) == 62.5
    with pytest.raises(ValueError, match="same length"):
        features.classifier_accuracy(identity, one_hot, labels[:3])
    with pytest.raises(ValueError, match="model must be a Keras model"):
        features.classifier_accuracy("model", one_hot, labels)


# --- the probe table ------------------------------------------------------

ACCURACIES = {
    ("linear", 10): (80.04, 2.51),
    ("1-NN", 10): (70.0, 1.0),
    ("linear", 1000): (90.0, 0.0),
    ("1-NN", 1000): (85.0, 0.0),
}


def test_feature_row_keys_each_accuracy_by_probe_and_count():
    row = features.feature_row("PCA", 32, ACCURACIES)
    assert row["representation"] == "PCA"
    assert row["size"] == 32
    assert row["linear 10"] == (80.04, 2.51)
    assert row["1-NN 1000"] == (85.0, 0.0)


def test_format_feature_table_shows_the_spread_only_for_draws():
    rows = [
        features.feature_row("PCA", 32, ACCURACIES),
        features.feature_row("pixels", 784, ACCURACIES),
    ]
    lines = features.format_feature_table(rows, "linear", (10, 1000))
    lines = lines.splitlines()
    assert lines[0] == "| representation | size | 10 labels | 1,000 labels |"
    assert lines[2] == "| PCA | 32 | 80.0 ± 2.5 | 90.0 |"
    assert lines[3] == "| pixels | 784 | 80.0 ± 2.5 | 90.0 |"
    nearest = features.format_feature_table(rows, "1-NN", [10]).splitlines()
    assert nearest[2] == "| PCA | 32 | 70.0 ± 1.0 |"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda row: features.format_feature_table([row], "k-NN", [10]),
            "probe must be one of",
        ),
        (
            lambda row: features.format_feature_table([row], "linear", [100]),
            "has no linear accuracy with 100 labels",
        ),
        (
            lambda row: features.format_feature_table([], "linear", [10]),
            "rows is empty",
        ),
        (
            lambda row: features.format_feature_table(row, "linear", [10]),
            "single row",
        ),
        (
            lambda row: features.feature_row("", 32, ACCURACIES),
            "representation must be a non-empty string",
        ),
        (
            lambda row: features.feature_row("PCA", 0, ACCURACIES),
            "size must be a positive integer",
        ),
        (
            lambda row: features.feature_row("PCA", 32, {}),
            "accuracies must be the dict",
        ),
    ],
)
def test_feature_table_refuses(call, message):
    row = features.feature_row("PCA", 32, ACCURACIES)
    with pytest.raises(ValueError, match=message):
        call(row)


# --- bad input of the probes ----------------------------------------------


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda c: features.linear_probe_accuracy(
                c, np.zeros(200, int), c, LABELS
            ),
            "single class",
        ),
        (
            lambda c: features.linear_probe_accuracy(
                c, LABELS, c[:, :2], LABELS
            ),
            "same encoder",
        ),
        (
            lambda c: features.linear_probe_accuracy(
                c[:, 0], LABELS, c, LABELS
            ),
            "one code per image",
        ),
        (
            lambda c: features.linear_probe_accuracy(
                c, LABELS, c, LABELS, max_iter=0
            ),
            "max_iter must be a positive integer",
        ),
        (
            lambda c: features.linear_probe_accuracy(
                c, LABELS * 1.0, c, LABELS
            ),
            "integer digits",
        ),
        (
            lambda c: features.probe_accuracies(
                c, LABELS, c, LABELS, 10, draws=0
            ),
            "draws must be a positive integer",
        ),
        (
            lambda c: features.probe_accuracies(
                c, LABELS, c, LABELS, 10, seed=-1
            ),
            "seed must be an integer",
        ),
        (
            lambda c: features.probe_accuracies(c, LABELS, c, LABELS, 300),
            "more than the 200",
        ),
        (
            lambda c: features.probe_accuracies(
                np.full_like(c, np.nan), LABELS, c, LABELS, 10
            ),
            "NaN",
        ),
    ],
)
def test_probes_refuse_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call(_separable_codes())
