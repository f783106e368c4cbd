"""Model builders: dense encoders, decoders and autoencoders (Keras Functional
API).

Every builder returns a ``keras.Model`` built with the Functional API, so
``model.summary()`` shows each layer and its parameter count. Autoencoders are
made of two named sub-models, ``"encoder"`` and ``"decoder"``, so that codes
can be computed and decoded on their own::

    autoencoder = models.build_dense_autoencoder((784,), code_size=32)
    encoder = autoencoder.get_layer("encoder")
    decoder = autoencoder.get_layer("decoder")

Introduced in chapter 1, "The vanilla autoencoder".
"""

import math

import keras
import numpy as np

from companion.checks import (
    check_finite_array,
    check_images,
    check_model,
    check_name,
    check_positive_int,
    check_sizes,
)


def _check_shape(shape, name):
    shape = tuple(shape) if isinstance(shape, (tuple, list)) else (shape,)
    for size in shape:
        check_positive_int(size, f"every entry of {name}")
    return shape


def _check_sizes(sizes, name):
    return check_sizes(sizes, name)


def _check_activation(activation, name):
    if activation is None:
        return None
    try:
        keras.activations.get(activation)
    except (ValueError, TypeError) as error:
        raise ValueError(
            f"{name}={activation!r} is not a Keras activation ({error})."
        ) from error
    return activation


def build_dense_encoder(
    input_shape=(784,),
    code_size=32,
    hidden_sizes=(),
    activation="relu",
    code_activation="relu",
    name="encoder",
):
    """Build a dense encoder: flatten the input, then hidden layers, then the
    code layer.

    ``input_shape`` may be flat (``(784,)``) or an image (``(28, 28, 1)``); a
    ``Flatten`` layer is added for images. ``code_activation=None`` gives a
    linear code.

    Introduced in chapter 1.
    """
    input_shape = _check_shape(input_shape, "input_shape")
    check_positive_int(code_size, "code_size")
    hidden_sizes = _check_sizes(hidden_sizes, "hidden_sizes")
    _check_activation(activation, "activation")
    _check_activation(code_activation, "code_activation")
    check_name(name, "name")

    inputs = keras.Input(shape=input_shape, name="image")
    hidden = (
        keras.layers.Flatten(name="flatten")(inputs)
        if len(input_shape) > 1
        else inputs
    )
    for index, size in enumerate(hidden_sizes, start=1):
        hidden = keras.layers.Dense(
            size, activation=activation, name=f"encoder_hidden_{index}"
        )(hidden)
    code = keras.layers.Dense(
        code_size, activation=code_activation, name="code"
    )(hidden)
    return keras.Model(inputs, code, name=name)


def build_dense_decoder(
    code_size=32,
    output_shape=(784,),
    hidden_sizes=(),
    activation="relu",
    output_activation="sigmoid",
    name="decoder",
):
    """Build a dense decoder: hidden layers, then one unit per pixel, reshaped
    to ``output_shape``.

    ``hidden_sizes`` are listed from the code outwards (e.g. ``(100,)`` for
    20-100-784). ``output_activation="sigmoid"`` keeps pixels in (0, 1).

    Introduced in chapter 1.
    """
    check_positive_int(code_size, "code_size")
    output_shape = _check_shape(output_shape, "output_shape")
    hidden_sizes = _check_sizes(hidden_sizes, "hidden_sizes")
    _check_activation(activation, "activation")
    _check_activation(output_activation, "output_activation")
    check_name(name, "name")

    codes = keras.Input(shape=(code_size,), name="code")
    hidden = codes
    for index, size in enumerate(hidden_sizes, start=1):
        hidden = keras.layers.Dense(
            size, activation=activation, name=f"decoder_hidden_{index}"
        )(hidden)
    pixels = keras.layers.Dense(
        math.prod(output_shape), activation=output_activation, name="pixels"
    )(hidden)
    if len(output_shape) > 1:
        pixels = keras.layers.Reshape(output_shape, name="reshape")(pixels)
    return keras.Model(codes, pixels, name=name)


def join_autoencoder(encoder, decoder, name="autoencoder"):
    """Chain an encoder and a decoder into one autoencoder model.

    Checks that the encoder's code size matches the decoder's input and that
    the decoder reproduces the encoder's input shape.

    Introduced in chapter 1.
    """
    check_model(encoder, "encoder")
    check_model(decoder, "decoder")
    check_name(name, "name")
    input_shape = check_autoencoder_parts(
        encoder, decoder, "join_autoencoder(encoder, decoder)"
    )
    inputs = keras.Input(shape=input_shape, name="image")
    return keras.Model(inputs, decoder(encoder(inputs)), name=name)


