"""Discrete codes: the vector-quantised autoencoder (VQ-VAE) and an
autoregressive prior over its codes, written with ``keras.ops`` only.

The encoder maps a 28x28 digit to a 7x7 grid of vectors; a
``VectorQuantizer`` replaces each vector by its nearest entry of a learned
codebook, so that an image becomes 49 integers; the decoder maps the grid
of entries back to pixels. Rounding to the nearest entry has no gradient,
so the decoder's gradient is copied to the encoder's output unchanged (the
straight-through estimator), and two extra losses pull the codebook and the
encoder's outputs towards each other (van den Oord, Vinyals and Kavukcuoglu,
2017). A PixelCNN with masked convolutions (``build_pixelcnn``) learns a
distribution over the 7x7 index grids, to sample new ones.

Nothing here calls TensorFlow directly, so the same code trains on the
TensorFlow and on the JAX backend.

Introduced in chapter 9, "Discrete codes".
"""

import math

import keras
import numpy as np
from keras import ops

from companion import models, vae
from companion.checks import (
    check_bool,
    check_choice,
    check_finite_array,
    check_images,
    check_model,
    check_name,
    check_non_negative_number,
    check_number,
    check_positive_int,
    check_positive_number,
    check_seed,
    check_sizes,
)
from companion.data import IMAGE_SHAPE

GRID = (7, 7)
"""The shape of the VQ-VAE's code grid for 28x28 images (two stride-2
convolutions).
"""

UPDATES = ("gradient", "ema")
"""How a ``VectorQuantizer`` learns its codebook: by gradient descent on the
codebook loss, or by exponential moving averages of the vectors assigned
to each entry.
"""

PARTS = ("encoder", "decoder")
"""The sub-models a ``VQVAE`` saves in its config."""


