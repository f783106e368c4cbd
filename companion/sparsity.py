"""Sparsity penalties on a code layer, a sparse autoencoder builder, and
sparsity diagnostics.

A sparse autoencoder adds to its reconstruction loss a penalty that pushes
most code units towards zero for any one image. The two penalties here are
identity layers placed right after the code layer; they leave the code
unchanged and add their term to the model's loss with ``add_loss``, so it is
counted by ``fit`` and ``evaluate`` (and in ``model.losses``):

* ``L1ActivityPenalty(weight)`` adds ``weight * mean over the batch of
  (sum over code units of |activation|)``;
* ``KLSparsityPenalty(rho, beta)`` adds ``beta * sum over units j of
  KL(rho || rho_hat_j)``, where ``rho_hat_j`` is unit ``j``'s mean activation
  over the batch (for sigmoid codes).

Why not ``Dense(..., activity_regularizer=keras.regularizers.L1(w))``? Its
scale depends on the Keras version: Keras 3.13 (Colab's) adds
``w * sum over the whole batch``, Keras 3.14 and later divide that by the batch
size. ``L1ActivityPenalty(w)`` gives the same number on every version (the
3.14+ value, and also what Keras 1's ``activity_l1`` of the 2016 Keras blog
computed).

The layers are registered for ``.keras`` files under the package name
``"companion"``: import ``companion.sparsity`` before
``keras.saving.load_model``.

The diagnostics (``mean_activation``, ``fraction_near_zero``, ``dead_units``,
``summarize_sparsity``) take codes as a NumPy array of shape ``(n, units)``,
as returned by ``models.encode``.

Introduced in chapter 4, "Sparse autoencoders".
"""

import keras
import numpy as np
from keras import ops

from companion.checks import (
    check_images,
    check_name,
    check_non_negative_number,
    check_positive_int,
    check_positive_number,
    check_rows,
)
from companion.metrics import markdown_table, summed_squared_error
from companion.models import (
    build_dense_decoder,
    build_dense_encoder,
    join_autoencoder,
)

KL_EPSILON = 1e-7
"""Mean activations are clipped to ``[KL_EPSILON, 1 - KL_EPSILON]`` before the
logarithms.
"""

NEAR_ZERO_THRESHOLD = 1e-3
"""Default threshold below which a code value counts as zero in the
diagnostics.
"""


@keras.saving.register_keras_serializable(package="companion")
class L1ActivityPenalty(keras.layers.Layer):
    """Identity layer that adds an L1 penalty on its input (the code) to the
    model's loss.

    For a batch of ``B`` codes ``a`` with ``K`` units, the added term is::

        weight * (1/B) * sum_i sum_j |a_ij|

    that is, per image the sum over code units of ``|activation|``, averaged
    over the images of the batch; so ``weight`` means the same whatever the
    batch size. Inputs with more than two axes are summed over every axis but
    the first. ``weight`` must be a finite number of zero or more (0 adds 0).

    This equals ``activity_regularizer=keras.regularizers.L1(weight)`` on
    Keras 3.14 and later, and ``L1(weight / batch_size)`` on Keras 3.13, which
    does not divide by the batch size.

    Introduced in chapter 4, "Sparse autoencoders".
    """

    def __init__(self, weight, **kwargs):
        super().__init__(**kwargs)
        self.weight = check_non_negative_number(weight, "weight")

    def call(self, inputs):
        values = ops.cast(inputs, "float32")
        per_image = ops.sum(
            ops.abs(values), axis=tuple(range(1, len(values.shape)))
        )
        self.add_loss(self.weight * ops.mean(per_image))
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "weight": self.weight}


