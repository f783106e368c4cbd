"""Fine-tuning a pretrained encoder: a classifier made of a copy of an
autoencoder's encoder and a softmax layer, trained with the encoder frozen
or free.

The copy starts from the encoder's weights (or, for the comparison "the
same network trained from scratch", from fresh ones), so training the
classifier never changes the autoencoder. As in Keras' transfer-learning
guide, the usual recipe trains the new layer with the encoder frozen, then
unfreezes the encoder (``set_encoder_trainable``), compiles again with a
small learning rate and trains everything a little more.

Introduced in chapter 12, "Codes as features".
"""

import keras

from companion.checks import (
    DIGITS,
    check_bool,
    check_classifier_head,
    check_model,
    check_name,
)

ENCODER = "encoder"
"""The name of the encoder's copy inside a ``build_encoder_classifier``
model: ``model.get_layer(ENCODER)``."""


def _check_encoder(encoder):
    """Raise unless ``encoder`` is a built model with one input and one
    output, and not a whole autoencoder."""
    check_model(encoder, "encoder", built=True)
    if len(encoder.inputs) != 1 or len(encoder.outputs) != 1:
        raise ValueError(
            f"encoder ({encoder.name!r}) has {len(encoder.inputs)} inputs "
            f"and {len(encoder.outputs)} outputs; pass a model from images "
            "to one code (for a VAE's encoder, keras.Model(encoder.input, "
            "encoder.output[0]) keeps the mean)."
        )
    if any(layer.name in (ENCODER, "decoder") for layer in encoder.layers):
        raise ValueError(
            f"encoder ({encoder.name!r}) holds an encoder and a decoder: it "
            "is a whole autoencoder; pass autoencoder.get_layer('encoder')."
        )


def build_encoder_classifier(
    encoder,
    classes=DIGITS,
    dropout=0.2,
    trainable_encoder=True,
    pretrained=True,
    name="encoder_classifier",
):
    """A classifier of images: a copy of ``encoder``, then flatten, dropout
    and a softmax layer of ``classes`` units (named ``"probabilities"``).

    The copy (``keras.models.clone_model``) is named ``"encoder"``, so
    ``model.get_layer("encoder")`` finds it, and is a separate network:
    training the classifier never changes ``encoder``. With
    ``pretrained=True`` it starts from ``encoder``'s weights; with
    ``pretrained=False`` from freshly initialised ones (seeded by
    ``config.set_seed``): the same network, trained from scratch.
    ``trainable_encoder=False`` freezes the copy, so that only the softmax
    layer learns. The model takes ``encoder``'s input shape and is not
    compiled.

    Introduced in chapter 12.
    """
    _check_encoder(encoder)
    classes, rate = check_classifier_head(classes, dropout)
    check_bool(trainable_encoder, "trainable_encoder")
    check_bool(pretrained, "pretrained")
    check_name(name, "name")
    clone = keras.models.clone_model(encoder)
    # One input and one output, not lists of one, under the name "encoder".
    copy = keras.Model(clone.inputs[0], clone.outputs[0], name=ENCODER)
    if pretrained:
        copy.set_weights(encoder.get_weights())
    copy.trainable = bool(trainable_encoder)
    images = keras.Input(
        shape=tuple(copy.input.shape[1:]), dtype=copy.input.dtype, name="image"
    )
    hidden = keras.layers.Flatten(name="flatten")(copy(images))
    hidden = keras.layers.Dropout(rate, name="dropout")(hidden)
    probabilities = keras.layers.Dense(
        classes, activation="softmax", name="probabilities"
    )(hidden)
    return keras.Model(images, probabilities, name=name)


def set_encoder_trainable(model, trainable):
    """Freeze (``trainable=False``) or unfreeze the ``"encoder"`` layer of
    a ``build_encoder_classifier`` model; returns the model.

    Compile the model again afterwards, before ``fit``: as Keras'
    transfer-learning guide says, a change of ``trainable`` takes effect in
    training only when the model is compiled (and compiling again resets
    the optimizer; give the fine-tuning a small learning rate).

    Introduced in chapter 12.
    """
    check_model(model, "model")
    check_bool(trainable, "trainable")
    try:
        encoder = model.get_layer(ENCODER)
    except ValueError:
        raise ValueError(
            f"model ({model.name!r}) has no layer named {ENCODER!r}; pass a "
            "classifier made by build_encoder_classifier."
        ) from None
    encoder.trainable = bool(trainable)
    return model
