"""Contractive autoencoders: the Jacobian penalty, its stochastic estimate,
and exact Jacobians of dense encoders for measuring what it does.

A contractive autoencoder (Rifai et al., ICML 2011) adds to its
reconstruction loss ``weight * ||J(x)||_F^2``, the squared Frobenius norm of
the encoder's Jacobian ``J = dh/dx`` at each training image. Two ways to
compute it, both with ``keras.ops`` only, so they train on TensorFlow and
JAX alike:

* ``sigmoid_jacobian_norms``: the closed form for one sigmoid layer
  ``h = s(x W + b)``, ``sum_i (h_i (1 - h_i))^2 sum_j W_ji^2``;
* ``stochastic_jacobian_norms``: for any encoder ``f``, the estimate
  ``E ||f(x + sigma e) - f(x)||^2 / sigma^2`` with ``e ~ N(0, I)``, exact in
  expectation as ``sigma -> 0``.

``ContractiveAutoencoder`` trains with either. The measuring functions
(``jacobians``, ``jacobian_norms``, ``jacobian_spectra``,
``contraction_ratios``, ``code_change``) work on trained Keras encoders made
of ``Dense`` layers and return NumPy arrays; the Jacobians are exact (the
chain rule through each layer), not estimates.

The model is registered for ``.keras`` files under the package name
``"companion"``.

Introduced in chapter 6, "Contractive autoencoders".
"""

import math

import keras
import numpy as np
from keras import ops

from companion.checks import (
    CheckedFitMixin,
    check_bool,
    check_choice,
    check_finite_array,
    check_images,
    check_model,
    check_name,
    check_non_negative_number,
    check_positive_int,
    check_number,
    check_positive_number,
    check_rows,
    check_same_length,
    check_seed,
    check_sizes,
)
from companion.metrics import binary_cross_entropy, markdown_table
from companion.models import (
    build_dense_decoder,
    check_autoencoder_parts,
    check_model_input,
    deserialize_parts,
    serialize_parts,
)

PARTS = ("encoder", "decoder")
"""The sub-models a ``ContractiveAutoencoder`` saves in its config."""

PENALTIES = ("closed_form", "stochastic")
"""How ``ContractiveAutoencoder`` computes ``||J||^2``."""

DERIVATIVES = {
    "sigmoid": lambda outputs: outputs * (1.0 - outputs),
    "tanh": lambda outputs: 1.0 - outputs**2,
    "relu": lambda outputs: (outputs > 0).astype(outputs.dtype),
    "linear": np.ones_like,
}
"""Derivative of each activation the exact Jacobians know, as a function of
the layer's *output* (all four can be written that way).
"""

IDENTITY_LAYERS = (
    "InputLayer",
    "Flatten",
    "Dropout",
    "GaussianNoise",
    "L1ActivityPenalty",
    "KLSparsityPenalty",
)
"""Layers that leave their input unchanged at inference, skipped by the exact
Jacobians.
"""


def _array_or_tensor(value, name, hint):
    """``value`` after checking it is an array or a tensor: NumPy arrays and
    lists are checked for finite numbers and returned as arrays of Keras'
    float type (float32), which backend tensors can be multiplied by;
    backend tensors, which may be symbolic inside a training step, only need
    a shape."""
    if isinstance(value, keras.layers.Layer):
        raise ValueError(
            f"{name} must be an array or a tensor, got a "
            f"{type(value).__name__} layer; {hint}"
        )
    if isinstance(value, (np.ndarray, list, tuple)):
        array = check_finite_array(value, name)
        return array.astype(keras.backend.floatx())
    if not hasattr(value, "shape"):
        raise ValueError(
            f"{name} must be an array or a tensor, got "
            f"{type(value).__name__}; {hint}"
        )
    return value