@keras.saving.register_keras_serializable(package="companion")
class VectorQuantizer(keras.layers.Layer):
    """Replace each ``embedding_dim``-vector of the input by its nearest
    codebook entry, with the straight-through gradient.

    The output has the input's shape. In training the layer adds
    ``beta * ||z - sg(e)||^2`` (the commitment loss) and, with
    ``update="gradient"``, ``||sg(z) - e||^2`` (the codebook loss), summed
    over positions and dimensions and averaged over the batch, through
    ``add_loss``. With ``update="ema"`` the codebook is not trained by
    gradients: each entry moves to an exponential moving average (``decay``)
    of the vectors assigned to it, as in the paper's appendix. With
    ``restart_dead=True`` (EMA only), an entry whose moving-average use
    falls below ``dead_threshold`` vectors per batch is moved onto a random
    encoder output of the batch: the dead-entry remedy. All of that happens
    in ``call`` on non-trainable variables, so it also works on JAX.

    Registered for ``.keras`` files under the package name ``"companion"``.

    Introduced in chapter 9.
    """

    def __init__(
        self,
        num_embeddings=64,
        embedding_dim=16,
        beta=0.25,
        update="gradient",
        decay=0.99,
        restart_dead=False,
        dead_threshold=1.0,
        seed=0,
        **kwargs,
    ):
        super().__init__(**kwargs)
        check_positive_int(num_embeddings, "num_embeddings")
        if num_embeddings < 2:
            raise ValueError(
                f"num_embeddings must be at least 2, got {num_embeddings}: "
                "a codebook of one entry carries no information."
            )
        check_positive_int(embedding_dim, "embedding_dim")
        check_non_negative_number(beta, "beta")
        check_choice(update, UPDATES, "update")
        check_number(
            decay, "decay", 0.0, 1.0, include_low=False, include_high=False
        )
        check_bool(restart_dead, "restart_dead")
        if restart_dead and update != "ema":
            raise ValueError(
                "restart_dead=True needs update='ema': restarts rewrite the "
                "codebook inside call, which only works for a codebook that "
                "gradients do not train."
            )
        check_non_negative_number(dead_threshold, "dead_threshold")
        check_seed(seed)
        self.num_embeddings = int(num_embeddings)
        self.embedding_dim = int(embedding_dim)
        self.beta = float(beta)
        self.update = update
        self.decay = float(decay)
        self.restart_dead = bool(restart_dead)
        self.dead_threshold = float(dead_threshold)
        self.seed = int(seed)
        self.seed_generator = keras.random.SeedGenerator(seed)

    def build(self, input_shape):
        if input_shape[-1] != self.embedding_dim:
            raise ValueError(
                f"the input's last axis must have embedding_dim = "
                f"{self.embedding_dim} values, got shape {input_shape}."
            )
        shape = (self.num_embeddings, self.embedding_dim)
        initializer = keras.initializers.RandomUniform(
            -1.0 / self.num_embeddings,
            1.0 / self.num_embeddings,
            seed=self.seed,
        )
        self.codebook = self.add_weight(
            shape=shape,
            initializer=initializer,
            trainable=self.update == "gradient",
            name="codebook",
        )
        # Moving averages of each entry's use (vectors per batch) and of
        # the sum of the vectors assigned to it.
        self.usage = self.add_weight(
            shape=(self.num_embeddings,),
            initializer="zeros",
            trainable=False,
            name="usage",
        )
        self.vector_sums = self.add_weight(
            shape=shape, initializer="zeros", trainable=False, name="sums"
        )

    def nearest(self, vectors):
        """Indices of the nearest codebook entries of ``vectors`` (any shape
        ending in ``embedding_dim``), with the input's leading shape.
        """
        flat = ops.reshape(vectors, (-1, self.embedding_dim))
        distances = (
            ops.sum(flat**2, axis=1, keepdims=True)
            - 2.0 * ops.matmul(flat, ops.transpose(self.codebook))
            + ops.sum(self.codebook**2, axis=1)[None, :]
        )
        indices = ops.argmin(distances, axis=1)
        return ops.reshape(indices, ops.shape(vectors)[:-1])

    def lookup(self, indices):
        """The codebook entries of integer ``indices``: shape
        ``indices.shape + (embedding_dim,)``.
        """
        return ops.take(self.codebook, ops.cast(indices, "int32"), axis=0)

    def call(self, inputs, training=False):
        indices = self.nearest(inputs)
        if training and self.update == "ema":
            self._update_codebook(inputs, indices)
        quantized = self.lookup(indices)
        batch = ops.cast(ops.shape(inputs)[0], inputs.dtype)
        commitment = ops.sum((inputs - ops.stop_gradient(quantized)) ** 2)
        loss = self.beta * commitment
        if self.update == "gradient":
            loss = loss + ops.sum((ops.stop_gradient(inputs) - quantized) ** 2)
        self.add_loss(loss / batch)
        # Straight through: the forward pass uses the entries, the backward
        # pass copies the gradient to the encoder's outputs.
        return inputs + ops.stop_gradient(quantized - inputs)

    def _update_codebook(self, inputs, indices):
        flat = ops.reshape(inputs, (-1, self.embedding_dim))
        one_hot = ops.one_hot(ops.reshape(indices, (-1,)), self.num_embeddings)
        counts = ops.sum(one_hot, axis=0)
        sums = ops.matmul(ops.transpose(one_hot), flat)
        usage = self.decay * self.usage + (1.0 - self.decay) * counts
        vector_sums = self.decay * self.vector_sums + (1.0 - self.decay) * sums
        if self.restart_dead:
            picks = keras.random.randint(
                (self.num_embeddings,),
                0,
                ops.shape(flat)[0],
                seed=self.seed_generator,
            )
            dead = usage < self.dead_threshold
            usage = ops.where(dead, 1.0, usage)
            vector_sums = ops.where(
                dead[:, None], ops.take(flat, picks, axis=0), vector_sums
            )
        self.usage.assign(usage)
        self.vector_sums.assign(vector_sums)
        # Entries never used keep their place (their sum and use are 0).
        self.codebook.assign(
            ops.where(
                (usage > 0.0)[:, None],
                vector_sums / ops.maximum(usage, 1e-12)[:, None],
                # A tensor, not the variable: jax.numpy.where refuses
                # Keras variables.
                ops.convert_to_tensor(self.codebook),
            )
        )

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {
            **super().get_config(),
            "num_embeddings": self.num_embeddings,
            "embedding_dim": self.embedding_dim,
            "beta": self.beta,
            "update": self.update,
            "decay": self.decay,
            "restart_dead": self.restart_dead,
            "dead_threshold": self.dead_threshold,
            "seed": self.seed,
        }


