import numpy as np
import pytest

from companion import config, models, training


def _small_model():
    config.set_seed(0)
    model = models.build_dense_autoencoder((784,), code_size=16)
    return training.compile_autoencoder(
        model, loss="binary_crossentropy", learning_rate=3e-3
    )


def test_short_training_run_reduces_the_loss(small_images):
    model = _small_model()
    run = training.fit_autoencoder(
        model, small_images, small_images[:16], epochs=8, batch_size=16
    )
    assert run.epochs == 8 and len(run.history["val_loss"]) == 8
    assert run.history["loss"][-1] < run.history["loss"][0]
    assert run.seconds > 0 and "8 epochs" in run.summary()


def test_same_seed_same_numbers_on_cpu(small_images):
    losses = []
    for _ in range(2):
        model = _small_model()
        run = training.fit_autoencoder(
            model, small_images, epochs=3, batch_size=16, seed=4
        )
        losses.append(run.history["loss"])
    assert losses[0] == losses[1]


def test_saved_model_reloads_with_identical_predictions(
    tmp_path, small_images
):
    import keras

    model = _small_model()
    training.fit_autoencoder(model, small_images, epochs=1, batch_size=16)
    path = tmp_path / "autoencoder.keras"
    model.save(path)
    reloaded = keras.models.load_model(path)
    np.testing.assert_array_equal(
        models.reconstruct(model, small_images),
        models.reconstruct(reloaded, small_images),
    )
    # The sub-models survive the round trip, so codes can still be computed.
    assert reloaded.get_layer("encoder").output.shape[1:] == (16,)


def test_explicit_learning_rate_is_used():
    model = models.build_dense_autoencoder((784,), code_size=4)
    training.compile_autoencoder(
        model, optimizer="adadelta", learning_rate=1.0
    )
    assert float(model.optimizer.learning_rate) == pytest.approx(1.0)


def test_targets_other_than_inputs(small_images):
    model = _small_model()
    run = training.fit_autoencoder(
        model,
        small_images,
        epochs=1,
        batch_size=16,
        train_targets=np.clip(small_images + 0.1, 0, 1),
    )
    assert run.epochs == 1


def test_bad_arguments(small_images):
    model = models.build_dense_autoencoder((784,), code_size=4)
    with pytest.raises(ValueError, match="not compiled"):
        training.fit_autoencoder(model, small_images, epochs=1)
    training.compile_autoencoder(model)
    with pytest.raises(ValueError, match="epochs"):
        training.fit_autoencoder(model, small_images, epochs=0)
    with pytest.raises(ValueError, match="train_targets"):
        training.fit_autoencoder(
            model, small_images, epochs=1, train_targets=small_images[:3]
        )
    with pytest.raises(ValueError, match="optimizer"):
        training.compile_autoencoder(model, optimizer="sgd-with-magic")
    with pytest.raises(ValueError, match="learning_rate"):
        training.compile_autoencoder(model, learning_rate=0)
    with pytest.raises(ValueError, match="loss"):
        training.compile_autoencoder(model, loss="no-such-loss")


def test_training_run_final_and_missing_metric():
    run = training.TrainingRun(
        history={"loss": [0.3, 0.2]}, seconds=2.0, epochs=2
    )
    assert run.final() == 0.2 and run.seconds_per_epoch == 1.0
    with pytest.raises(ValueError, match="val_loss"):
        run.final("val_loss")


def test_reconstruction_recorder_keeps_one_frame_per_epoch(small_images):
    model = _small_model()
    recorder = training.ReconstructionRecorder(small_images[:4])
    training.fit_autoencoder(
        model, small_images, epochs=3, batch_size=16, callbacks=[recorder]
    )
    assert recorder.reconstructions.shape == (3, 4, 784)
    assert not np.array_equal(
        recorder.reconstructions[0], recorder.reconstructions[2]
    )
    np.testing.assert_allclose(
        recorder.reconstructions[-1],
        models.reconstruct(model, small_images[:4]),
        atol=1e-6,
    )


def test_reconstruction_recorder_checks():
    with pytest.raises(ValueError, match="nothing recorded"):
        training.ReconstructionRecorder(
            np.zeros((2, 784), dtype="float32")
        ).reconstructions
    with pytest.raises(ValueError, match="at most 64"):
        training.ReconstructionRecorder(np.zeros((65, 784), dtype="float32"))
