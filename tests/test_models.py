import numpy as np
import pytest

from companion import config, models


def test_dense_autoencoder_shapes_and_parameters():
    autoencoder = models.build_dense_autoencoder((784,), code_size=32)
    # 784*32 + 32 weights in, 32*784 + 784 weights out.
    assert (
        models.count_parameters(autoencoder) == 784 * 32 + 32 + 32 * 784 + 784
    )
    assert autoencoder.get_layer("encoder").output.shape[1:] == (32,)
    assert tuple(autoencoder.output.shape[1:]) == (784,)


def test_image_autoencoder_flattens_and_reshapes():
    autoencoder = models.build_dense_autoencoder(
        (28, 28, 1), code_size=20, hidden_sizes=(100,)
    )
    assert tuple(autoencoder.output.shape[1:]) == (28, 28, 1)
    encoder = autoencoder.get_layer("encoder")
    assert models.count_parameters(encoder) == 784 * 100 + 100 + 100 * 20 + 20
    assert (
        models.count_parameters(autoencoder.get_layer("decoder"))
        == 20 * 100 + 100 + 100 * 784 + 784
    )


def test_encode_decode_round_trip_matches_autoencoder(small_images):
    config.set_seed(0)
    autoencoder = models.build_dense_autoencoder(
        (784,), code_size=8, hidden_sizes=(16,)
    )
    codes = models.encode(autoencoder.get_layer("encoder"), small_images)
    assert codes.shape == (64, 8) and codes.dtype == np.float32
    decoded = models.decode(autoencoder.get_layer("decoder"), codes)
    np.testing.assert_allclose(
        decoded, models.reconstruct(autoencoder, small_images), atol=1e-6
    )
    assert decoded.min() >= 0.0 and decoded.max() <= 1.0


def test_linear_autoencoder_has_no_activations():
    autoencoder = models.build_dense_autoencoder(
        (784,),
        code_size=4,
        activation=None,
        code_activation=None,
        output_activation=None,
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
        models.join_autoencoder(
            encoder, models.build_dense_decoder(code_size=16)
        )
    with pytest.raises(ValueError, match="input shape"):
        models.join_autoencoder(
            encoder,
            models.build_dense_decoder(code_size=8, output_shape=(28, 28, 1)),
        )


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


def test_pooling_conv_autoencoder_matches_the_classic_model():
    autoencoder = models.build_pooling_conv_autoencoder()
    assert tuple(autoencoder.get_layer("encoder").output.shape[1:]) == (
        4,
        4,
        8,
    )
    assert tuple(autoencoder.output.shape[1:]) == (28, 28, 1)
    # 160 + 1160 + 584 in the encoder; 584 + 584 + 1168 + 145 in the decoder.
    assert autoencoder.count_params() == 4385
    decoder = autoencoder.get_layer("decoder")
    assert decoder.get_layer("deconv_3").get_config()["padding"] == "valid"


def test_strided_conv_autoencoder_shapes():
    autoencoder = models.build_strided_conv_autoencoder()
    assert tuple(autoencoder.get_layer("encoder").output.shape[1:]) == (
        2,
        2,
        8,
    )
    assert tuple(autoencoder.output.shape[1:]) == (32, 32, 1)
    tanh_model = models.build_strided_conv_autoencoder(
        output_activation="tanh"
    )
    assert tanh_model.count_params() == autoencoder.count_params()
    assert (
        tanh_model.get_layer("decoder")
        .get_layer("pixels")
        .get_config()["activation"]
        == "tanh"
    )


@pytest.mark.parametrize(
    "builder, kwargs, message",
    [
        (
            models.build_pooling_conv_autoencoder,
            {"filters": (16, 8)},
            "3 filter counts",
        ),
        (
            models.build_pooling_conv_autoencoder,
            {"kernel_size": 0},
            "kernel_size",
        ),
        (
            models.build_strided_conv_autoencoder,
            {"image_side": 30},
            "divisible",
        ),
        (
            models.build_strided_conv_autoencoder,
            {"strides": (2, 2)},
            "same length",
        ),
    ],
)
def test_conv_builders_reject_bad_arguments(builder, kwargs, message):
    with pytest.raises(ValueError, match=message):
        builder(**kwargs)


def test_conv_model_rejects_flat_input(small_images):
    with pytest.raises(ValueError, match=r"\(n, 28, 28, 1\)"):
        models.reconstruct(
            models.build_pooling_conv_autoencoder(), small_images
        )