def sigmoid_jacobian_norms(codes, kernel):
    """Squared Frobenius norm of the Jacobian of one sigmoid ``Dense`` layer,
    per image, with ``keras.ops``.

    For ``h = sigmoid(x W + b)`` with ``W`` of shape ``(inputs, units)`` (the
    layer's ``kernel``), ``dh_i/dx_j = h_i (1 - h_i) W_ji``, so::

        ||J||_F^2 = sum_i (h_i (1 - h_i))^2 * sum_j W_ji^2

    ``codes`` are the layer's outputs ``h``, shape ``(n, units)``. Returns a
    tensor of shape ``(n,)``. Gradients reach both the codes and the kernel.

    Introduced in chapter 6.
    """
    hint = "pass the sigmoid layer's outputs and its weights, layer.kernel."
    codes = _array_or_tensor(codes, "codes", hint)
    kernel = _array_or_tensor(kernel, "kernel", hint)
    code_shape, kernel_shape = tuple(codes.shape), tuple(kernel.shape)
    if len(kernel_shape) != 2 or len(code_shape) != 2:
        raise ValueError(
            f"codes must have shape (n, units) and kernel (inputs, units), "
            f"got codes {code_shape} and kernel {kernel_shape}; pass the "
            "sigmoid layer's outputs and its layer.kernel."
        )
    if code_shape[1] != kernel_shape[1]:
        raise ValueError(
            f"codes have {code_shape[1]} units but the kernel has "
            f"{kernel_shape[1]}; pass the kernel of the layer that made the "
            "codes."
        )
    slopes = ops.square(codes * (1.0 - codes))
    column_norms = ops.sum(ops.square(kernel), axis=0)
    return ops.sum(slopes * column_norms, axis=-1)


def stochastic_jacobian_norms(
    encoder, images, codes, sigma, samples, seed_generator
):
    """Estimate ``||J||_F^2`` per image as ``||f(x + sigma e) - f(x)||^2 /
    sigma^2`` averaged over ``samples`` draws of ``e ~ N(0, I)``, with
    ``keras.ops``.

    ``codes`` are ``encoder(images)``, passed in so that they are computed
    once. Works for any differentiable encoder; the bias of the estimate
    shrinks with ``sigma`` and its spread with ``samples``. Returns a tensor
    of shape ``(n,)``. NumPy arrays are checked (images in [0, 1] of the
    encoder's input shape, finite codes, one per image); backend tensors,
    symbolic inside a training step, are used as they are.

    Introduced in chapter 6.
    """
    check_model(encoder, "encoder", built=True)
    if isinstance(images, (np.ndarray, list, tuple)):
        images = check_model_input(encoder, images)
        images = images.astype(keras.backend.floatx())
    hint = "pass codes = encoder(images), one code per image."
    codes = _array_or_tensor(codes, "codes", hint)
    count, code_count = images.shape[0], codes.shape[0]
    if count is not None and code_count is not None and count != code_count:
        raise ValueError(
            f"codes hold {code_count} codes for {count} images; {hint}"
        )
    check_positive_number(sigma, "sigma")
    check_positive_int(samples, "samples")
    if not isinstance(seed_generator, keras.random.SeedGenerator):
        raise ValueError(
            f"seed_generator must be a keras.random.SeedGenerator, got "
            f"{type(seed_generator).__name__}."
        )
    total = 0.0
    for _ in range(samples):
        noise = keras.random.normal(ops.shape(images), seed=seed_generator)
        moved = encoder(images + sigma * noise)
        total = total + ops.sum(
            ops.reshape(ops.square(moved - codes), (ops.shape(codes)[0], -1)),
            axis=-1,
        )
    return total / (samples * sigma**2)


