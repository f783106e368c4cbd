"""What codes are worth to a classifier: labelled subsets drawn with a seed
and nearest-neighbour accuracy on fixed codes, with scikit-learn.

A *probe* trains a simple classifier on the codes of a few labelled images
and scores it on the codes of the test images. The encoder stays fixed, so
the accuracy measures the representation, not the classifier.

Introduced in chapter 6, "Contractive autoencoders".
"""

import numpy as np
from sklearn.neighbors import KNeighborsClassifier

from companion.checks import (
    DIGITS,
    check_codes,
    check_labels,
    check_positive_int,
    check_same_length,
    check_seed,
)


def sample_per_class(labels, per_class, seed=0):
    """Indices of ``per_class`` images of each class, drawn at random with
    ``seed``, sorted.

    Raises ``ValueError`` when a class has fewer than ``per_class`` images.

    Introduced in chapter 6.
    """
    labels = check_labels(labels)
    check_positive_int(per_class, "per_class")
    check_seed(seed)
    rng = np.random.default_rng(seed)
    chosen = []
    for digit in range(DIGITS):
        members = np.flatnonzero(labels == digit)
        if len(members) < per_class:
            raise ValueError(
                f"per_class={per_class} but digit {digit} has only "
                f"{len(members)} images in labels; draw fewer per class."
            )
        chosen.append(rng.choice(members, size=per_class, replace=False))
    return np.sort(np.concatenate(chosen))


def knn_accuracy(
    train_codes, train_labels, test_codes, test_labels, neighbours=1
):
    """Test accuracy (0 to 1) of a k-nearest-neighbour classifier (Euclidean
    distance, scikit-learn's ``KNeighborsClassifier``) fitted on
    ``train_codes``.

    Introduced in chapter 6.
    """
    train_codes = check_codes(train_codes, "train_codes")
    test_codes = check_codes(test_codes, "test_codes")
    check_same_length(train_codes, train_labels, "train_codes", "train_labels")
    check_same_length(test_codes, test_labels, "test_codes", "test_labels")
    train_labels = check_labels(train_labels, "train_labels")
    test_labels = check_labels(test_labels, "test_labels")
    if train_codes.shape[1] != test_codes.shape[1]:
        raise ValueError(
            f"train_codes have {train_codes.shape[1]} values per image and "
            f"test_codes {test_codes.shape[1]}; encode both with the same "
            "encoder."
        )
    check_positive_int(neighbours, "neighbours")
    if neighbours > len(train_codes):
        raise ValueError(
            f"neighbours={neighbours} is more than the {len(train_codes)} "
            "training codes."
        )
    classifier = KNeighborsClassifier(n_neighbors=neighbours)
    classifier.fit(train_codes, train_labels)
    return float(np.mean(classifier.predict(test_codes) == test_labels))


def few_label_accuracy(
    train_codes,
    train_labels,
    test_codes,
    test_labels,
    per_class,
    draws=5,
    neighbours=1,
    seed=0,
):
    """Mean and standard deviation over ``draws`` labelled subsets (seeds
    ``seed``, ``seed + 1``, ...) of the k-NN test accuracy with ``per_class``
    labelled images per class.

    Introduced in chapter 6.
    """
    check_positive_int(draws, "draws")
    check_seed(seed)
    train_codes = check_codes(train_codes, "train_codes")
    check_same_length(train_codes, train_labels, "train_codes", "train_labels")
    train_labels = check_labels(train_labels, "train_labels")
    accuracies = []
    for draw in range(draws):
        chosen = sample_per_class(train_labels, per_class, seed + draw)
        accuracies.append(
            knn_accuracy(
                train_codes[chosen],
                train_labels[chosen],
                test_codes,
                test_labels,
                neighbours,
            )
        )
    return float(np.mean(accuracies)), float(np.std(accuracies))