def build_vq_encoder(embedding_dim=16, filters=(32, 64), name="encoder"):
    """Build the convolutional encoder: 28x28x1 image -> 7x7 grid of
    ``embedding_dim``-vectors.

    Two stride-2 3x3 ReLU convolutions with ``filters`` (28 -> 14 -> 7), as
    in chapter 8's convolutional VAE and the keras-io VQ-VAE example, then a
    linear 1x1 convolution to ``embedding_dim`` channels. With
    ``embedding_dim=1`` it is a plain autoencoder's encoder to a 7x7 grid of
    numbers.

    Introduced in chapter 9.
    """
    check_positive_int(embedding_dim, "embedding_dim")
    filters = check_sizes(filters, "filters")
    if len(filters) != 2:
        raise ValueError(
            f"filters must list 2 filter counts (28 -> 14 -> 7), got "
            f"{filters}."
        )
    check_name(name, "name")
    images = keras.Input(shape=IMAGE_SHAPE, name="image")
    hidden = images
    for index, count in enumerate(filters, start=1):
        hidden = keras.layers.Conv2D(
            count,
            3,
            strides=2,
            padding="same",
            activation="relu",
            name=f"conv_{index}",
        )(hidden)
    codes = keras.layers.Conv2D(embedding_dim, 1, name="code")(hidden)
    return keras.Model(images, codes, name=name)


def build_vq_decoder(embedding_dim=16, filters=(32, 64), name="decoder"):
    """Build the decoder that mirrors ``build_vq_encoder``: a 7x7 grid of
    ``embedding_dim``-vectors -> 28x28x1 pixel probabilities.

    Two stride-2 3x3 ReLU transposed convolutions (``filters`` reversed;
    7 -> 14 -> 28) and a sigmoid 3x3 convolution.

    Introduced in chapter 9.
    """
    check_positive_int(embedding_dim, "embedding_dim")
    filters = check_sizes(filters, "filters")
    if len(filters) != 2:
        raise ValueError(
            f"filters must list 2 filter counts (7 -> 14 -> 28), got "
            f"{filters}."
        )
    check_name(name, "name")
    codes = keras.Input(shape=GRID + (embedding_dim,), name="code")
    hidden = codes
    for index, count in enumerate(reversed(filters), start=1):
        hidden = keras.layers.Conv2DTranspose(
            count,
            3,
            strides=2,
            padding="same",
            activation="relu",
            name=f"deconv_{index}",
        )(hidden)
    pixels = keras.layers.Conv2D(
        1, 3, padding="same", activation="sigmoid", name="pixels"
    )(hidden)
    return keras.Model(codes, pixels, name=name)


def build_grid_vae(
    channels=1, filters=(32, 64), beta=1.0, seed=0, name="grid_vae"
):
    """Build and compile a convolutional VAE whose code is a 7x7 grid of
    ``channels`` Gaussian numbers, on the VQ-VAE's encoder and decoder.

    The encoder is ``build_vq_encoder``'s trunk with two linear 1x1 heads
    (code mean and log-variance), flattened to ``49 * channels`` numbers so
    that chapter 8's ``vae.VariationalAutoencoder`` and its functions
    (``evaluate_elbo``, ``sample_images``) apply unchanged; the decoder
    reshapes the code to the grid and runs ``build_vq_decoder``'s layers.

    Introduced in chapter 9.
    """
    check_positive_int(channels, "channels")
    check_name(name, "name")
    trunk = build_vq_encoder(channels, filters, name="trunk")
    hidden = trunk.get_layer("conv_2").output
    heads = [
        keras.layers.Flatten(name=f"flat_{head}")(
            keras.layers.Conv2D(channels, 1, name=head)(hidden)
        )
        for head in ("code_mean", "code_log_variance")
    ]
    encoder = keras.Model(trunk.input, heads, name="encoder")
    size = math.prod(GRID) * channels
    codes = keras.Input(shape=(size,), name="code")
    grid = keras.layers.Reshape(GRID + (channels,), name="grid")(codes)
    pixels = build_vq_decoder(channels, filters, name="grid_decoder")(grid)
    decoder = keras.Model(codes, pixels, name="decoder")
    model = vae.VariationalAutoencoder(
        encoder, decoder, beta=beta, seed=seed, name=name
    )
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3))
    model(np.zeros((1,) + IMAGE_SHAPE, dtype="float32"))
    return model


