"""Tied weights and greedy layer-wise pre-training of deep dense
autoencoders.

Two ideas from the years before deep autoencoders trained well end to end:

* **Tied weights.** The decoder reuses the encoder's kernels, transposed,
  with biases of its own, so a deep autoencoder has about half the
  parameters. ``TiedDense`` is one such layer, called once forwards and
  once with ``transpose=True``; ``build_tied_autoencoder`` stacks them::

      autoencoder = layerwise.build_tied_autoencoder(hidden_sizes=(128, 64))
      encoder = layerwise.tied_encoder(autoencoder)
      codes = models.encode(encoder, x_test)

* **Greedy layer-wise pre-training** (Bengio et al., 2007, with shallow
  autoencoders in place of Hinton and Salakhutdinov's RBMs): train a
  shallow autoencoder on the images, then another on its codes, and so on;
  then copy the layers into one deep autoencoder to fine-tune::

      sizes = (1000, 500, 250, 30)
      levels = layerwise.pretrain_layers(x_train, sizes, epochs=5)
      deep = models.build_dense_autoencoder(
          (784,), code_size=sizes[-1], hidden_sizes=sizes[:-1],
          code_activation=None,
      )
      layerwise.load_pretrained(deep, levels)

Nothing here calls TensorFlow directly, so the same code runs on the
TensorFlow and on the JAX backend.

Introduced in chapter 2, "Multilayer autoencoders".
"""

import collections.abc
import time
from dataclasses import dataclass, field

import keras
import numpy as np
from keras import ops

from companion import config
from companion.checks import (
    check_bool,
    check_finite_array,
    check_images,
    check_model,
    check_name,
    check_positive_int,
    check_positive_number,
    check_seed,
    check_sizes,
)
from companion.models import _check_activation

VERBOSITIES = (0, 1, 2, "auto")
"""The values ``pretrain_layers`` passes on to ``model.fit(verbose=...)``."""


def _activation_name(activation):
    """A Keras activation as it is written in a config (``None``: linear)."""
    return keras.activations.serialize(keras.activations.get(activation))


@keras.saving.register_keras_serializable(package="companion")
class TiedDense(keras.layers.Layer):
    """A dense layer whose kernel also serves, transposed, as its mirror
    image in the decoder.

    ``layer(x)`` computes ``activation(x @ kernel + bias)``, from the
    input's ``d`` values to ``units``; ``layer(code, transpose=True)``
    computes ``transpose_activation(code @ kernel.T + transpose_bias)``,
    from ``units`` values back to ``d``. The two directions share the
    kernel (``d * units`` numbers) and have a bias each (``units`` and
    ``d`` numbers). Call the layer forwards first: that call sets ``d``.

    In a Functional model the layer is called twice, so ``.keras`` files
    keep the tie: the loaded model has one kernel per layer, used both
    ways. Registered for ``.keras`` files under the package name
    ``"companion"``.

    Introduced in chapter 2.
    """

    def __init__(
        self, units, activation=None, transpose_activation=None, **kwargs
    ):
        super().__init__(**kwargs)
        check_positive_int(units, "units")
        _check_activation(activation, "activation")
        _check_activation(transpose_activation, "transpose_activation")
        self.units = int(units)
        self.activation = keras.activations.get(activation)
        self.transpose_activation = keras.activations.get(transpose_activation)

    def build(self, input_shape):
        input_dim = input_shape[-1]
        if input_dim is None:
            raise ValueError(
                f"TiedDense {self.name!r} needs inputs whose last axis has a "
                f"known size, got shape {tuple(input_shape)}."
            )
        self.kernel = self.add_weight(
            shape=(input_dim, self.units),
            initializer="glorot_uniform",
            name="kernel",
        )
        self.bias = self.add_weight(
            shape=(self.units,), initializer="zeros", name="bias"
        )
        self.transpose_bias = self.add_weight(
            shape=(input_dim,), initializer="zeros", name="transpose_bias"
        )

    def __call__(self, inputs, transpose=False, **kwargs):
        check_bool(transpose, "transpose")
        if transpose and not self.built:
            raise ValueError(
                f"TiedDense {self.name!r} was called with transpose=True "
                "before it was built: call it forwards first, layer(x), "
                "which sets the size of its kernel."
            )
        if self.built:
            self._check_size(inputs, transpose)
        return super().__call__(inputs, transpose=transpose, **kwargs)

    def _check_size(self, inputs, transpose):
        """Raise unless the inputs' last axis fits the kernel's side."""
        shape = getattr(inputs, "shape", None)
        if shape is None:
            shape = np.shape(inputs)
        size = tuple(shape)[-1] if len(shape) else None
        input_dim, units = self.kernel.shape
        expected = units if transpose else input_dim
        if size is not None and size != expected:
            direction = (
                "transposed (transpose=True)" if transpose else "forward"
            )
            raise ValueError(
                f"the {direction} call of TiedDense {self.name!r} takes "
                f"inputs with {expected} values on the last axis, got shape "
                f"{tuple(shape)}."
            )

    def call(self, inputs, transpose=False):
        if transpose:
            outputs = ops.matmul(inputs, ops.transpose(self.kernel))
            return self.transpose_activation(outputs + self.transpose_bias)
        outputs = ops.matmul(inputs, self.kernel)
        return self.activation(outputs + self.bias)

    def get_config(self):
        return {
            **super().get_config(),
            "units": self.units,
            "activation": keras.activations.serialize(self.activation),
            "transpose_activation": keras.activations.serialize(
                self.transpose_activation
            ),
        }