@keras.saving.register_keras_serializable(package="companion")
class KLSparsityPenalty(keras.layers.Layer):
    """Identity layer that adds the KL-divergence sparsity penalty on sigmoid
    codes to the model's loss.

    For a batch of codes ``a`` (values in [0, 1], e.g. from a sigmoid) the
    added term is::

        beta * sum_j [rho * log(rho / rho_hat_j)
                      + (1 - rho) * log((1 - rho) / (1 - rho_hat_j))]

    where ``rho_hat_j`` is the mean activation of unit ``j`` over the batch,
    clipped to ``[KL_EPSILON, 1 - KL_EPSILON]`` so that the logarithms stay
    finite. It is zero when every unit's mean activation equals the target
    ``rho`` and grows as a unit is on more (or less) often than that. Unlike
    the L1 penalty it is not an average of per-image terms: it depends on the
    whole batch, so use batches of a few dozen images or more. Inputs with
    more than two axes count every entry but the first axis as a unit.

    ``rho`` must lie strictly between 0 and 1 (typically 0.01 to 0.1) and
    ``beta`` be a finite number of zero or more.

    Introduced in chapter 4, "Sparse autoencoders".
    """

    def __init__(self, rho, beta, **kwargs):
        super().__init__(**kwargs)
        rho = check_positive_number(rho, "rho")
        if rho >= 1.0:
            raise ValueError(
                "rho must lie strictly between 0 and 1 (a target mean "
                f"activation), got {rho!r}."
            )
        self.rho = rho
        self.beta = check_non_negative_number(beta, "beta")

    def call(self, inputs):
        rho_hat = ops.clip(
            ops.mean(ops.cast(inputs, "float32"), axis=0),
            KL_EPSILON,
            1.0 - KL_EPSILON,
        )
        rho = self.rho
        divergence = rho * ops.log(rho / rho_hat) + (1.0 - rho) * ops.log(
            (1.0 - rho) / (1.0 - rho_hat)
        )
        self.add_loss(self.beta * ops.sum(divergence))
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "rho": self.rho, "beta": self.beta}


def build_sparse_autoencoder(
    input_size=784,
    code_size=64,
    penalty=None,
    code_activation="relu",
    name="sparse_autoencoder",
):
    """Build the single-hidden-layer autoencoder input-code-input with an
    optional sparsity penalty on the code.

    Encoder (a sub-model named ``"encoder"``): ``Dense(code_size,
    code_activation)`` named ``"code"``, then ``penalty`` (an identity layer
    such as ``L1ActivityPenalty(1e-4)`` or ``KLSparsityPenalty(0.05, 3.0)``)
    when given. Decoder (``"decoder"``): ``Dense(input_size, "sigmoid")``.
    ``penalty=None`` gives the plain autoencoder to compare with. The KL
    penalty needs codes in [0, 1], so it requires
    ``code_activation="sigmoid"``.

    Introduced in chapter 4, "Sparse autoencoders".
    """
    check_positive_int(input_size, "input_size")
    check_positive_int(code_size, "code_size")
    check_name(name, "name")
    if penalty is not None and not isinstance(penalty, keras.layers.Layer):
        raise ValueError(
            "penalty must be None or a Keras layer such as "
            f"L1ActivityPenalty(1e-4), got {penalty!r}."
        )
    if isinstance(penalty, KLSparsityPenalty) and code_activation != "sigmoid":
        raise ValueError(
            "KLSparsityPenalty needs codes in [0, 1]: use "
            f"code_activation='sigmoid', not {code_activation!r}."
        )
    encoder = build_dense_encoder(
        (input_size,),
        code_size,
        code_activation=code_activation,
        name="encoder",
    )
    if penalty is not None:
        encoder = keras.Model(
            encoder.input, penalty(encoder.output), name="encoder"
        )
    decoder = build_dense_decoder(
        code_size, (input_size,), output_activation="sigmoid", name="decoder"
    )
    return join_autoencoder(encoder, decoder, name=name)


def _check_codes(codes):
    codes = np.asarray(codes)
    if codes.ndim != 2 or codes.shape[0] == 0 or codes.shape[1] == 0:
        raise ValueError(
            "codes must have shape (n, units) with n, units >= 1, got "
            f"{codes.shape}; compute them with models.encode(encoder, images)."
        )
    if not np.issubdtype(codes.dtype, np.number) or np.issubdtype(
        codes.dtype, np.complexfloating
    ):
        raise ValueError(
            f"codes must be real numbers, got dtype {codes.dtype}."
        )
    if not np.all(np.isfinite(codes)):
        raise ValueError("codes contain NaN or infinite values.")
    return codes.astype("float64")