def entry_patches(images, indices, num_embeddings):
    """The mean 4x4 pixel block under each codebook entry: an array
    ``(num_embeddings, 4, 4)`` (NaN for an entry never used), what each
    entry stands for in the images.

    Each of the 7x7 grid positions covers a 4x4 block of a 28x28 image;
    ``indices`` are the images' index grids.

    Introduced in chapter 9.
    """
    images = check_images(images, "images")
    if images.shape[1:] not in ((28, 28), (28, 28, 1)):
        raise ValueError(
            "images must be 28x28 grey images, (n, 28, 28) or "
            f"(n, 28, 28, 1), got shape {images.shape}."
        )
    indices = check_index_grids(indices, num_embeddings)
    if len(indices) != len(images):
        raise ValueError(
            f"indices ({len(indices)} grids) and images ({len(images)}) "
            "must have the same length."
        )
    blocks = images.reshape(len(images), 7, 4, 7, 4).transpose(0, 1, 3, 2, 4)
    blocks = blocks.reshape(-1, 4, 4)
    flat = indices.ravel()
    counts = np.bincount(flat, minlength=num_embeddings)
    sums = np.zeros((num_embeddings, 4, 4))
    np.add.at(sums, flat, blocks)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (sums / counts[:, None, None]).astype("float32")


@keras.saving.register_keras_serializable(package="companion")
class VQVAE(keras.Model):
    """A VQ-VAE: encoder, ``VectorQuantizer``, decoder; loss = summed binary
    cross-entropy per image + the quantiser's losses.

    Train with ``fit(images, images)``. The history records ``loss``,
    ``reconstruction`` (summed BCE per image) and ``vq`` (the quantiser's
    losses per image). Saves to and loads from ``.keras`` files after
    ``import companion.vq``: the encoder, decoder and quantiser settings
    travel in its config, the codebook with the weights.

    Introduced in chapter 9.
    """

    def __init__(self, encoder, decoder, quantizer=None, **kwargs):
        super().__init__(**kwargs)
        check_model(encoder, "encoder")
        check_model(decoder, "decoder")
        code_shape = tuple(encoder.output.shape[1:])
        if code_shape != tuple(decoder.input.shape[1:]):
            raise ValueError(
                f"the encoder's output {code_shape} must match the decoder's "
                f"input {tuple(decoder.input.shape[1:])}; build both with "
                "the same embedding_dim."
            )
        if quantizer is None:
            quantizer = {}
        if isinstance(quantizer, dict):
            quantizer = VectorQuantizer(
                **{"embedding_dim": code_shape[-1], **quantizer}
            )
        if not isinstance(quantizer, VectorQuantizer):
            raise ValueError(
                "quantizer must be a VectorQuantizer or a dict of its "
                f"settings, got {type(quantizer).__name__}."
            )
        if quantizer.embedding_dim != code_shape[-1]:
            raise ValueError(
                f"quantizer.embedding_dim ({quantizer.embedding_dim}) must "
                f"equal the encoder's channels ({code_shape[-1]})."
            )
        self.encoder = encoder
        self.decoder = decoder
        self.quantizer = quantizer
        self.reconstruction_tracker = keras.metrics.Mean(name="reconstruction")
        self.vq_tracker = keras.metrics.Mean(name="vq")

    @property
    def input(self):
        """The encoder's input, so that shape checks work."""
        return self.encoder.input

    @property
    def num_embeddings(self):
        """The number of codebook entries."""
        return self.quantizer.num_embeddings

    def get_config(self):
        quantizer = self.quantizer.get_config()
        for key in ("name", "trainable", "dtype", "embedding_dim"):
            quantizer.pop(key, None)
        return {
            **super().get_config(),
            **models.serialize_parts(self, PARTS),
            "quantizer": quantizer,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**models.deserialize_parts(config, PARTS))

    def call(self, images, training=False):
        codes = self.encoder(images, training=training)
        quantized = self.quantizer(codes, training=training)
        return self.decoder(quantized, training=training)

    def compute_loss(
        self, x=None, y=None, y_pred=None, sample_weight=None, training=True
    ):
        reconstruction = ops.mean(vae.summed_binary_crossentropy(y, y_pred))
        vq_loss = sum(self.losses)
        self.reconstruction_tracker.update_state(reconstruction)
        self.vq_tracker.update_state(vq_loss)
        return reconstruction + vq_loss