def build_tied_autoencoder(
    input_dim=784,
    code_size=32,
    hidden_sizes=(),
    activation="relu",
    code_activation="relu",
    output_activation="sigmoid",
    name="tied_autoencoder",
):
    """Build a dense autoencoder whose decoder reuses the encoder's kernels,
    transposed.

    The model is flat: ``input_dim`` values in, the same number out. The
    encoder is a ``TiedDense`` layer per entry of ``hidden_sizes``
    (``"tied_1"``, ``"tied_2"``, ...; activation ``activation``), then one
    of ``code_size`` units (``"code"``; ``code_activation``, ``None`` for
    a linear code). The decoder calls the same layers in reverse order
    with ``transpose=True``: each gives back its own input size, with
    ``activation``, except the first layer's, which gives the pixels with
    ``output_activation``. For 784-128-64-32 that is 111,792 parameters
    against 222,384 for ``models.build_dense_autoencoder`` with the same
    sizes. The model is not compiled; ``tied_encoder`` gives its encoder.

    Introduced in chapter 2.
    """
    check_positive_int(input_dim, "input_dim")
    check_positive_int(code_size, "code_size")
    hidden_sizes = check_sizes(hidden_sizes, "hidden_sizes")
    _check_activation(activation, "activation")
    _check_activation(code_activation, "code_activation")
    _check_activation(output_activation, "output_activation")
    check_name(name, "name")

    sizes = hidden_sizes + (code_size,)
    layers = []
    for index, size in enumerate(sizes):
        last = index == len(sizes) - 1
        layers.append(
            TiedDense(
                size,
                activation=code_activation if last else activation,
                transpose_activation=(
                    output_activation if index == 0 else activation
                ),
                name="code" if last else f"tied_{index + 1}",
            )
        )
    inputs = keras.Input(shape=(input_dim,), name="image")
    hidden = inputs
    for layer in layers:
        hidden = layer(hidden)
    for layer in reversed(layers):
        hidden = layer(hidden, transpose=True)
    return keras.Model(inputs, hidden, name=name)


def _tied_layers(model, name="model"):
    """The ``TiedDense`` layers of a tied autoencoder, input to code."""
    check_model(model, name, built=True)
    layers = [layer for layer in model.layers if isinstance(layer, TiedDense)]
    names = [layer.name for layer in layers]
    expected = [f"tied_{index}" for index in range(1, len(layers))]
    if not layers or names != expected + ["code"]:
        found = f"TiedDense layers {names}" if names else "no TiedDense layer"
        raise ValueError(
            f"{name} ({model.name!r}) must be a tied autoencoder made by "
            "layerwise.build_tied_autoencoder (TiedDense layers 'tied_1', "
            f"..., 'code'); it has {found}."
        )
    return layers