def _dense_layers(encoder, name="encoder"):
    """The encoder's ``Dense`` layers in order, after checking that every
    other layer is an identity at inference and every activation is known.
    """
    check_model(encoder, name, built=True)
    layers = []
    for layer in encoder.layers:
        kind = type(layer).__name__
        if isinstance(layer, keras.layers.Dense):
            activation = keras.activations.serialize(layer.activation)
            if isinstance(activation, dict):
                activation = activation.get("config", activation)
            if activation not in DERIVATIVES:
                raise ValueError(
                    f"{name} layer {layer.name!r} has activation "
                    f"{activation!r}; exact Jacobians know "
                    f"{', '.join(DERIVATIVES)}."
                )
            layers.append((layer, activation))
        elif kind not in IDENTITY_LAYERS:
            raise ValueError(
                f"{name} layer {layer.name!r} is a {kind}; exact Jacobians "
                "need an encoder of Dense layers (and layers that are the "
                f"identity at inference: {', '.join(IDENTITY_LAYERS)})."
            )
    if not layers:
        raise ValueError(f"{name} has no Dense layer.")
    return layers


def _check_sigmoid_encoder(encoder, name="encoder"):
    """Return the single sigmoid ``Dense`` layer the closed form assumes."""
    layers = _dense_layers(encoder, name)
    if len(layers) != 1 or layers[0][1] != "sigmoid":
        found = ", ".join(
            f"{layer.name} ({activation})" for layer, activation in layers
        )
        raise ValueError(
            f"the closed-form penalty assumes {name} is one Dense layer with "
            f"a sigmoid activation, h = sigmoid(x W + b); it has {found}. "
            "Use penalty='stochastic' for other encoders."
        )
    return layers[0][0]


def _check_images_for(encoder, images, name="images"):
    images = check_model_input(encoder, images, name)
    return images.reshape(len(images), -1)


def jacobians(encoder, images):
    """Exact Jacobians ``dh/dx`` of a dense encoder at each image, shape
    ``(n, code_size, pixels)``, by the chain rule in NumPy.

    ``encoder`` is made of ``Dense`` layers (sigmoid, tanh, ReLU or linear)
    and layers that are the identity at inference (``Flatten``, ``Dropout``,
    the sparsity penalties); anything else raises ``ValueError``. Memory is
    ``n * code_size * pixels`` floats: pass a few hundred images at a time.

    Introduced in chapter 6.
    """
    layers = _dense_layers(encoder)
    images = _check_images_for(encoder, images)
    values = images.astype("float64")
    result = None
    for layer, activation in layers:
        kernel = np.asarray(layer.kernel, dtype="float64")
        outputs = values @ kernel
        if layer.use_bias:
            outputs = outputs + np.asarray(layer.bias, dtype="float64")
        outputs = _activate(outputs, activation)
        slopes = DERIVATIVES[activation](outputs)
        # d(outputs)/d(values) = diag(slopes) kernel^T, per image.
        local = slopes[:, :, None] * kernel.T[None, :, :]
        result = local if result is None else local @ result
        values = outputs
    return result.astype("float32")


def _activate(values, activation):
    if activation == "sigmoid":
        return 1.0 / (1.0 + np.exp(-values))
    if activation == "tanh":
        return np.tanh(values)
    if activation == "relu":
        return np.maximum(values, 0.0)
    return values


def _batches(count, size):
    for start in range(0, count, size):
        yield slice(start, min(start + size, count))


def jacobian_norms(encoder, images, batch_size=64):
    """Exact ``||J||_F`` (not squared) of a dense encoder at each image, shape
    ``(n,)``.

    Introduced in chapter 6.
    """
    check_positive_int(batch_size, "batch_size")
    images = check_images(images)
    layers = _dense_layers(encoder)
    if len(layers) == 1:
        # One layer: J = diag(slopes) W^T, so no need to form J.
        layer, activation = layers[0]
        flat = _check_images_for(encoder, images).astype("float64")
        kernel = np.asarray(layer.kernel, dtype="float64")
        values = flat @ kernel
        if layer.use_bias:
            values = values + np.asarray(layer.bias, dtype="float64")
        slopes = DERIVATIVES[activation](_activate(values, activation))
        column_norms = np.sum(np.square(kernel), axis=0)
        return np.sqrt(np.square(slopes) @ column_norms).astype("float32")
    norms = [
        np.sqrt(np.sum(np.square(jacobians(encoder, images[part])), (1, 2)))
        for part in _batches(len(images), batch_size)
    ]
    return np.concatenate(norms).astype("float32")