def _near_zero(codes, threshold):
    threshold = check_positive_number(threshold, "threshold")
    return np.abs(_check_codes(codes)) < threshold


def mean_activation(codes):
    """Return the mean of all code values: the mean over images of each image's
    mean over units.

    This is ``codes.mean()``, the "mean code activation" the Keras blog
    reports (7.30 for its plain 32-unit autoencoder, 3.33 with an L1 penalty).

    Introduced in chapter 4, "Sparse autoencoders".
    """
    return float(_check_codes(codes).mean())


def fraction_near_zero(codes, threshold=NEAR_ZERO_THRESHOLD):
    """Return the fraction of code units with ``|value| < threshold``, per
    image, averaged over images.

    1.0 means every unit is (nearly) off for every image. ``threshold`` must
    be greater than zero.

    Introduced in chapter 4, "Sparse autoencoders".
    """
    return float(_near_zero(codes, threshold).mean(axis=1).mean())


def dead_units(codes, threshold=NEAR_ZERO_THRESHOLD):
    """Return the indices (int array, ascending) of units with
    ``|value| < threshold`` for every image.

    A dead unit carries no information about the images it was computed on.

    Introduced in chapter 4, "Sparse autoencoders".
    """
    return np.flatnonzero(_near_zero(codes, threshold).all(axis=0))


def summarize_sparsity(codes, threshold=NEAR_ZERO_THRESHOLD):
    """Return the sparsity diagnostics of ``codes`` as a dict.

    Keys: ``units`` (code size), ``mean_activation``, ``fraction_near_zero``,
    ``active_units_per_image`` (average number of units with ``|value| >=
    threshold``), ``dead_units`` (how many units are near zero for every
    image).

    Introduced in chapter 4, "Sparse autoencoders".
    """
    near_zero = _near_zero(codes, threshold)
    units = near_zero.shape[1]
    return {
        "units": int(units),
        "mean_activation": mean_activation(codes),
        "fraction_near_zero": float(near_zero.mean(axis=1).mean()),
        "active_units_per_image": float((~near_zero).sum(axis=1).mean()),
        "dead_units": int(near_zero.all(axis=0).sum()),
    }


_SPARSITY_COLUMNS = {
    "model": "{}",
    "units": "{:d}",
    "mean_activation": "{:.3f}",
    "fraction_near_zero": "{:.1%}",
    "active_units_per_image": "{:.1f}",
    "dead_units": "{:d}",
    "sse": "{:.2f}",
}

_SPARSITY_TITLES = {
    "units": "code units",
    "mean_activation": "mean activation",
    "fraction_near_zero": "near-zero share",
    "active_units_per_image": "active units / image",
    "dead_units": "dead units",
    "sse": "summed sq. error / image",
}


def sparsity_row(name, codes, x_true, x_pred, threshold=NEAR_ZERO_THRESHOLD):
    """Return one row for ``format_sparsity_table``: the code's diagnostics and
    the test error.

    ``codes`` are the test images' codes, ``x_pred`` their reconstructions.

    Introduced in chapter 4, "Sparse autoencoders".
    """
    if not isinstance(name, str) or not name:
        raise ValueError(f"name must be a non-empty string, got {name!r}.")
    _check_codes(codes)
    check_images(x_true, "x_true")
    if len(np.asarray(codes)) != len(np.asarray(x_true)):
        raise ValueError(
            "codes and x_true must describe the same images, got "
            f"{len(codes)} codes for {len(x_true)} images."
        )
    row = {"model": name}
    row.update(summarize_sparsity(codes, threshold))
    row["sse"] = summed_squared_error(x_true, x_pred)
    return row


def format_sparsity_table(rows):
    """Format rows from ``sparsity_row`` as a Markdown table (display it with
    ``IPython.display.Markdown``).

    Introduced in chapter 4, "Sparse autoencoders".
    """
    rows = check_rows(rows, "rows", "sparsity_row")
    columns = list(_SPARSITY_COLUMNS)
    for row in rows:
        if set(row) != set(columns):
            raise ValueError(
                f"rows must come from sparsity_row (columns {columns}), got "
                f"{sorted(row)}."
            )
    return markdown_table(rows, _SPARSITY_COLUMNS, _SPARSITY_TITLES)
