import numpy as np
import pytest

from companion import baselines, metrics


def test_mean_image(small_images):
    mean = baselines.fit_mean_image(small_images)
    assert mean.shape == (784,)
    reconstructions = baselines.reconstruct_with_mean(mean, small_images[:5])
    assert reconstructions.shape == (5, 784)
    np.testing.assert_allclose(
        reconstructions[3], small_images.mean(axis=0), rtol=1e-6
    )
    with pytest.raises(ValueError, match="mean_image"):
        baselines.reconstruct_with_mean(mean[:10], small_images)


def test_pca_recovers_low_rank_data_exactly():
    rng = np.random.default_rng(0)
    basis = rng.normal(size=(3, 784))
    images = 0.5 + 0.02 * rng.normal(size=(200, 3)) @ basis
    images = np.clip(images, 0, 1).astype("float32")
    # Clipping is rarely hit at this scale; the data are (nearly) rank 3 around
    # the mean.
    pca = baselines.fit_pca(images, 3)
    assert pca.n_components == 3
    np.testing.assert_allclose(
        pca.components @ pca.components.T, np.eye(3), atol=1e-8
    )
    assert (
        metrics.summed_squared_error(
            images, baselines.pca_reconstruct(pca, images)
        )
        < 1e-6
    )


def test_more_components_never_hurt(small_images):
    errors = [
        metrics.summed_squared_error(
            small_images,
            baselines.pca_reconstruct(
                baselines.fit_pca(small_images, k), small_images
            ),
        )
        for k in (1, 5, 20)
    ]
    assert errors[0] > errors[1] > errors[2]


def test_pca_keeps_image_shape():
    images = (
        np.random.default_rng(2)
        .uniform(size=(30, 28, 28, 1))
        .astype("float32")
    )
    pca = baselines.fit_pca(images, 4)
    assert baselines.pca_reconstruct(pca, images).shape == (30, 28, 28, 1)
    assert baselines.pca_encode(pca, images).shape == (30, 4)


def test_bad_arguments(small_images):
    with pytest.raises(ValueError, match="n_components"):
        baselines.fit_pca(small_images, 0)
    with pytest.raises(ValueError, match="at most 784"):
        baselines.fit_pca(small_images, 785)
    pca = baselines.fit_pca(small_images, 2)
    with pytest.raises(ValueError, match="784 pixels"):
        baselines.pca_encode(pca, np.zeros((2, 10), dtype="float32"))