def build_vqvae(
    num_embeddings=64,
    embedding_dim=16,
    beta=0.25,
    update="gradient",
    restart_dead=False,
    filters=(32, 64),
    learning_rate=1e-3,
    seed=0,
    name="vqvae",
):
    """Build, compile (Adam) and build the weights of a ``VQVAE`` from
    ``build_vq_encoder``, ``build_vq_decoder`` and a ``VectorQuantizer``.

    Introduced in chapter 9.
    """
    check_positive_number(learning_rate, "learning_rate")
    check_name(name, "name")
    model = VQVAE(
        build_vq_encoder(embedding_dim, filters),
        build_vq_decoder(embedding_dim, filters),
        VectorQuantizer(
            num_embeddings,
            embedding_dim,
            beta=beta,
            update=update,
            restart_dead=restart_dead,
            seed=seed,
            name="quantizer",
        ),
        name=name,
    )
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate))
    model(np.zeros((1,) + IMAGE_SHAPE, dtype="float32"))
    return model


def _check_vqvae(model):
    if not isinstance(model, VQVAE):
        raise ValueError(
            "model must be a VQVAE (see vq.build_vqvae), got "
            f"{type(model).__name__}."
        )


def encode_indices(model, images, batch_size=1024):
    """The codebook indices of ``images``: an int32 array ``(n, 7, 7)``.

    Introduced in chapter 9.
    """
    _check_vqvae(model)
    images = models.check_model_input(model.encoder, images)
    check_positive_int(batch_size, "batch_size")
    codes = model.encoder.predict(images, batch_size=batch_size, verbose=0)
    indices = [
        ops.convert_to_numpy(model.quantizer.nearest(codes[start:stop]))
        for start, stop in _batches(len(codes), batch_size)
    ]
    return np.concatenate(indices).astype("int32")


def _batches(count, batch_size):
    return [
        (start, min(start + batch_size, count))
        for start in range(0, count, batch_size)
    ]


def check_index_grids(indices, num_embeddings, name="indices"):
    """Check an integer array of 7x7 index grids ``(n, 7, 7)`` with values
    in ``[0, num_embeddings)``; return it as int32.

    Introduced in chapter 9.
    """
    array = _check_entries(indices, num_embeddings, name)
    if array.ndim != 3 or array.shape[1:] != GRID:
        raise ValueError(
            f"{name} must have shape (n, 7, 7) with n >= 1, got {array.shape}."
        )
    return array.astype("int32")


def _check_entries(indices, num_embeddings, name):
    """``indices`` as a non-empty integer array with values in ``[0,
    num_embeddings)``.
    """
    check_positive_int(num_embeddings, "num_embeddings")
    array = _as_array(indices, name)
    if array.size == 0 or not np.issubdtype(array.dtype, np.integer):
        raise ValueError(
            f"{name} must be a non-empty array of integers (codebook "
            f"indices), got dtype {array.dtype} and shape {array.shape}."
        )
    if array.min() < 0 or array.max() >= num_embeddings:
        raise ValueError(
            f"{name} must lie in [0, {num_embeddings}), got values from "
            f"{array.min()} to {array.max()}."
        )
    return array


def _as_array(values, name):
    try:
        return np.asarray(values)
    except (TypeError, ValueError) as error:
        raise ValueError(
            f"{name} must be an array of numbers with one shape ({error})."
        ) from error


def decode_indices(model, indices, batch_size=1024):
    """Decode index grids ``(n, 7, 7)`` into images: look up the codebook
    entries and run the decoder.

    Introduced in chapter 9.
    """
    _check_vqvae(model)
    indices = check_index_grids(indices, model.num_embeddings)
    check_positive_int(batch_size, "batch_size")
    entries = ops.convert_to_numpy(model.quantizer.lookup(indices))
    return models.decode(model.decoder, entries, batch_size)


def codebook_usage(indices, num_embeddings):
    """How a codebook is used by ``indices`` (any integer array): a dict with
    ``counts`` per entry, ``used`` and ``unused`` entries, and the
    ``perplexity`` ``exp(entropy)`` of the entries' frequencies (equal to
    ``num_embeddings`` when all are used equally often, 1 when one entry
    takes everything).

    Introduced in chapter 9.
    """
    array = _check_entries(indices, num_embeddings, "indices")
    counts = np.bincount(array.ravel(), minlength=num_embeddings)
    shares = counts[counts > 0] / counts.sum()
    return {
        "counts": counts,
        "used": int(np.sum(counts > 0)),
        "unused": int(np.sum(counts == 0)),
        "perplexity": float(np.exp(-np.sum(shares * np.log(shares)))),
    }


