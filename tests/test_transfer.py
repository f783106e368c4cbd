"""Tests of companion.transfer: a classifier made of a copy of an encoder,
frozen or fine-tuned, pretrained or from scratch.

Every model is small (a 784-64-30 encoder, or chapter 3's convolutional
one) and trains one epoch on 200 random images, so the file runs in
seconds on a CPU.
"""

import functools

import keras
import numpy as np
import pytest

from companion import config, models, transfer

RNG = np.random.default_rng(0)
FLAT = RNG.uniform(size=(200, 784)).astype("float32")
LABELS = np.arange(200) % 10


def _dense_encoder():
    config.set_seed(0)
    autoencoder = models.build_dense_autoencoder(
        (784,), 30, (64,), code_activation=None
    )
    return autoencoder.get_layer("encoder")


@functools.cache
def _conv_encoder():
    """Chapter 3's convolutional encoder, built once: the tests only copy
    it."""
    config.set_seed(0)
    return models.build_pooling_conv_autoencoder().get_layer("encoder")


def _train(model, epochs=1, learning_rate=1e-3):
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss="sparse_categorical_crossentropy",
    )
    model.fit(FLAT, LABELS, batch_size=50, epochs=epochs, verbose=0)


def _same(first, second):
    """True when two lists of weight arrays are equal."""
    return len(first) == len(second) and all(
        np.array_equal(a, b) for a, b in zip(first, second)
    )


def test_the_classifier_has_a_named_copy_with_the_encoder_s_weights():
    encoder = _dense_encoder()
    model = transfer.build_encoder_classifier(encoder)
    copy = model.get_layer("encoder")
    assert copy is not encoder
    assert _same(copy.get_weights(), encoder.get_weights())
    assert [layer.name for layer in model.layers] == [
        "image",
        "encoder",
        "flatten",
        "dropout",
        "probabilities",
    ]
    assert model.get_layer("dropout").rate == pytest.approx(0.2)
    assert model.name == "encoder_classifier"


def test_training_the_classifier_leaves_the_original_encoder_unchanged():
    encoder = _dense_encoder()
    before = encoder.get_weights()
    model = transfer.build_encoder_classifier(encoder)
    _train(model)
    assert _same(encoder.get_weights(), before)
    assert not _same(model.get_layer("encoder").get_weights(), before)


def test_a_frozen_encoder_stays_fixed_until_it_is_unfrozen():
    encoder = _dense_encoder()
    model = transfer.build_encoder_classifier(encoder, trainable_encoder=False)
    copy = model.get_layer("encoder")
    head = model.get_layer("probabilities")
    assert not copy.trainable
    head_before = head.get_weights()
    _train(model)
    assert _same(copy.get_weights(), encoder.get_weights())
    assert not _same(head.get_weights(), head_before)
    assert transfer.set_encoder_trainable(model, True) is model
    assert copy.trainable
    _train(model, learning_rate=1e-4)
    assert not _same(copy.get_weights(), encoder.get_weights())
    transfer.set_encoder_trainable(model, False)
    assert not copy.trainable and len(model.trainable_weights) == 2


def test_pretrained_false_starts_from_fresh_weights():
    encoder = _dense_encoder()
    config.set_seed(1)
    model = transfer.build_encoder_classifier(encoder, pretrained=False)
    copy = model.get_layer("encoder")
    kernels = [weight for weight in copy.get_weights() if weight.ndim == 2]
    originals = [w for w in encoder.get_weights() if w.ndim == 2]
    assert len(kernels) == len(originals) == 2
    for fresh, trained in zip(kernels, originals):
        assert fresh.shape == trained.shape
        assert not np.array_equal(fresh, trained)
    config.set_seed(1)
    again = transfer.build_encoder_classifier(encoder, pretrained=False)
    assert _same(again.get_weights(), model.get_weights())


@pytest.mark.parametrize("kind", ["dense", "conv"])
def test_outputs_are_class_probabilities(kind):
    if kind == "dense":
        encoder, images = _dense_encoder(), FLAT[:8]
    else:
        encoder, images = _conv_encoder(), FLAT[:8].reshape(8, 28, 28, 1)
    model = transfer.build_encoder_classifier(encoder, classes=3)
    assert tuple(model.input.shape[1:]) == images.shape[1:]
    probabilities = model.predict(images, verbose=0)
    assert probabilities.shape == (8, 3)
    assert np.all(probabilities >= 0)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, atol=1e-5)


def test_an_encoder_of_another_name_is_copied_as_encoder():
    encoder = _dense_encoder()
    renamed = keras.Model(encoder.inputs, encoder.outputs, name="pretrained")
    model = transfer.build_encoder_classifier(renamed, name="fine_tuned")
    assert model.name == "fine_tuned"
    assert _same(
        model.get_layer("encoder").get_weights(), encoder.get_weights()
    )


def test_a_saved_classifier_predicts_the_same(tmp_path):
    model = transfer.build_encoder_classifier(_conv_encoder())
    images = FLAT[:6].reshape(6, 28, 28, 1)
    path = tmp_path / "classifier.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    np.testing.assert_allclose(
        loaded.predict(images, verbose=0),
        model.predict(images, verbose=0),
        rtol=0,
        atol=0,
    )
    assert loaded.get_layer("encoder").name == "encoder"


def test_bad_encoders_and_models_are_refused():
    autoencoder = models.build_dense_autoencoder((784,), code_size=4)
    with pytest.raises(ValueError, match="whole autoencoder"):
        transfer.build_encoder_classifier(autoencoder)
    images = keras.Input(shape=(784,))
    two_outputs = keras.Model(
        images, [keras.layers.Dense(2)(images), keras.layers.Dense(2)(images)]
    )
    with pytest.raises(ValueError, match="2 outputs"):
        transfer.build_encoder_classifier(two_outputs)
    with pytest.raises(ValueError, match="classes must be at least 2"):
        transfer.build_encoder_classifier(_dense_encoder(), classes=1)
    with pytest.raises(ValueError, match="no layer named 'encoder'"):
        transfer.set_encoder_trainable(autoencoder.get_layer("decoder"), True)