def tied_encoder(model, name="encoder"):
    """Return the encoder of a tied autoencoder: a ``keras.Model`` from its
    input to the forward output of its ``"code"`` layer.

    The encoder shares its layers (and so its weights) with ``model``;
    ``models.encode(encoder, images)`` gives the codes.

    Introduced in chapter 2.
    """
    layers = _tied_layers(model)
    check_name(name, "name")
    inputs = keras.Input(shape=tuple(model.input.shape[1:]), name="image")
    hidden = inputs
    for layer in layers:
        hidden = layer(hidden)
    return keras.Model(inputs, hidden, name=name)


@dataclass
class PretrainedLevel:
    """One level of greedy layer-wise pre-training: a shallow autoencoder
    ``input_size -> size -> input_size`` and how its training went.

    ``encoder_weights`` and ``decoder_weights`` are ``[kernel, bias]`` as
    NumPy arrays (kernels of shape ``(input_size, size)`` and
    ``(size, input_size)``); ``activation`` and ``decoder_activation`` are
    the two layers' activations as Keras names (``"linear"`` for none);
    ``losses`` holds the training loss after each epoch and ``seconds``
    the training time.

    Introduced in chapter 2.
    """

    input_size: int
    size: int
    encoder_weights: list
    decoder_weights: list
    activation: str
    decoder_activation: str
    losses: list = field(default_factory=list)
    seconds: float = 0.0

    @property
    def loss(self):
        """The training loss after the last epoch."""
        return self.losses[-1]

    def encode(self, inputs):
        """This level's codes of ``inputs`` (shape ``(n, input_size)``), as
        a NumPy array: ``activation(inputs @ kernel + bias)``."""
        return _dense(inputs, "inputs", self.encoder_weights, self.activation)

    def decode(self, codes):
        """This level's reconstructions of ``codes`` (shape ``(n, size)``),
        as a NumPy array."""
        return _dense(
            codes, "codes", self.decoder_weights, self.decoder_activation
        )


def _dense(values, name, weights, activation):
    kernel, bias = (np.asarray(weight) for weight in weights)
    values = check_finite_array(
        values, name, ndim=2, shape_text=f"(n, {kernel.shape[0]})"
    )
    if values.shape[1] != kernel.shape[0]:
        raise ValueError(
            f"{name} must have shape (n, {kernel.shape[0]}), got shape "
            f"{values.shape}."
        )
    outputs = values.astype("float32") @ kernel + bias
    function = keras.activations.get(activation)
    return np.asarray(ops.convert_to_numpy(function(outputs)))


def _check_activations(activations, count):
    """The activations of ``count`` hidden layers: one name or one each."""
    if activations is None:
        return ("relu",) * count
    if isinstance(activations, str):
        _check_activation(activations, "activations")
        return (activations,) * count
    if not isinstance(activations, (tuple, list)):
        raise ValueError(
            "activations must be None (ReLU), one Keras activation name "
            f"such as 'relu', or one name per hidden layer, got "
            f"{activations!r}."
        )
    if len(activations) != count:
        raise ValueError(
            f"activations must give one activation per hidden layer "
            f"(len(sizes) - 1 = {count}), got {len(activations)}."
        )
    for activation in activations:
        _check_activation(activation, "every entry of activations")
    return tuple(activations)


def _check_verbose(verbose):
    if verbose is None:
        return config.keras_verbosity()
    if isinstance(verbose, bool) or verbose not in VERBOSITIES:
        raise ValueError(
            "verbose must be 0 (silent), 1, 2, 'auto' or None (follow "
            f"AUTOENCODERS_PROGRESS), got {verbose!r}."
        )
    return verbose


def _shallow_autoencoder(input_size, size, activation, decoder_activation):
    inputs = keras.Input(shape=(input_size,), name="inputs")
    code = keras.layers.Dense(size, activation=activation, name="encoder")(
        inputs
    )
    outputs = keras.layers.Dense(
        input_size, activation=decoder_activation, name="decoder"
    )(code)
    return keras.Model(inputs, outputs, name=f"shallow_{size}")