def check_autoencoder_parts(encoder, decoder, call=None):
    """Check that ``encoder`` and ``decoder`` make an autoencoder and return
    the shape of its images (without the batch axis).

    Both must be built Keras models, passed in that order (a model named
    ``"decoder"`` given as the encoder, or one named ``"encoder"`` as the
    decoder, is refused as swapped; ``call``, such as
    ``"join_autoencoder(encoder, decoder)"``, shows the right order);
    the decoder must take the encoder's code and output the encoder's input
    shape.

    Introduced in chapter 1 (in ``join_autoencoder``); shared by the
    composite models of chapters 6 and 12.
    """
    check_model(encoder, "encoder", built=True)
    check_model(decoder, "decoder", built=True)
    if encoder.name == "decoder" or decoder.name == "encoder":
        order = f"call {call}" if call else "pass them"
        raise ValueError(
            f"encoder and decoder look swapped: the encoder is named "
            f"{encoder.name!r} and the decoder {decoder.name!r}; {order}, "
            "encoder first."
        )
    code_shape = tuple(encoder.output.shape[1:])
    decoder_input_shape = tuple(decoder.input.shape[1:])
    if code_shape != decoder_input_shape:
        raise ValueError(
            f"the encoder's code has shape {code_shape} but the decoder "
            f"expects {decoder_input_shape}."
        )
    input_shape = tuple(encoder.input.shape[1:])
    output_shape = tuple(decoder.output.shape[1:])
    if input_shape != output_shape:
        raise ValueError(
            f"the decoder outputs shape {output_shape}, not the encoder's "
            f"input shape {input_shape}."
        )
    return input_shape


def build_dense_autoencoder(
    input_shape=(784,),
    code_size=32,
    hidden_sizes=(),
    activation="relu",
    code_activation="relu",
    output_activation="sigmoid",
    name="autoencoder",
):
    """Build a symmetric dense autoencoder from an encoder and a mirrored
    decoder.

    ``hidden_sizes`` lists the encoder's hidden layers from the input inwards;
    the decoder uses them in reverse. With ``hidden_sizes=()`` this is the
    single-hidden-layer autoencoder, input-code-output.

    Introduced in chapter 1.
    """
    hidden_sizes = _check_sizes(hidden_sizes, "hidden_sizes")
    check_name(name, "name")
    encoder = build_dense_encoder(
        input_shape, code_size, hidden_sizes, activation, code_activation
    )
    decoder = build_dense_decoder(
        code_size,
        input_shape,
        tuple(reversed(hidden_sizes)),
        activation,
        output_activation,
    )
    return join_autoencoder(encoder, decoder, name=name)


def check_model_input(model, images, name="images"):
    """Check that ``images`` fit ``model``'s input shape and lie in [0, 1];
    return them as an array.

    Introduced in chapter 1.
    """
    check_model(model, "model", built=True)
    images = check_images(images, name)
    expected = tuple(model.input.shape[1:])
    if tuple(images.shape[1:]) != expected:
        raise ValueError(
            f"{name} has shape {images.shape}, but {model.name} expects "
            f"inputs of shape (n, {', '.join(map(str, expected))}); load "
            "MNIST with shape='flat' for (n, 784) or "
            "shape='image' for (n, 28, 28, 1)."
        )
    return images


def reconstruct(model, images, batch_size=1024):
    """Run ``model`` on ``images`` (checked first) and return the outputs as a
    float32 NumPy array.

    Introduced in chapter 1.
    """
    check_model(model, "model")
    images = check_model_input(model, images)
    check_positive_int(batch_size, "batch_size")
    return np.asarray(
        model.predict(images, batch_size=batch_size, verbose=0),
        dtype="float32",
    )


def encode(encoder, images, batch_size=1024):
    """Return the codes of ``images`` under ``encoder`` as a float32 NumPy
    array.

    Introduced in chapter 1.
    """
    check_model(encoder, "encoder")
    return reconstruct(encoder, images, batch_size)