class CodebookUsage(keras.callbacks.Callback):
    """Record the codebook use on ``images`` during training: the lists
    ``used`` and ``perplexity`` (see ``codebook_usage``) and ``batches``,
    the number of training batches seen at each record.

    With ``every=None`` it records after every epoch; with an integer, after
    every ``every`` training batches (counted across epochs), for a curve
    within a short training.

    Introduced in chapter 9.
    """

    def __init__(self, images, every=None):
        super().__init__()
        self.images = check_images(images, "images")
        if every is not None:
            check_positive_int(every, "every")
        self.every = every
        self.batches_seen = 0
        self.batches = []
        self.used = []
        self.perplexity = []

    def _record(self):
        # Direct calls, not predict: a predict in the middle of fit builds a
        # new predict function each time on TensorFlow (about 2 s a record).
        indices = np.concatenate(
            [
                ops.convert_to_numpy(
                    self.model.quantizer.nearest(
                        self.model.encoder(
                            self.images[start:stop], training=False
                        )
                    )
                )
                for start, stop in _batches(len(self.images), 1024)
            ]
        )
        usage = codebook_usage(indices, self.model.num_embeddings)
        self.batches.append(self.batches_seen)
        self.used.append(usage["used"])
        self.perplexity.append(usage["perplexity"])

    def on_train_batch_end(self, batch, logs=None):
        self.batches_seen += 1
        if self.every is not None and self.batches_seen % self.every == 0:
            self._record()

    def on_epoch_end(self, epoch, logs=None):
        if self.every is None:
            self._record()


MASK_TYPES = ("A", "B")
"""PixelCNN masks: ``"A"`` hides the centre position (first layer), ``"B"``
lets it through (later layers)."""


@keras.saving.register_keras_serializable(package="companion")
class MaskedConv2D(keras.layers.Conv2D):
    """A 'same' convolution that sees only the positions before the centre in
    raster order (left of it in its row, and the rows above), and the centre
    itself for ``mask_type="B"``: PixelCNN's masked convolution
    (van den Oord, Kalchbrenner and Kavukcuoglu, 2016).

    Introduced in chapter 9.
    """

    def __init__(self, filters, kernel_size, mask_type="B", **kwargs):
        check_choice(mask_type, MASK_TYPES, "mask_type")
        kwargs["padding"] = "same"
        super().__init__(filters, kernel_size, **kwargs)
        self.mask_type = mask_type

    def build(self, input_shape):
        super().build(input_shape)
        rows, columns = self.kernel_size
        mask = np.zeros(tuple(self.kernel.shape), dtype="float32")
        # 'same' padding puts the output's own position at index
        # (size - 1) // 2 of the kernel (the middle for odd sizes; for even
        # sizes the extra row and column pad after).
        centre_row, centre_column = (rows - 1) // 2, (columns - 1) // 2
        mask[:centre_row] = 1.0
        mask[centre_row, :centre_column] = 1.0
        if self.mask_type == "B":
            mask[centre_row, centre_column] = 1.0
        self.mask = ops.convert_to_tensor(mask)

    def convolution_op(self, inputs, kernel):
        return super().convolution_op(inputs, kernel * self.mask)

    def get_config(self):
        config = super().get_config()
        config.pop("padding", None)
        return {**config, "mask_type": self.mask_type}