def jacobian_spectra(encoder, images, batch_size=64):
    """Singular values of the exact Jacobian at each image, largest first,
    shape ``(n, min(code_size, pixels))``.

    Their count above a small fraction of the largest says in how many
    directions around an image the code still follows the input.

    Introduced in chapter 6.
    """
    check_positive_int(batch_size, "batch_size")
    images = check_images(images)
    spectra = [
        _singular_values(jacobians(encoder, images[part]).astype("float64"))
        for part in _batches(len(images), batch_size)
    ]
    return np.concatenate(spectra).astype("float32")


def _singular_values(matrices):
    """Singular values of a stack of matrices, largest first: from the
    eigenvalues of the smaller Gram matrix, about three times faster than an
    SVD (values below about 1e-7 of the largest are not resolved).
    """
    if matrices.shape[1] > matrices.shape[2]:
        matrices = matrices.transpose(0, 2, 1)
    gram = matrices @ matrices.transpose(0, 2, 1)
    values = np.linalg.eigvalsh(gram)[:, ::-1]
    return np.sqrt(np.clip(values, 0.0, None))


def jacobian_directions(encoder, image, count=5):
    """The ``count`` leading right singular vectors of the Jacobian at one
    image, shape ``(count, pixels)``, and their singular values.

    Each vector is an input change (an image-shaped deformation) that moves
    the code the most; shown as images they are the local variations the code
    keeps. Signs are chosen so that each vector's largest entry is positive.

    Introduced in chapter 6.
    """
    images = check_images(image, "image")
    if len(images) != 1:
        raise ValueError(
            f"image must be one image (a batch of one), got {len(images)}; "
            "pass images[index:index + 1]."
        )
    jacobian = jacobians(encoder, images)[0]
    count = check_positive_int(count, "count")
    if count > min(jacobian.shape):
        raise ValueError(
            f"count={count} is more than the Jacobian's "
            f"{min(jacobian.shape)} singular vectors."
        )
    _, values, vectors = np.linalg.svd(jacobian, full_matrices=False)
    vectors = vectors[:count]
    largest = np.take_along_axis(
        vectors, np.argmax(np.abs(vectors), axis=1)[:, None], axis=1
    )
    return vectors * np.sign(largest), values[:count]


def estimate_jacobian_norms(encoder, images, sigma, samples=1, seed=0):
    """NumPy version of ``stochastic_jacobian_norms``: the estimated
    ``||J||_F^2`` per image, to compare with the exact value.

    Introduced in chapter 6.
    """
    check_model(encoder, "encoder", built=True)
    images = check_model_input(encoder, images)
    check_positive_number(sigma, "sigma")
    check_positive_int(samples, "samples")
    check_seed(seed)
    rng = np.random.default_rng(seed)
    codes = _predict(encoder, images)
    total = np.zeros(len(images), dtype="float64")
    for _ in range(samples):
        noise = rng.standard_normal(images.shape).astype("float32")
        moved = _predict(encoder, images + sigma * noise)
        total += np.sum(np.square(moved - codes).reshape(len(codes), -1), 1)
    return (total / (samples * sigma**2)).astype("float32")


def _predict(encoder, inputs):
    return np.asarray(
        encoder.predict(inputs, batch_size=1024, verbose=0), dtype="float64"
    )


