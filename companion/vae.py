"""Variational autoencoders in Keras 3, written with ``keras.ops`` and
``keras.random`` only.

The encoder maps an image to the mean and log-variance of a Gaussian over
codes; a ``Sampling`` layer draws a code from it (the reparameterisation
trick); the decoder maps the code back to pixel probabilities. The loss is
the negative evidence lower bound (ELBO): a reconstruction term (binary
cross-entropy summed over the pixels) plus ``beta`` times the KL divergence
from the code distribution to the standard normal prior. Both terms are
tracked separately during training.

Nothing here calls TensorFlow directly, so the same code trains on the
TensorFlow and on the JAX backend.

Introduced in chapter 8, "Variational autoencoders".
"""

import numbers

import keras
import numpy as np
from keras import ops

from companion import models
from companion.checks import (
    check_finite_array,
    check_model,
    check_name,
    check_non_negative_int,
    check_non_negative_number,
    check_positive_int,
    check_positive_number,
    check_seed,
)
from companion.data import IMAGE_SHAPE

# Predictions are clipped to [EPSILON, 1 - EPSILON] before taking logarithms,
# as Keras' own BCE does.
EPSILON = 1e-7


PARTS = ("encoder", "decoder")
"""The sub-models a ``VariationalAutoencoder`` saves in its config."""


@keras.saving.register_keras_serializable(package="companion")
class Sampling(keras.layers.Layer):
    """Draw codes ``mean + exp(log_variance / 2) * noise`` with standard normal
    noise.

    The noise comes from ``keras.random.normal`` with the layer's own
    ``SeedGenerator``, so a seeded model draws the same codes on every run.
    Registered for ``.keras`` files under the package name ``"companion"``.

    Introduced in chapter 8.
    """

    def __init__(self, seed=0, **kwargs):
        super().__init__(**kwargs)
        check_seed(seed)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, inputs):
        mean, log_variance = inputs
        noise = keras.random.normal(ops.shape(mean), seed=self.seed_generator)
        return mean + ops.exp(0.5 * log_variance) * noise

    def get_config(self):
        return {**super().get_config(), "seed": self.seed}


def _static_shape(value):
    """The shape of an array or tensor (None for unknown sizes)."""
    shape = getattr(value, "shape", None)
    return tuple(np.shape(value) if shape is None else shape)


def _check_pair(first, second, first_name, second_name, unit_range=False):
    """Check two arrays or tensors of one shape before a loss is computed.

    Shapes are compared for every input, symbolic tensors included (an
    unknown size matches any). Concrete NumPy inputs are also checked for
    NaN and infinite values and, with ``unit_range``, for values in [0, 1];
    tensors inside a traced training step are left as they are.
    """
    for value, name in ((first, first_name), (second, second_name)):
        if isinstance(value, (np.ndarray, list, tuple, numbers.Number)):
            array = check_finite_array(value, name)
            if unit_range and (array.min() < 0 or array.max() > 1):
                raise ValueError(
                    f"{name} must lie in [0, 1], found values in "
                    f"[{array.min():.3g}, {array.max():.3g}]; scale 0..255 "
                    "pixels by 1/255."
                )
    first_shape, second_shape = _static_shape(first), _static_shape(second)
    same = len(first_shape) == len(second_shape) and all(
        a is None or b is None or a == b
        for a, b in zip(first_shape, second_shape)
    )
    if not same:
        raise ValueError(
            f"{first_name} and {second_name} must have the same shape, got "
            f"{first_shape} and {second_shape}."
        )


def kl_divergence(mean, log_variance):
    """KL divergence of N(mean, exp(log_variance)) from N(0, I), summed over
    code units: one value per image.

    Introduced in chapter 8.
    """
    _check_pair(mean, log_variance, "mean", "log_variance")
    return -0.5 * ops.sum(
        1 + log_variance - ops.square(mean) - ops.exp(log_variance), axis=-1
    )


