import pytest

from companion import config


def test_fast_mode_is_on_under_pytest():
    # The repository's conftest.py switches fast mode on for the whole suite.
    assert config.is_fast_mode()
    assert config.mode_name() == "fast"


@pytest.mark.parametrize(
    "value, expected",
    [
        ("1", True),
        ("TRUE", True),
        ("on", True),
        ("0", False),
        ("", False),
        ("no", False),
    ],
)
def test_fast_mode_values(monkeypatch, value, expected):
    monkeypatch.setenv(config.FAST_MODE_VARIABLE, value)
    assert config.is_fast_mode() is expected


def test_unset_variable_means_full_mode(monkeypatch):
    monkeypatch.delenv(config.FAST_MODE_VARIABLE, raising=False)
    assert not config.is_fast_mode()
    assert config.pick_epochs(50) == 50
    assert config.pick_epochs(50, fast_epochs=8) == 50
    assert config.train_size() is None
    assert config.test_size() is None


def test_fast_mode_caps_epochs_and_training_set(monkeypatch):
    monkeypatch.setenv(config.FAST_MODE_VARIABLE, "1")
    assert config.pick_epochs(50) == config.FAST_MAX_EPOCHS
    assert config.pick_epochs(1) == 1
    assert config.pick_epochs(30, fast_epochs=8) == 8
    assert config.pick_epochs(5, fast_epochs=8) == 8
    assert config.train_size() == config.FAST_TRAIN_SIZE
    assert config.test_size() == config.FAST_TEST_SIZE


def test_unknown_value_is_an_error(monkeypatch):
    monkeypatch.setenv(config.FAST_MODE_VARIABLE, "maybe")
    with pytest.raises(ValueError, match="AUTOENCODERS_FAST"):
        config.is_fast_mode()


@pytest.mark.parametrize("epochs", [0, -3, 2.5, True, "10"])
def test_pick_epochs_rejects_bad_values(epochs):
    with pytest.raises(ValueError, match="full_epochs"):
        config.pick_epochs(epochs)


def test_set_seed_repeats_random_draws():
    import numpy as np

    config.set_seed(3)
    first = np.random.rand(4)
    config.set_seed(3)
    assert np.array_equal(first, np.random.rand(4))
    with pytest.raises(ValueError, match="seed"):
        config.set_seed(-1)


def test_pick_epochs_rejects_bad_fast_epochs():
    with pytest.raises(ValueError, match="fast_epochs"):
        config.pick_epochs(10, fast_epochs=0)


def test_progress_is_off_under_pytest():
    # conftest.py switches training progress off, as the executor does.
    assert not config.shows_progress()
    assert config.keras_verbosity() == 0


@pytest.mark.parametrize(
    "value, expected",
    [("", "auto"), ("1", "auto"), ("on", "auto"), ("0", 0), ("off", 0)],
)
def test_progress_switch_values(monkeypatch, value, expected):
    monkeypatch.setenv(config.PROGRESS_VARIABLE, value)
    assert config.keras_verbosity() == expected


def test_progress_is_on_for_people_by_default(monkeypatch):
    monkeypatch.delenv(config.PROGRESS_VARIABLE, raising=False)
    assert config.shows_progress()


def test_unknown_progress_value_is_an_error(monkeypatch):
    monkeypatch.setenv(config.PROGRESS_VARIABLE, "loud")
    with pytest.raises(ValueError, match="AUTOENCODERS_PROGRESS"):
        config.shows_progress()