def decode(decoder, codes, batch_size=1024):
    """Decode ``codes`` (shape ``(n, code_size)``, or ``(n,) +`` the decoder's
    input shape) into images.

    Flat codes are reshaped to the decoder's input shape, so a convolutional
    decoder also takes codes that were flattened for interpolation.

    Introduced in chapter 1.
    """
    check_model(decoder, "decoder")
    codes = check_finite_array(codes, "codes").astype("float32")
    expected = tuple(decoder.input.shape[1:])
    size = math.prod(expected)
    if codes.ndim >= 2 and tuple(codes.shape[1:]) in (expected, (size,)):
        codes = codes.reshape((len(codes),) + expected)
    else:
        shapes = f"(n, {size})" + (
            f" or (n, {', '.join(map(str, expected))})"
            if len(expected) > 1
            else ""
        )
        raise ValueError(
            f"{decoder.name} expects codes of shape {shapes}, got "
            f"{codes.shape}."
        )
    if not np.all(np.isfinite(codes)):
        raise ValueError("codes contain NaN or infinite values.")
    check_positive_int(batch_size, "batch_size")
    return np.asarray(
        decoder.predict(codes, batch_size=batch_size, verbose=0),
        dtype="float32",
    )


def count_parameters(model):
    """Return the number of trainable parameters of ``model``.

    Introduced in chapter 1.
    """
    check_model(model, "model")
    return int(
        sum(math.prod(weight.shape) for weight in model.trainable_weights)
    )


def build_pooling_conv_autoencoder(
    filters=(16, 8, 8),
    kernel_size=3,
    activation="relu",
    output_activation="sigmoid",
    name="conv_autoencoder",
):
    """Build the classic convolutional autoencoder with max pooling and
    upsampling for 28x28x1 images.

    Encoder: for each entry of ``filters``, a 'same' convolution and a 2x2 max
    pooling ('same' padding), 28 -> 14 -> 7 -> 4. With the default filters the
    code is 4x4x8 = 128 numbers. The decoder mirrors it with upsampling; one
    'valid' convolution (16 -> 14) brings 4 -> 8 -> 16 back to 28 after the
    last upsampling. About 4,400 parameters with the defaults.

    Introduced in chapter 3, "Convolutional autoencoders".
    """
    filters = _check_sizes(filters, "filters")
    if len(filters) != 3:
        raise ValueError(
            "filters must list 3 filter counts (28 -> 14 -> 7 -> 4), got "
            f"{filters}."
        )
    check_positive_int(kernel_size, "kernel_size")
    if kernel_size != 3:
        raise ValueError(
            f"kernel_size must be 3 in this model, got {kernel_size}: its "
            "last 'valid' convolution must turn 16x16 maps into 14x14 ones, "
            "which upsample to 28x28."
        )
    _check_activation(activation, "activation")
    _check_activation(output_activation, "output_activation")
    check_name(name, "name")

    images = keras.Input(shape=(28, 28, 1), name="image")
    hidden = images
    for index, count in enumerate(filters, start=1):
        hidden = keras.layers.Conv2D(
            count,
            kernel_size,
            activation=activation,
            padding="same",
            name=f"conv_{index}",
        )(hidden)
        hidden = keras.layers.MaxPooling2D(
            2, padding="same", name=f"pool_{index}"
        )(hidden)
    encoder = keras.Model(images, hidden, name="encoder")

    code_shape = tuple(hidden.shape[1:])
    codes = keras.Input(shape=code_shape, name="code")
    hidden = codes
    reversed_filters = tuple(reversed(filters))
    for index, count in enumerate(reversed_filters, start=1):
        last = index == len(reversed_filters)
        # The last convolution is 'valid': 16x16 -> 14x14, so that upsampling
        # gives 28x28.
        hidden = keras.layers.Conv2D(
            count,
            kernel_size,
            activation=activation,
            padding="valid" if last else "same",
            name=f"deconv_{index}",
        )(hidden)
        hidden = keras.layers.UpSampling2D(2, name=f"upsample_{index}")(hidden)
    pixels = keras.layers.Conv2D(
        1,
        kernel_size,
        activation=output_activation,
        padding="same",
        name="pixels",
    )(hidden)
    decoder = keras.Model(codes, pixels, name="decoder")
    return join_autoencoder(encoder, decoder, name=name)