def contraction_ratios(encoder, images, radii, seed=0):
    """Mean ratio ``||f(x + d) - f(x)|| / ||d||`` over ``images`` for random
    isotropic input changes ``d`` of each length in ``radii``.

    The contraction curve of Rifai et al. (2011): a ratio below that of
    another model at the same radius means codes that move less when the
    input moves that far. The moved inputs are not clipped to [0, 1]: the
    curve measures the encoder as a function. Returns an array of the radii's
    length.

    Introduced in chapter 6.
    """
    check_model(encoder, "encoder", built=True)
    images = check_model_input(encoder, images)
    if not isinstance(radii, (tuple, list, np.ndarray)) or not len(radii):
        raise ValueError(
            f"radii must be a non-empty list of positive numbers such as "
            f"[0.5, 1, 2], got {radii!r}."
        )
    radii = [
        check_positive_number(radius, "every entry of radii")
        for radius in radii
    ]
    check_seed(seed)
    rng = np.random.default_rng(seed)
    codes = _predict(encoder, images)
    ratios = []
    for radius in radii:
        directions = rng.standard_normal(images.shape)
        flat = directions.reshape(len(images), -1)
        flat /= np.linalg.norm(flat, axis=1, keepdims=True)
        moved = _predict(encoder, (images + radius * directions).astype("f4"))
        distances = np.linalg.norm(
            (moved - codes).reshape(len(codes), -1), axis=1
        )
        ratios.append(float(np.mean(distances / radius)))
    return np.asarray(ratios)


def code_change(encoder, images, changed_images, seed=0):
    """How far codes move when images change, relative to how far apart the
    codes of different images are.

    Returns ``mean ||f(x') - f(x)|| / mean ||f(x) - f(y)||`` with ``x'`` the
    changed image and ``y`` another image drawn at random from ``images``
    (never ``x`` itself: a random permutation, in which each image left in
    place is paired with another one at random), so at least two images are
    needed; 0 means the code ignores the change, 1 that it moves as much as
    between two different digits. Scale-free, so models with different code
    ranges compare.

    Introduced in chapter 6.
    """
    check_model(encoder, "encoder", built=True)
    images = check_model_input(encoder, images)
    changed_images = check_model_input(
        encoder, changed_images, "changed_images"
    )
    if len(images) != len(changed_images):
        raise ValueError(
            f"images and changed_images must have the same length, got "
            f"{len(images)} and {len(changed_images)}."
        )
    if len(images) < 2:
        raise ValueError(
            f"images must hold at least two images, each compared with "
            f"another one, got {len(images)}."
        )
    check_seed(seed)
    codes = _predict(encoder, images).reshape(len(images), -1)
    moved = _predict(encoder, changed_images).reshape(len(images), -1)
    others = _other_images(len(images), seed)
    between = float(np.mean(np.linalg.norm(codes - codes[others], axis=1)))
    if between == 0.0:
        raise ValueError(
            "images all have the same code (identical images, or an encoder "
            "that gives every image one code), so there is no distance "
            "between the codes of different images to compare the change "
            "with; pass different images, such as a batch of test digits."
        )
    return float(np.mean(np.linalg.norm(moved - codes, axis=1)) / between)


def _other_images(count, seed):
    """For each of ``count`` images, the index of another one: a random
    permutation, in which each image left in place (about one per batch) is
    paired with another image at random instead. ``count >= 2``."""
    rng = np.random.default_rng(seed)
    others = rng.permutation(count)
    alone = np.flatnonzero(others == np.arange(count))
    others[alone] = (alone + rng.integers(1, count, size=len(alone))) % count
    return others


def shift_images(images, pixels=1, axis="horizontal"):
    """Shift images by ``pixels`` (negative: left or up), filling with zeros.

    Introduced in chapter 6.
    """
    images = check_images(images)
    if not isinstance(pixels, (int, np.integer)) or isinstance(pixels, bool):
        raise ValueError(f"pixels must be an integer, got {pixels!r}.")
    check_choice(axis, ("horizontal", "vertical"), "axis")
    side = math.isqrt(images[0].size)
    if side * side != images[0].size:
        raise ValueError(
            f"images must be square, got {images[0].size} pixels each."
        )
    if abs(pixels) >= side:
        raise ValueError(
            f"pixels={pixels} shifts the whole {side}x{side} image out."
        )
    grid = images.reshape(len(images), side, side)
    shifted = np.zeros_like(grid)
    along = 2 if axis == "horizontal" else 1
    source = [slice(None)] * 3
    target = [slice(None)] * 3
    if pixels >= 0:
        source[along], target[along] = (
            slice(0, side - pixels),
            slice(pixels, None),
        )
    else:
        source[along], target[along] = (
            slice(-pixels, None),
            slice(0, side + pixels),
        )
    shifted[tuple(target)] = grid[tuple(source)]
    return shifted.reshape(images.shape)