def kl_per_unit(mean, log_variance):
    """KL divergence of each code unit's N(mean, exp(log_variance)) from
    N(0, 1): an array of the shape of ``mean``, one value per image and
    unit, which ``kl_divergence`` sums over the units.

    Introduced in chapter 8.
    """
    _check_pair(mean, log_variance, "mean", "log_variance")
    return -0.5 * (1 + log_variance - ops.square(mean) - ops.exp(log_variance))


def summed_binary_crossentropy(targets, predictions):
    """Binary cross-entropy summed over all pixels of each image (not
    averaged): one value per image.

    Introduced in chapter 8.
    """
    _check_pair(
        targets, predictions, "targets", "predictions", unit_range=True
    )
    predictions = ops.clip(predictions, EPSILON, 1 - EPSILON)
    per_pixel = -(
        targets * ops.log(predictions)
        + (1 - targets) * ops.log(1 - predictions)
    )
    return ops.sum(
        ops.reshape(per_pixel, (ops.shape(per_pixel)[0], -1)), axis=1
    )


KINDS = ("dense", "conv")


def _check_kind(kind):
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}.")


def build_vae_encoder(
    latent_dim=2, kind="dense", hidden_units=512, name="encoder"
):
    """Build a VAE encoder: 28x28x1 image -> (code mean, code log-variance),
    each ``latent_dim`` wide.

    ``kind="dense"``: flatten, one ReLU layer of ``hidden_units`` (784-512,
    as in the original Keras VAE example). ``kind="conv"``: the keras-io
    example's two stride-2 3x3 convolutions (32, 64 filters; 28 -> 14 -> 7)
    and a dense layer of 16 units. Two linear heads follow.

    Introduced in chapter 8.
    """
    check_positive_int(latent_dim, "latent_dim")
    check_positive_int(hidden_units, "hidden_units")
    _check_kind(kind)
    check_name(name, "name")
    images = keras.Input(shape=IMAGE_SHAPE, name="image")
    if kind == "dense":
        hidden = keras.layers.Flatten(name="flatten")(images)
        hidden = keras.layers.Dense(
            hidden_units, activation="relu", name="dense"
        )(hidden)
    else:
        hidden = keras.layers.Conv2D(
            32, 3, strides=2, padding="same", activation="relu", name="conv_1"
        )(images)
        hidden = keras.layers.Conv2D(
            64, 3, strides=2, padding="same", activation="relu", name="conv_2"
        )(hidden)
        hidden = keras.layers.Flatten(name="flatten")(hidden)
        hidden = keras.layers.Dense(16, activation="relu", name="dense")(
            hidden
        )
    mean = keras.layers.Dense(latent_dim, name="code_mean")(hidden)
    log_variance = keras.layers.Dense(latent_dim, name="code_log_variance")(
        hidden
    )
    return keras.Model(images, [mean, log_variance], name=name)


def build_vae_decoder(
    latent_dim=2, kind="dense", hidden_units=512, name="decoder"
):
    """Build a VAE decoder: code -> 28x28x1 pixel probabilities (sigmoid).

    ``kind="dense"``: one ReLU layer of ``hidden_units``, then 784 sigmoid
    units. ``kind="conv"``: a dense layer to 7x7x64, two stride-2 transposed
    convolutions (64, 32 filters; 7 -> 14 -> 28) and a sigmoid output
    convolution, as in the keras-io example.

    Introduced in chapter 8.
    """
    check_positive_int(latent_dim, "latent_dim")
    check_positive_int(hidden_units, "hidden_units")
    _check_kind(kind)
    check_name(name, "name")
    codes = keras.Input(shape=(latent_dim,), name="code")
    if kind == "dense":
        hidden = keras.layers.Dense(
            hidden_units, activation="relu", name="dense"
        )(codes)
        pixels = keras.layers.Dense(
            IMAGE_SHAPE[0] * IMAGE_SHAPE[1],
            activation="sigmoid",
            name="pixels",
        )(hidden)
        pixels = keras.layers.Reshape(IMAGE_SHAPE, name="reshape")(pixels)
    else:
        hidden = keras.layers.Dense(
            7 * 7 * 64, activation="relu", name="dense"
        )(codes)
        hidden = keras.layers.Reshape((7, 7, 64), name="reshape")(hidden)
        hidden = keras.layers.Conv2DTranspose(
            64,
            3,
            strides=2,
            padding="same",
            activation="relu",
            name="deconv_1",
        )(hidden)
        hidden = keras.layers.Conv2DTranspose(
            32,
            3,
            strides=2,
            padding="same",
            activation="relu",
            name="deconv_2",
        )(hidden)
        pixels = keras.layers.Conv2DTranspose(
            1, 3, padding="same", activation="sigmoid", name="pixels"
        )(hidden)
    return keras.Model(codes, pixels, name=name)