def pretrain_layers(
    images,
    sizes=(1000, 500, 250, 30),
    activations=None,
    code_activation=None,
    output_activation="sigmoid",
    epochs=5,
    batch_size=128,
    learning_rate=1e-3,
    seed=0,
    verbose=None,
):
    """Pre-train a deep dense encoder one layer at a time, with shallow
    autoencoders, and return a list of ``PretrainedLevel``, one per entry of
    ``sizes``.

    Level 1 trains ``images -> Dense(sizes[0]) -> Dense(n_pixels,
    output_activation)``. Level ``i > 1`` computes the codes of level
    ``i - 1`` once and trains ``codes -> Dense(sizes[i - 1]) ->
    Dense(sizes[i - 2])`` on them; its decoder uses the activation of the
    layer it reconstructs, so that it is exactly the mirrored layer of the
    deep decoder. Hidden layers use ``activations`` (``None``: ReLU for
    all; or one name, or one per hidden layer); the last level's encoder
    uses ``code_activation`` (``None``: linear, as in Hinton and
    Salakhutdinov's 784-1000-500-250-30). Each level trains for ``epochs``
    with Adam (``learning_rate``) on the mean squared error, after
    ``config.set_seed(seed)``. ``verbose`` is passed to ``fit``; ``None``
    follows ``AUTOENCODERS_PROGRESS``, like ``training.fit_autoencoder``.

    ``images`` are flat, shape ``(n, n_pixels)``, with values in [0, 1].
    ``load_pretrained`` copies the levels into a deep autoencoder.

    Introduced in chapter 2.
    """
    images = check_images(images, "images")
    if images.ndim != 2:
        raise ValueError(
            f"images must be flat, shape (n, pixels), got shape "
            f"{images.shape}; use images.reshape(len(images), -1) or load "
            "MNIST with shape='flat'."
        )
    sizes = check_sizes(sizes, "sizes")
    if not sizes:
        raise ValueError(
            "sizes is empty: give the size of each encoder layer, such as "
            "(1000, 500, 250, 30)."
        )
    hidden_activations = _check_activations(activations, len(sizes) - 1)
    _check_activation(code_activation, "code_activation")
    _check_activation(output_activation, "output_activation")
    epochs = check_positive_int(epochs, "epochs")
    batch_size = check_positive_int(batch_size, "batch_size")
    learning_rate = check_positive_number(learning_rate, "learning_rate")
    seed = check_seed(seed)
    verbose = _check_verbose(verbose)

    encoder_activations = hidden_activations + (code_activation,)
    decoder_activations = (output_activation,) + hidden_activations
    inputs = images.astype("float32")
    levels = []
    for index, size in enumerate(sizes):
        config.set_seed(seed)
        input_size = inputs.shape[1]
        model = _shallow_autoencoder(
            input_size,
            size,
            encoder_activations[index],
            decoder_activations[index],
        )
        model.compile(
            optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
            loss="mse",
        )
        start = time.perf_counter()
        history = model.fit(
            inputs,
            inputs,
            epochs=epochs,
            batch_size=batch_size,
            shuffle=True,
            verbose=verbose,
        )
        seconds = time.perf_counter() - start
        encoder = model.get_layer("encoder")
        decoder = model.get_layer("decoder")
        levels.append(
            PretrainedLevel(
                input_size=int(input_size),
                size=size,
                encoder_weights=encoder.get_weights(),
                decoder_weights=decoder.get_weights(),
                activation=_activation_name(encoder_activations[index]),
                decoder_activation=_activation_name(
                    decoder_activations[index]
                ),
                losses=[float(value) for value in history.history["loss"]],
                seconds=seconds,
            )
        )
        if index < len(sizes) - 1:
            codes = keras.Model(model.input, encoder.output)
            inputs = np.asarray(
                codes.predict(inputs, batch_size=1024, verbose=0),
                dtype="float32",
            )
    return levels


def _dense_layers(autoencoder, part):
    """The Dense layers of ``autoencoder``'s sub-model ``part``, in order."""
    try:
        model = autoencoder.get_layer(part)
    except ValueError:
        model = None
    if not isinstance(model, keras.Model):
        raise ValueError(
            f"autoencoder ({autoencoder.name!r}) has no {part!r} sub-model: "
            "make it with models.build_dense_autoencoder(input_shape=(784,), "
            "code_size=sizes[-1], hidden_sizes=sizes[:-1], "
            "code_activation=None)."
        )
    return [
        layer
        for layer in model.layers
        if isinstance(layer, keras.layers.Dense)
    ]


