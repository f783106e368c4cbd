"""Tests of companion.probes: labelled subsets and k-NN accuracy on codes."""

import numpy as np
import pytest

from companion import probes

LABELS = np.repeat(np.arange(10), 20)


def test_sample_per_class_draws_each_digit_equally():
    chosen = probes.sample_per_class(LABELS, 3, seed=1)
    assert len(chosen) == 30
    assert np.all(np.bincount(LABELS[chosen], minlength=10) == 3)
    assert np.array_equal(chosen, probes.sample_per_class(LABELS, 3, seed=1))
    assert not np.array_equal(
        chosen, probes.sample_per_class(LABELS, 3, seed=2)
    )


def test_knn_accuracy_on_separable_codes():
    rng = np.random.default_rng(0)
    codes = LABELS[:, None] * 10.0 + rng.normal(size=(200, 4))
    assert probes.knn_accuracy(codes, LABELS, codes + 0.1, LABELS) == 1.0
    shuffled = rng.permutation(LABELS)
    assert probes.knn_accuracy(codes, shuffled, codes, LABELS) < 0.5


def test_few_label_accuracy_returns_mean_and_spread():
    rng = np.random.default_rng(1)
    codes = LABELS[:, None] * 1.0 + rng.normal(scale=0.6, size=(200, 2))
    mean, spread = probes.few_label_accuracy(
        codes, LABELS, codes, LABELS, per_class=2, draws=4
    )
    assert 0.3 < mean <= 1.0
    assert spread > 0.0


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: probes.sample_per_class(LABELS, 21), "only 20 images"),
        (lambda: probes.sample_per_class(LABELS, 0), "positive integer"),
        (lambda: probes.sample_per_class(LABELS + 1, 1), "digits 0-9"),
        (
            lambda: probes.knn_accuracy(
                np.zeros((200, 3)), LABELS, np.zeros((5, 3)), LABELS
            ),
            "same length",
        ),
        (
            lambda: probes.knn_accuracy(
                np.zeros((200, 3)), LABELS, np.zeros((200, 4)), LABELS
            ),
            "same encoder",
        ),
        (
            lambda: probes.knn_accuracy(
                np.full((200, 3), np.nan), LABELS, np.zeros((200, 3)), LABELS
            ),
            "NaN",
        ),
        (
            lambda: probes.knn_accuracy(
                np.zeros((200, 3)),
                LABELS,
                np.zeros((200, 3)),
                LABELS,
                neighbours=201,
            ),
            "more than the 200",
        ),
        (
            lambda: probes.knn_accuracy(
                np.zeros((200, 3)), LABELS * 1.0, np.zeros((200, 3)), LABELS
            ),
            "integer digits",
        ),
        (
            lambda: probes.few_label_accuracy(
                np.zeros((200, 3)), LABELS, np.zeros((200, 3)), LABELS, 1, 0
            ),
            "draws must be a positive integer",
        ),
    ],
)
def test_probes_refuse_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()