@keras.saving.register_keras_serializable(package="companion")
class VariationalAutoencoder(keras.Model):
    """A VAE: encoder to (mean, log-variance), ``Sampling``, decoder;
    loss = reconstruction + beta * KL.

    Saves to and loads from ``.keras`` files (``model.save(path)``, then
    ``keras.saving.load_model(path)`` after ``import companion.vae``): the
    encoder and decoder travel in its config, their weights with them.

    ``compute_loss`` is overridden (the backend-independent hook of Keras 3)
    instead of ``train_step`` (which differs per backend). The KL term enters
    through ``add_loss`` in ``call``; the reconstruction term is computed from
    the targets, so train with ``fit(images, images)``. The history records
    ``loss`` (the weighted total), ``reconstruction`` and ``kl`` per image.

    Two remedies for KL collapse (units whose code the prior has won):
    ``warmup_steps`` (the KL weight rises linearly from 0 to ``beta`` over
    that many training steps, counted by a non-trainable variable that
    ``call`` updates, so it needs no callback and works on every backend)
    and ``free_bits`` (nats per unit: a unit's batch-mean KL below it
    costs ``free_bits`` all the same, Kingma et al., 2016). The tracked
    ``kl`` is always the KL term itself.

    Introduced in chapter 8.
    """

    def __init__(
        self,
        encoder,
        decoder,
        beta=1.0,
        seed=0,
        warmup_steps=0,
        free_bits=0.0,
        **kwargs,
    ):
        super().__init__(**kwargs)
        check_model(encoder, "encoder")
        check_model(decoder, "decoder")
        check_non_negative_number(beta, "beta")
        check_seed(seed)
        check_non_negative_int(warmup_steps, "warmup_steps")
        check_non_negative_number(free_bits, "free_bits")
        encoder_latent = tuple(encoder.outputs[0].shape[1:])
        if len(encoder.outputs) != 2 or encoder_latent != tuple(
            decoder.input.shape[1:]
        ):
            raise ValueError(
                "the encoder must output (mean, log_variance) of the "
                f"decoder's input size {tuple(decoder.input.shape[1:])}; use "
                "build_vae_encoder and build_vae_decoder with the same "
                "latent_dim."
            )
        self.encoder = encoder
        self.decoder = decoder
        self.beta = float(beta)
        self.latent_dim = int(encoder_latent[0])
        self.sampling = Sampling(seed=seed, name="sampling")
        self.seed = int(seed)
        self.warmup_steps = int(warmup_steps)
        self.free_bits = float(free_bits)
        if self.warmup_steps:
            # Training steps taken, counted in call (a model variable, so
            # that it is updated on every backend and saved with the model).
            self.steps_taken = self.add_weight(
                shape=(),
                initializer="zeros",
                trainable=False,
                name="steps_taken",
            )
        self.reconstruction_tracker = keras.metrics.Mean(name="reconstruction")
        self.kl_tracker = keras.metrics.Mean(name="kl")

    @property
    def input(self):
        """The encoder's input, so that shape checks such as
        ``models.check_model_input`` work.
        """
        return self.encoder.input

    def get_config(self):
        return {
            **super().get_config(),
            **models.serialize_parts(self, PARTS),
            "beta": self.beta,
            "seed": self.seed,
            "warmup_steps": self.warmup_steps,
            "free_bits": self.free_bits,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**models.deserialize_parts(config, PARTS))

    def call(self, images, training=False):
        mean, log_variance = self.encoder(images, training=training)
        self.add_loss(ops.mean(kl_divergence(mean, log_variance)))
        self.kl_remedies(mean, log_variance, training)
        return self.decoder(
            self.sampling([mean, log_variance]), training=training
        )

    def kl_remedies(self, mean, log_variance, training=False):
        """The two remedies for inactive units, both off by default: count
        a training step for the KL warm-up, and add the free-bits allowance
        as a second loss.
        """
        if self.warmup_steps and training:
            self.steps_taken.assign(self.steps_taken + 1.0)
        if self.free_bits:
            # A unit's batch-mean KL below free_bits costs free_bits all the
            # same, so the loss gains nothing by pushing it lower.
            unit_kl = ops.mean(kl_per_unit(mean, log_variance), axis=0)
            self.add_loss(
                ops.sum(ops.maximum(unit_kl, self.free_bits) - unit_kl)
            )

    def kl_weight(self):
        """The weight of the KL term at the current training step: ``beta``,
        or during the first ``warmup_steps`` steps ``beta`` times the share
        of them taken so far (a linear warm-up from 0).
        """
        if not self.warmup_steps:
            return self.beta
        progress = self.steps_taken / float(self.warmup_steps)
        return self.beta * ops.minimum(progress, 1.0)

    def compute_loss(
        self, x=None, y=None, y_pred=None, sample_weight=None, training=True
    ):
        reconstruction = ops.mean(summed_binary_crossentropy(y, y_pred))
        losses = self.losses
        # With free bits, the first loss is the KL term and the second the
        # free-bits allowance; the tracker records the KL term itself.
        kl = losses[0] if self.free_bits else sum(losses)
        self.reconstruction_tracker.update_state(reconstruction)
        self.kl_tracker.update_state(kl)
        return reconstruction + self.kl_weight() * sum(losses)


