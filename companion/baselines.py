"""Baselines every autoencoder must beat: the mean image and PCA.

* The *mean-image* baseline reconstructs every image as the average training
  image. A model that does not beat it has learnt nothing about the input.
* *PCA* with ``k`` components is the best *linear* code of size ``k`` for the
  squared error; an autoencoder with a code of the same size is measured
  against it.

PCA is written with NumPy (an eigendecomposition of the 784x784 covariance
matrix), so the companion needs no scikit-learn.

Introduced in chapter 1, "The vanilla autoencoder".
"""

from dataclasses import dataclass

import numpy as np

from companion.checks import (
    check_finite_array,
    check_image,
    check_images,
    check_positive_int,
)


def fit_mean_image(x_train):
    """Return the average training image (same shape as one image).

    Introduced in chapter 1.
    """
    x_train = check_images(x_train, "x_train")
    return x_train.mean(axis=0).astype("float32")


def reconstruct_with_mean(mean_image, images):
    """Reconstruct every image in ``images`` as ``mean_image``.

    Introduced in chapter 1.
    """
    images = check_images(images, "images")
    check_image(mean_image, "mean_image")
    mean_image = np.asarray(mean_image, dtype="float32")
    if mean_image.shape != images.shape[1:]:
        raise ValueError(
            f"mean_image has shape {mean_image.shape}, images have "
            f"{images.shape[1:]}."
        )
    return np.broadcast_to(mean_image, images.shape).copy()


@dataclass(frozen=True)
class Pca:
    """A fitted PCA: the mean (flat, 784) and the components (``k`` x 784,
    orthonormal rows).

    Introduced in chapter 1.
    """

    mean: np.ndarray
    components: np.ndarray
    explained_variance: np.ndarray

    @property
    def n_components(self):
        return self.components.shape[0]


def _check_pca(pca):
    if not isinstance(pca, Pca):
        raise ValueError(
            f"pca must be a Pca fitted with baselines.fit_pca, got "
            f"{type(pca).__name__}."
        )


def fit_pca(x_train, n_components):
    """Fit PCA with ``n_components`` components to a batch of images (flattened
    internally).

    Introduced in chapter 1.
    """
    x_train = check_images(x_train, "x_train")
    if len(x_train) < 2:
        raise ValueError(
            f"x_train must hold at least 2 images to fit PCA (a covariance "
            f"needs two), got {len(x_train)}."
        )
    flat = x_train.reshape(len(x_train), -1).astype("float64")
    n_features = flat.shape[1]
    check_positive_int(n_components, "n_components")
    if n_components > n_features:
        raise ValueError(
            f"n_components must be at most {n_features}, got {n_components}."
        )
    if n_components > len(flat):
        raise ValueError(
            f"n_components must be at most the number of images, "
            f"{len(flat)}, got {n_components}: the other components would "
            "have zero variance."
        )
    mean = flat.mean(axis=0)
    centred = flat - mean
    covariance = centred.T @ centred / (len(flat) - 1)
    eigenvalues, eigenvectors = np.linalg.eigh(covariance)
    order = np.argsort(eigenvalues)[::-1][:n_components]
    components = eigenvectors[:, order].T
    # Fix each component's sign so that results do not depend on the LAPACK
    # build.
    signs = np.sign(
        components[np.arange(n_components), np.abs(components).argmax(axis=1)]
    )
    components *= signs[:, None]
    return Pca(
        mean=mean, components=components, explained_variance=eigenvalues[order]
    )


def pca_encode(pca, images):
    """Project images onto the PCA components: codes of shape ``(n, k)``.

    Introduced in chapter 1.
    """
    _check_pca(pca)
    images = check_images(images, "images")
    flat = images.reshape(len(images), -1).astype("float64")
    if flat.shape[1] != pca.mean.shape[0]:
        raise ValueError(
            f"PCA was fitted on {pca.mean.shape[0]} pixels, images have "
            f"{flat.shape[1]}; pass images of the shape it was fitted on."
        )
    return (flat - pca.mean) @ pca.components.T


def pca_reconstruct(pca, images):
    """Reconstruct images from their PCA codes, in the images' own shape, as
    float32.

    PCA reconstructions can leave [0, 1] slightly; they are not clipped, so the
    summed squared error matches the figure quoted in the literature.

    Introduced in chapter 1.
    """
    _check_pca(pca)
    images = check_images(images, "images")
    flat = pca_encode(pca, images) @ pca.components + pca.mean
    return flat.reshape(images.shape).astype("float32")


def pca_decode(pca, codes):
    """Flat images (float32, ``(n, pixels)``) from PCA codes, for example
    codes that were quantised in between; not clipped to [0, 1].

    Introduced in chapter 13, "Autoencoders as compressors".
    """
    _check_pca(pca)
    codes = check_finite_array(codes, "codes", 2, "(n, components)")
    if codes.shape[1] != pca.components.shape[0]:
        raise ValueError(
            f"codes have {codes.shape[1]} values per image but the PCA keeps "
            f"{pca.components.shape[0]} components; encode with the same PCA."
        )
    return (codes @ pca.components + pca.mean).astype("float32")