def _check_levels(levels):
    if isinstance(levels, PretrainedLevel) or not isinstance(
        levels, collections.abc.Sequence
    ):
        raise ValueError(
            "levels must be the list that layerwise.pretrain_layers "
            f"returns, got {type(levels).__name__}."
        )
    if not levels:
        raise ValueError("levels is empty: pre-train with pretrain_layers.")
    for index, level in enumerate(levels):
        if not isinstance(level, PretrainedLevel):
            raise ValueError(
                f"levels[{index}] must be a PretrainedLevel from "
                f"pretrain_layers, got {type(level).__name__}."
            )
    return list(levels)


def _shapes(weights):
    if not isinstance(weights, (list, tuple)) or len(weights) != 2:
        return None
    return tuple(np.shape(weight) for weight in weights)


def _same_activation(layer, activation):
    try:
        return keras.activations.get(activation) is layer.activation
    except (ValueError, TypeError):
        return False


def _check_fit(layer, weights, activation, where):
    """Raise unless ``weights`` and ``activation`` fit Dense ``layer``."""
    expected = tuple(tuple(weight.shape) for weight in layer.weights)
    found = _shapes(weights)
    if found != expected:
        raise ValueError(
            f"levels do not fit the autoencoder: {where} holds weights of "
            f"shapes {found} but layer {layer.name!r} has {expected}; build "
            "the autoencoder with the sizes given to pretrain_layers."
        )
    for weight in weights:
        array = np.asarray(weight)
        if not np.issubdtype(array.dtype, np.floating):
            raise ValueError(
                f"levels: {where} must hold float weights, got dtype "
                f"{array.dtype}."
            )
        if not np.all(np.isfinite(array)):
            raise ValueError(
                f"levels: {where} contains NaN or infinite values; "
                "pre-train again (with a smaller learning_rate)."
            )
    if not _same_activation(layer, activation):
        own = _activation_name(layer.activation)
        raise ValueError(
            f"levels do not fit the autoencoder: {where} was trained with "
            f"activation {activation!r} but layer {layer.name!r} uses "
            f"{own!r}; build the autoencoder with the same activations "
            "(code_activation=None for a linear code)."
        )


def load_pretrained(autoencoder, levels):
    """Copy pre-trained ``levels`` into a deep dense autoencoder and return
    it.

    ``autoencoder`` is made by ``models.build_dense_autoencoder`` with the
    sizes and activations of ``pretrain_layers``: ``code_size=sizes[-1]``,
    ``hidden_sizes=sizes[:-1]``, ``code_activation=None`` for its default
    linear code. Encoder layer ``i`` gets level ``i``'s encoder; the
    decoder's layers, from the code outwards, get the level decoders in
    reverse order (the last level's first, level 1's for the pixels). The
    autoencoder is changed in place; compile and train it to fine-tune.

    Introduced in chapter 2.
    """
    check_model(autoencoder, "autoencoder", built=True)
    levels = _check_levels(levels)
    encoder_layers = _dense_layers(autoencoder, "encoder")
    decoder_layers = _dense_layers(autoencoder, "decoder")
    if not (len(encoder_layers) == len(decoder_layers) == len(levels)):
        raise ValueError(
            f"levels has {len(levels)} levels but the autoencoder has "
            f"{len(encoder_layers)} encoder and {len(decoder_layers)} "
            "decoder Dense layers; build it with hidden_sizes=sizes[:-1] "
            "and code_size=sizes[-1] of the sizes given to pretrain_layers."
        )
    pairs = []
    for index, (layer, level) in enumerate(zip(encoder_layers, levels)):
        where = f"levels[{index}].encoder_weights"
        pairs.append((layer, level.encoder_weights, level.activation, where))
    for index, layer in enumerate(decoder_layers):
        position = len(levels) - 1 - index
        level = levels[position]
        where = f"levels[{position}].decoder_weights"
        pairs.append(
            (layer, level.decoder_weights, level.decoder_activation, where)
        )
    # Check every layer before changing any.
    for layer, weights, activation, where in pairs:
        _check_fit(layer, weights, activation, where)
    for layer, weights, _, _ in pairs:
        layer.set_weights([np.asarray(weight) for weight in weights])
    return autoencoder