def build_vae(
    latent_dim=2,
    beta=1.0,
    seed=0,
    kind="dense",
    learning_rate=1e-3,
    name="vae",
    warmup_steps=0,
    free_bits=0.0,
):
    """Build and compile a VAE (Adam) from ``build_vae_encoder`` and
    ``build_vae_decoder`` of one ``kind``.

    ``warmup_steps`` raises the KL term's weight linearly from 0 to ``beta``
    over that many training steps (KL annealing); ``free_bits`` (nats per
    code unit) stops the loss from pushing a unit's batch-mean KL below
    that value. Both are 0 (off) by default.

    Introduced in chapter 8.
    """
    check_non_negative_number(beta, "beta")
    check_seed(seed)
    check_non_negative_int(warmup_steps, "warmup_steps")
    check_non_negative_number(free_bits, "free_bits")
    check_positive_number(learning_rate, "learning_rate")
    check_name(name, "name")
    model = VariationalAutoencoder(
        build_vae_encoder(latent_dim, kind),
        build_vae_decoder(latent_dim, kind),
        beta=beta,
        seed=seed,
        warmup_steps=warmup_steps,
        free_bits=free_bits,
        name=name,
    )
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate))
    model(np.zeros((1,) + IMAGE_SHAPE, dtype="float32"))  # build the weights
    return model


def _check_vae(model):
    if not isinstance(model, VariationalAutoencoder):
        raise ValueError(
            f"model must be a VariationalAutoencoder (see vae.build_vae), "
            f"got {type(model).__name__}."
        )


