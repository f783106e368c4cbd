import numpy as np
import pytest

from companion import config, models


def test_dense_autoencoder_shapes_and_parameters():
    autoencoder = models.build_dense_autoencoder((784,), code_size=32)
    # 784*32 + 32 weights in, 32*784 + 784 weights out.
    assert models.count_parameters(autoencoder) == 784 * 32 + 32 + 32 * 784 + 784
    assert autoencoder.get_layer("encoder").output.shape[1:] == (32,)
    assert tuple(autoencoder.output.shape[1:]) == (784,)


def test_image_autoencoder_flattens_and_reshapes():
    autoencoder = models.build_dense_autoencoder((28, 28, 1), code_size=20, hidden_sizes=(100,))
    assert tuple(autoencoder.output.shape[1:]) == (28, 28, 1)
    encoder = autoencoder.get_layer("encoder")
    assert models.count_parameters(encoder) == 784 * 100 + 100 + 100 * 20 + 20
    assert models.count_parameters(autoencoder.get_layer("decoder")) == 20 * 100 + 100 + 100 * 784 + 784


def test_encode_decode_round_trip_matches_autoencoder(small_images):
    config.set_seed(0)
    autoencoder = models.build_dense_autoencoder((784,), code_size=8, hidden_sizes=(16,))
    codes = models.encode(autoencoder.get_layer("encoder"), small_images)
    assert codes.shape == (64, 8) and codes.dtype == np.float32
    decoded = models.decode(autoencoder.get_layer("decoder"), codes)
    np.testing.assert_allclose(decoded, models.reconstruct(autoencoder, small_images), atol=1e-6)
    assert decoded.min() >= 0.0 and decoded.max() <= 1.0


def test_linear_autoencoder_has_no_activations():
    autoencoder = models.build_dense_autoencoder(
        (784,), code_size=4, activation=None, code_activation=None, output_activation=None
    )
    layer = autoencoder.get_layer("encoder").get_layer("code")
    assert layer.get_config()["activation"] == "linear"


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"code_size": 0}, "code_size"),
        ({"code_size": 2.5}, "code_size"),
        ({"hidden_sizes": (64, -1)}, "hidden_sizes"),
        ({"input_shape": (0,)}, "input_shape"),
        ({"activation": "not-an-activation"}, "activation"),
    ],
)
def test_bad_builder_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        models.build_dense_autoencoder(**kwargs)


def test_join_checks_sizes():
    encoder = models.build_dense_encoder((784,), code_size=8)
    with pytest.raises(ValueError, match="code"):
        models.join_autoencoder(encoder, models.build_dense_decoder(code_size=16))
    with pytest.raises(ValueError, match="input shape"):
        models.join_autoencoder(encoder, models.build_dense_decoder(code_size=8, output_shape=(28, 28, 1)))


def test_wrong_input_shape_is_explained(small_images):
    autoencoder = models.build_dense_autoencoder((28, 28, 1), code_size=4)
    with pytest.raises(ValueError, match=r"shape='image'"):
        models.reconstruct(autoencoder, small_images)


def test_out_of_range_input_is_refused(small_images):
    autoencoder = models.build_dense_autoencoder((784,), code_size=4)
    with pytest.raises(ValueError, match="255"):
        models.reconstruct(autoencoder, small_images * 255)


def test_decode_rejects_wrong_code_size():
    decoder = models.build_dense_decoder(code_size=8)
    with pytest.raises(ValueError, match=r"\(n, 8\)"):
        models.decode(decoder, np.zeros((3, 5)))