@keras.saving.register_keras_serializable(package="companion")
class ContractiveAutoencoder(CheckedFitMixin, keras.Model):
    """An autoencoder trained on ``binary cross-entropy + weight * ||J||_F^2``.

    ``penalty="closed_form"`` needs an encoder that is one sigmoid ``Dense``
    layer (``build_contractive_autoencoder`` makes one) and computes the exact
    norm; ``penalty="stochastic"`` works for any encoder and estimates it from
    ``samples`` noisy copies of each image at noise level ``sigma``.
    ``frozen_kernel=True`` reproduces a bug on purpose: the closed form then
    reads a constant copy of the encoder's kernel taken when the model is
    made, as a popular Keras 2 port did, so no penalty gradient reaches the
    weights through their norms.

    The reconstruction loss is Keras' ``binary_crossentropy`` (the mean over
    pixels, as in the other chapters), so ``weight`` is in those units. The
    history records ``loss``, ``reconstruction`` and ``jacobian`` (the mean
    squared norm); with ``weight=0`` this is a plain autoencoder whose
    Jacobian is tracked. As in ``vae.VariationalAutoencoder``, the loss comes
    from ``compute_loss``, the backend-independent hook of Keras 3.

    ``fit(images, targets)`` (the targets: the images again, or clean images
    for noisy inputs) and ``evaluate`` check their data first
    (``check_data``): images in [0, 1] of the encoder's input shape,
    targets in [0, 1] of the decoder's output shape, one per image.

    Introduced in chapter 6.
    """

    def __init__(
        self,
        encoder,
        decoder,
        weight=0.0,
        penalty="closed_form",
        sigma=0.1,
        samples=1,
        frozen_kernel=False,
        seed=0,
        **kwargs,
    ):
        super().__init__(**kwargs)
        check_model(encoder, "encoder")
        check_model(decoder, "decoder")
        self.weight = check_non_negative_number(weight, "weight")
        self.penalty = check_choice(penalty, PENALTIES, "penalty")
        self.sigma = check_positive_number(sigma, "sigma")
        self.samples = check_positive_int(samples, "samples")
        self.frozen_kernel = check_bool(frozen_kernel, "frozen_kernel")
        self.seed = check_seed(seed)
        check_autoencoder_parts(
            encoder, decoder, "ContractiveAutoencoder(encoder, decoder)"
        )
        self.code_layer = None
        if penalty == "closed_form":
            self.code_layer = _check_sigmoid_encoder(encoder)
        elif frozen_kernel:
            raise ValueError(
                "frozen_kernel=True only applies to penalty='closed_form'."
            )
        self.encoder = encoder
        self.decoder = decoder
        self.seed_generator = keras.random.SeedGenerator(seed)
        self._frozen_norms = None
        if self.frozen_kernel:
            kernel = np.asarray(self.code_layer.kernel)
            self._frozen_norms = np.sum(np.square(kernel), axis=0)
        self.reconstruction_tracker = keras.metrics.Mean(name="reconstruction")
        self.jacobian_tracker = keras.metrics.Mean(name="jacobian")

    @property
    def input(self):
        """The encoder's input, so that shape checks such as
        ``models.check_model_input`` work.
        """
        return self.encoder.input

    def check_data(self, x, y, x_name="x", y_name="y"):
        """Return the inputs ``x`` and targets ``y`` of ``fit`` or
        ``evaluate`` as arrays after checking them: images in [0, 1] of
        the encoder's input shape, and as many targets in [0, 1] of the
        decoder's output shape.
        """
        x = check_model_input(self, x, x_name)
        if y is None:
            raise ValueError(
                f"{y_name} is missing: the model learns to output its "
                "targets, so pass the images again, fit(images, images), or "
                "clean images for noisy inputs."
            )
        y = check_images(y, y_name)
        check_same_length(x, y, x_name, y_name)
        expected = tuple(self.decoder.output.shape[1:])
        if tuple(y.shape[1:]) != expected:
            raise ValueError(
                f"{y_name} has shape {y.shape}, but the decoder outputs "
                f"(n, {', '.join(map(str, expected))})."
            )
        return x, y

    def _squared_norms(self, images, codes):
        if self.penalty == "stochastic":
            return stochastic_jacobian_norms(
                self.encoder,
                images,
                codes,
                self.sigma,
                self.samples,
                self.seed_generator,
            )
        if self.frozen_kernel:
            slopes = ops.square(codes * (1.0 - codes))
            return ops.sum(slopes * self._frozen_norms, axis=-1)
        return sigmoid_jacobian_norms(codes, self.code_layer.kernel)

    def call(self, images, training=False):
        codes = self.encoder(images, training=training)
        self.add_loss(ops.mean(self._squared_norms(images, codes)))
        return self.decoder(codes, training=training)

    def compute_loss(
        self, x=None, y=None, y_pred=None, sample_weight=None, training=True
    ):
        reconstruction = ops.mean(keras.losses.binary_crossentropy(y, y_pred))
        jacobian = sum(self.losses)
        self.reconstruction_tracker.update_state(reconstruction)
        self.jacobian_tracker.update_state(jacobian)
        return reconstruction + self.weight * jacobian

    def get_config(self):
        return {
            **super().get_config(),
            **serialize_parts(self, PARTS),
            "weight": self.weight,
            "penalty": self.penalty,
            "sigma": self.sigma,
            "samples": self.samples,
            "frozen_kernel": self.frozen_kernel,
            "seed": self.seed,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**deserialize_parts(config, PARTS))