def encode_distribution(model, images, batch_size=1024):
    """Return the code means and log-variances of ``images`` as two float32
    arrays ``(n, latent_dim)``.

    Introduced in chapter 8.
    """
    _check_vae(model)
    images = models.check_model_input(model.encoder, images)
    check_positive_int(batch_size, "batch_size")
    mean, log_variance = model.encoder.predict(
        images, batch_size=batch_size, verbose=0
    )
    return np.asarray(mean, dtype="float32"), np.asarray(
        log_variance, dtype="float32"
    )


def unit_activity(model, images, batch_size=1024):
    """The variance over ``images`` of each code unit's mean: how much a
    unit's code changes from image to image (``(latent_dim,)`` float64).

    A unit whose mean is the same for every image tells the decoder
    nothing; its KL term has gone to zero (the prior won). Burda et al.
    (2016) call a unit active when this variance exceeds 0.01.

    Introduced in chapter 8.
    """
    mean, _ = encode_distribution(model, images, batch_size)
    return np.var(mean.astype("float64"), axis=0)


def active_units(model, images, threshold=0.01, batch_size=1024):
    """The number of code units whose ``unit_activity`` exceeds
    ``threshold`` (0.01, as in Burda et al., 2016).

    Introduced in chapter 8.
    """
    check_positive_number(threshold, "threshold")
    return int(np.sum(unit_activity(model, images, batch_size) > threshold))


def reconstruct_mean(model, images, batch_size=1024):
    """Decode each image's code *mean*: the VAE's deterministic reconstruction,
    for pictures.

    Introduced in chapter 8.
    """
    mean, _ = encode_distribution(model, images, batch_size)
    return models.decode(model.decoder, mean, batch_size)


def evaluate_elbo(model, images, seed=0, batch_size=1024):
    """Estimate the negative ELBO per image on ``images``, with its two terms.

    Codes are drawn once per image from the encoder's distribution with a
    NumPy generator seeded by ``seed`` (the usual one-sample estimate), so
    the figure does not depend on the model's own sampling state. Returns a
    dict with the per-image means ``reconstruction`` (summed BCE), ``kl`` and
    ``negative_elbo`` (their sum, with weight 1 on the KL term whatever the
    model's ``beta``).

    Introduced in chapter 8.
    """
    terms = elbo_terms(model, images, seed, batch_size)
    return {name: float(np.mean(values)) for name, values in terms.items()}


def elbo_terms(model, images, seed=0, batch_size=1024):
    """The per-image terms that ``evaluate_elbo`` averages: a dict of arrays
    of shape ``(n,)``, ``reconstruction``, ``kl`` and ``negative_elbo``.

    Introduced in chapter 10, "Anomaly detection" (an image's negative ELBO
    is an anomaly score).
    """
    _check_vae(model)
    check_seed(seed)
    mean, log_variance = encode_distribution(model, images, batch_size)
    noise = (
        np.random.default_rng(seed)
        .standard_normal(mean.shape)
        .astype("float32")
    )
    codes = mean + np.exp(0.5 * log_variance) * noise
    reconstructions = models.decode(model.decoder, codes, batch_size)
    reconstruction = ops.convert_to_numpy(
        summed_binary_crossentropy(
            np.asarray(images, "float32"), reconstructions
        )
    )
    kl = ops.convert_to_numpy(kl_divergence(mean, log_variance))
    return {
        "reconstruction": np.asarray(reconstruction),
        "kl": np.asarray(kl),
        "negative_elbo": np.asarray(reconstruction + kl),
    }


def sample_images(model, count, seed=0, batch_size=1024):
    """Decode ``count`` codes drawn from the standard normal prior: new digits.

    Introduced in chapter 8.
    """
    _check_vae(model)
    check_positive_int(count, "count")
    check_seed(seed)
    check_positive_int(batch_size, "batch_size")
    codes = (
        np.random.default_rng(seed)
        .standard_normal((count, model.latent_dim))
        .astype("float32")
    )
    return models.decode(model.decoder, codes, batch_size)