def build_pixelcnn(
    num_embeddings=64, filters=64, residual_blocks=3, name="pixelcnn"
):
    """Build a small PixelCNN over 7x7 grids of codebook indices: int grid
    ``(7, 7)`` -> logits ``(7, 7, num_embeddings)`` of each position given
    the positions before it in raster order.

    An ``Embedding`` of the indices, a 7x7 masked convolution of type A,
    ``residual_blocks`` residual blocks (1x1, masked 3x3 of type B, 1x1, as
    in the PixelCNN paper and keras-io), two masked 1x1 ReLU layers and a
    linear 1x1 layer to the logits. Compiled with Adam and sparse
    categorical cross-entropy on logits. Train with ``fit(indices,
    indices)``.

    Introduced in chapter 9.
    """
    check_positive_int(num_embeddings, "num_embeddings")
    check_positive_int(filters, "filters")
    if filters < 2:
        raise ValueError(f"filters must be at least 2, got {filters}.")
    check_positive_int(residual_blocks, "residual_blocks")
    check_name(name, "name")
    indices = keras.Input(shape=GRID, dtype="int32", name="indices")
    hidden = keras.layers.Embedding(num_embeddings, filters, name="embed")(
        indices
    )
    hidden = MaskedConv2D(
        filters, 7, mask_type="A", activation="relu", name="masked_a"
    )(hidden)
    for block in range(1, residual_blocks + 1):
        inner = keras.layers.Conv2D(
            filters // 2, 1, activation="relu", name=f"block_{block}_in"
        )(hidden)
        inner = MaskedConv2D(
            filters // 2,
            3,
            mask_type="B",
            activation="relu",
            name=f"block_{block}_masked",
        )(inner)
        inner = keras.layers.Conv2D(
            filters, 1, activation="relu", name=f"block_{block}_out"
        )(inner)
        hidden = keras.layers.Add(name=f"block_{block}_add")([hidden, inner])
    for layer in range(1, 3):
        hidden = MaskedConv2D(
            filters, 1, mask_type="B", activation="relu", name=f"head_{layer}"
        )(hidden)
    logits = keras.layers.Conv2D(num_embeddings, 1, name="logits")(hidden)
    model = keras.Model(indices, logits, name=name)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=1e-3),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    return model


def _pixelcnn_classes(prior):
    check_model(prior, "prior")
    if tuple(prior.input.shape[1:]) != GRID or len(prior.output.shape) != 4:
        raise ValueError(
            "prior must map (7, 7) index grids to (7, 7, K) logits; build it "
            "with vq.build_pixelcnn."
        )
    return int(prior.output.shape[-1])


def _log_softmax(logits):
    shifted = logits - logits.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def prior_nll(prior, indices, batch_size=1024):
    """The negative log-likelihood of each index grid under the PixelCNN
    ``prior``, in nats: an array ``(n,)``. Divide by ``log(2)`` for bits.

    Introduced in chapter 9.
    """
    classes = _pixelcnn_classes(prior)
    indices = check_index_grids(indices, classes)
    check_positive_int(batch_size, "batch_size")
    logits = prior.predict(indices, batch_size=batch_size, verbose=0)
    log_probabilities = _log_softmax(np.asarray(logits, dtype="float64"))
    picked = np.take_along_axis(log_probabilities, indices[..., None], -1)
    return -picked.reshape(len(indices), -1).sum(axis=1)


def sample_prior(prior, count, seed=0, temperature=1.0):
    """Draw ``count`` index grids from the PixelCNN ``prior``, one position
    at a time in raster order (49 passes), with a NumPy generator seeded by
    ``seed``; ``temperature < 1`` sharpens each position's distribution.

    Introduced in chapter 9.
    """
    classes = _pixelcnn_classes(prior)
    check_positive_int(count, "count")
    check_seed(seed)
    check_positive_number(temperature, "temperature")
    rng = np.random.default_rng(seed)
    grids = np.zeros((count,) + GRID, dtype="int32")
    for row in range(GRID[0]):
        for column in range(GRID[1]):
            logits = prior.predict(grids, batch_size=1024, verbose=0)
            log_probabilities = _log_softmax(
                np.asarray(logits[:, row, column], "float64") / temperature
            )
            # Gumbel-max: the argmax of log-probabilities plus Gumbel noise
            # is a draw from the distribution.
            gumbel = -np.log(-np.log(rng.uniform(size=(count, classes))))
            grids[:, row, column] = np.argmax(
                log_probabilities + gumbel, axis=1
            )
    return grids


def nats_to_bits(nats):
    """Convert nats to bits: divide by ``log(2)``. A number gives a float,
    an array an array.

    Introduced in chapter 9.
    """
    scalar = isinstance(nats, (int, float, np.generic)) or (
        isinstance(nats, np.ndarray) and nats.ndim == 0
    )
    values = check_finite_array(nats, "nats", ndim=0 if scalar else None)
    bits = values / math.log(2.0)
    return float(bits) if scalar else bits