def build_sigmoid_encoder(
    code_size=128,
    hidden_sizes=(),
    hidden_activation="sigmoid",
    name="encoder",
):
    """A dense encoder of flat images: ``hidden_sizes`` layers (activation
    ``hidden_activation``) then a sigmoid code of ``code_size`` units. With no
    hidden layer it is the encoder of Rifai et al. (2011).

    Introduced in chapter 6.
    """
    check_positive_int(code_size, "code_size")
    hidden_sizes = check_sizes(hidden_sizes, "hidden_sizes")
    check_choice(hidden_activation, tuple(DERIVATIVES), "hidden_activation")
    check_name(name, "name")
    inputs = keras.Input(shape=(784,), name="image")
    values = inputs
    for index, size in enumerate(hidden_sizes, start=1):
        values = keras.layers.Dense(
            size, activation=hidden_activation, name=f"encoder_hidden_{index}"
        )(values)
    codes = keras.layers.Dense(code_size, activation="sigmoid", name="code")(
        values
    )
    return keras.Model(inputs, codes, name=name)


def build_contractive_autoencoder(
    code_size=128,
    weight=0.0,
    hidden_sizes=(),
    penalty="closed_form",
    sigma=0.1,
    samples=1,
    frozen_kernel=False,
    hidden_activation="sigmoid",
    learning_rate=1e-3,
    seed=0,
    name="contractive",
):
    """Build and compile (Adam) a ``ContractiveAutoencoder`` of flat images:
    an encoder from ``build_sigmoid_encoder`` and a mirrored decoder (hidden
    layers with ``hidden_activation``, sigmoid pixels).

    Hidden layers need ``penalty="stochastic"``.

    Introduced in chapter 6.
    """
    check_positive_number(learning_rate, "learning_rate")
    check_seed(seed)
    hidden_sizes = check_sizes(hidden_sizes, "hidden_sizes")
    check_name(name, "name")
    keras.utils.set_random_seed(seed)
    encoder = build_sigmoid_encoder(code_size, hidden_sizes, hidden_activation)
    decoder = build_dense_decoder(
        code_size,
        (784,),
        tuple(reversed(hidden_sizes)),
        activation=hidden_activation,
    )
    model = ContractiveAutoencoder(
        encoder,
        decoder,
        weight=weight,
        penalty=penalty,
        sigma=sigma,
        samples=samples,
        frozen_kernel=frozen_kernel,
        seed=seed,
        name=name,
    )
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate))
    model(np.zeros((1, 784), dtype="float32"))  # build the weights
    return model


