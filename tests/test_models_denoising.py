import numpy as np
import pytest

from companion import config, corruption, models


def test_denoising_autoencoder_matches_the_keras_blog_model():
    autoencoder = models.build_denoising_conv_autoencoder()
    assert tuple(autoencoder.get_layer("encoder").output.shape[1:]) == (
        7,
        7,
        32,
    )
    assert tuple(autoencoder.output.shape[1:]) == (28, 28, 1)
    # 320 + 9,248 in the encoder; 9,248 + 9,248 + 289 in the decoder.
    assert autoencoder.count_params() == 28353
    decoder = autoencoder.get_layer("decoder")
    assert decoder.get_layer("pixels").get_config()["activation"] == "sigmoid"
    assert [
        layer.name for layer in decoder.layers if "upsample" in layer.name
    ] == ["upsample_1", "upsample_2"]


def test_small_denoiser_trains_on_noisy_inputs(small_images):
    config.set_seed(0)
    clean = small_images[:32].reshape(-1, 28, 28, 1)
    noisy = corruption.add_noise(clean, "gaussian", 0.5, seed=0)
    autoencoder = models.build_denoising_conv_autoencoder(filters=4)
    assert models.count_parameters(autoencoder) < 1000
    autoencoder.compile(optimizer="adam", loss="binary_crossentropy")
    history = autoencoder.fit(noisy, clean, epochs=1, batch_size=16, verbose=0)
    assert np.isfinite(history.history["loss"][0])
    denoised = models.reconstruct(autoencoder, noisy)
    assert (
        denoised.shape == clean.shape
        and 0.0 <= denoised.min()
        and denoised.max() <= 1.0
    )


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"filters": 0}, "filters"),
        ({"filters": (32, 32)}, "filters"),
        ({"kernel_size": 2.5}, "kernel_size"),
        ({"activation": "not-an-activation"}, "activation"),
    ],
)
def test_denoising_builder_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        models.build_denoising_conv_autoencoder(**kwargs)