def build_strided_conv_autoencoder(
    filters=(32, 16, 8),
    kernel_size=5,
    strides=(2, 2, 4),
    activation="relu",
    output_activation="sigmoid",
    image_side=32,
    name="strided_autoencoder",
):
    """Build a convolutional autoencoder that downsamples with strides and
    upsamples with transposed convolutions.

    With the defaults (32x32x1 inputs, 5x5 kernels, strides 2, 2, 4) the
    feature maps go 32 -> 16 -> 8 -> 2 and the code is 2x2x8 = 32 numbers; the
    decoder mirrors it with ``Conv2DTranspose``. ``output_activation`` is
    ``"sigmoid"`` for targets in [0, 1] (``"tanh"`` reproduces an old mistake).

    Introduced in chapter 3, "Convolutional autoencoders".
    """
    filters = _check_sizes(filters, "filters")
    strides = _check_sizes(strides, "strides")
    if len(filters) != len(strides):
        raise ValueError(
            f"filters and strides must have the same length, got {filters} "
            f"and {strides}."
        )
    check_positive_int(kernel_size, "kernel_size")
    check_positive_int(image_side, "image_side")
    if image_side % math.prod(strides):
        raise ValueError(
            f"image_side ({image_side}) must be divisible by the product of "
            f"strides {strides}."
        )
    _check_activation(activation, "activation")
    _check_activation(output_activation, "output_activation")
    check_name(name, "name")

    images = keras.Input(shape=(image_side, image_side, 1), name="image")
    hidden = images
    for index, (count, stride) in enumerate(zip(filters, strides), start=1):
        hidden = keras.layers.Conv2D(
            count,
            kernel_size,
            strides=stride,
            padding="same",
            activation=activation,
            name=f"conv_{index}",
        )(hidden)
    encoder = keras.Model(images, hidden, name="encoder")

    codes = keras.Input(shape=tuple(hidden.shape[1:]), name="code")
    hidden = codes
    up_filters = tuple(reversed(filters[:-1])) + (1,)
    for index, (count, stride) in enumerate(
        zip(up_filters, reversed(strides)), start=1
    ):
        last = index == len(up_filters)
        hidden = keras.layers.Conv2DTranspose(
            count,
            kernel_size,
            strides=stride,
            padding="same",
            activation=output_activation if last else activation,
            name="pixels" if last else f"deconv_{index}",
        )(hidden)
    decoder = keras.Model(codes, hidden, name="decoder")
    return join_autoencoder(encoder, decoder, name=name)


def build_denoising_conv_autoencoder(
    filters=32,
    kernel_size=3,
    activation="relu",
    output_activation="sigmoid",
    name="denoising_autoencoder",
):
    """Build the Keras blog's convolutional denoising autoencoder for 28x28x1
    images.

    Encoder: two blocks of a 'same' convolution with ``filters`` channels and a
    2x2 max pooling, 28 -> 14 -> 7, so the code is 7x7x``filters`` (7x7x32 =
    1,568 numbers with the default: larger than the image, a denoiser needs no
    bottleneck). Decoder: two blocks of a 'same' convolution and a 2x2
    upsampling, 7 -> 14 -> 28, then a one-channel convolution with
    ``output_activation``. 28,353 parameters with the defaults.

    Introduced in chapter 5, "Denoising autoencoders".
    """
    check_positive_int(filters, "filters")
    check_positive_int(kernel_size, "kernel_size")
    _check_activation(activation, "activation")
    _check_activation(output_activation, "output_activation")
    check_name(name, "name")

    images = keras.Input(shape=(28, 28, 1), name="image")
    hidden = images
    for index in (1, 2):
        hidden = keras.layers.Conv2D(
            filters,
            kernel_size,
            activation=activation,
            padding="same",
            name=f"conv_{index}",
        )(hidden)
        hidden = keras.layers.MaxPooling2D(
            2, padding="same", name=f"pool_{index}"
        )(hidden)
    encoder = keras.Model(images, hidden, name="encoder")

    codes = keras.Input(shape=tuple(hidden.shape[1:]), name="code")
    hidden = codes
    for index in (1, 2):
        hidden = keras.layers.Conv2D(
            filters,
            kernel_size,
            activation=activation,
            padding="same",
            name=f"deconv_{index}",
        )(hidden)
        hidden = keras.layers.UpSampling2D(2, name=f"upsample_{index}")(hidden)
    pixels = keras.layers.Conv2D(
        1,
        kernel_size,
        activation=output_activation,
        padding="same",
        name="pixels",
    )(hidden)
    decoder = keras.Model(codes, pixels, name="decoder")
    return join_autoencoder(encoder, decoder, name=name)


def serialize_parts(model, parts):
    """The sub-models ``parts`` (attribute names such as ``"encoder"``) of
    a composite Keras model, serialised for its ``get_config``.

    Introduced in chapter 8, "Variational autoencoders", for the models
    that hold an encoder and a decoder as attributes.
    """
    for part in parts:
        check_model(getattr(model, part, None), part)
    return {
        part: keras.saving.serialize_keras_object(getattr(model, part))
        for part in parts
    }


def deserialize_parts(config, parts):
    """A copy of ``config`` with the sub-models ``parts`` rebuilt, for a
    composite model's ``from_config``.

    Introduced in chapter 8.
    """
    config = dict(config)
    for part in parts:
        if part not in config:
            raise ValueError(
                f"config has no {part!r}; it must come from get_config."
            )
        config[part] = keras.saving.deserialize_keras_object(config[part])
    return config