def count_directions(spectra, fraction=0.1):
    """Mean number, over images, of Jacobian singular values above
    ``fraction`` times the image's largest one: in how many directions the
    code still follows the input.

    ``spectra`` come from ``jacobian_spectra``, shape ``(n, k)``.

    Introduced in chapter 6.
    """
    spectra = check_finite_array(spectra, "spectra", 2, "(n, k)")
    fraction = check_number(
        fraction, "fraction", 0.0, 1.0, include_low=False, include_high=False
    )
    if spectra.min() < 0:
        raise ValueError(
            f"spectra must be singular values, zero or more, found "
            f"{spectra.min():.3g}; pass what jacobian_spectra returns."
        )
    largest = spectra.max(axis=1, keepdims=True)
    return float(np.mean(np.sum(spectra > fraction * largest, axis=1)))


def contraction_row(
    name, encoder, x_true, x_pred, seconds=None, jacobian_images=None
):
    """One row for ``format_contraction_table``: the test binary
    cross-entropy of the reconstructions ``x_pred`` of ``x_true``, the mean
    exact ``||J||_F`` of ``encoder`` over ``x_true`` (over its first
    ``jacobian_images`` only, when given: the exact Jacobians of deeper
    encoders are costly), and the training time.

    Introduced in chapter 6.
    """
    if not isinstance(name, str) or not name:
        raise ValueError(f"name must be a non-empty string, got {name!r}.")
    check_model(encoder, "encoder", built=True)
    if seconds is not None:
        check_non_negative_number(seconds, "seconds")
    bce = binary_cross_entropy(x_true, x_pred)
    if jacobian_images is not None:
        check_positive_int(jacobian_images, "jacobian_images")
        x_true = x_true[:jacobian_images]
    return {
        "model": name,
        "bce": bce,
        "jacobian": float(np.mean(jacobian_norms(encoder, x_true))),
        "seconds": seconds,
    }


def format_contraction_table(rows, reference="plain"):
    """Markdown table of ``contraction_row`` rows, with each model's BCE
    change and Jacobian-norm reduction relative to the row named
    ``reference``. Each row needs its own model name and a BCE and Jacobian
    norm above zero (the table divides by them).

    Introduced in chapter 6.
    """
    rows = check_rows(rows, "rows", "contraction_row")
    for row in rows:
        missing = [
            key for key in ("model", "bce", "jacobian") if key not in row
        ]
        if missing:
            raise ValueError(
                f"rows must come from contraction_row; a row lacks {missing}."
            )
        for key in ("bce", "jacobian"):
            check_positive_number(
                row[key], f"rows: the {key} of model {row['model']!r}"
            )
    names = [row["model"] for row in rows]
    if len(set(names)) != len(names):
        raise ValueError(
            f"rows repeat a model: {names}; give each row its own name."
        )
    if reference not in names:
        raise ValueError(
            f"reference={reference!r} is not a model of rows; pick one of "
            f"{names}."
        )
    base = rows[names.index(reference)]
    table = [
        {
            **row,
            "bce_change": 100.0 * (row["bce"] / base["bce"] - 1.0),
            "reduction": base["jacobian"] / row["jacobian"],
        }
        for row in rows
    ]
    return markdown_table(
        table,
        {
            "model": "{}",
            "bce": "{:.4f}",
            "bce_change": "{:+.1f}",
            "jacobian": "{:.2f}",
            "reduction": "{:.1f}",
            "seconds": "{:.0f}",
        },
        {
            "bce": "test BCE",
            "bce_change": f"BCE vs {reference} (%)",
            "jacobian": "mean ‖J‖_F",
            "reduction": f"‖J‖ of {reference} / ‖J‖",
            "seconds": "training time (s)",
        },
    )
