"""companion.widgets: the files behind the site's interactive figures.

The browser tests (tests/test_site.py) check that the page draws what
``decode_exported`` computes; these tests check that ``decode_exported``
computes what the Keras decoder does, that files round-trip, and that the
committed files come from the chapters' full-mode runs.
"""

import json
import pathlib

import keras
import numpy as np
import pytest

from companion import config, latent, models, vae, widgets

ROOT = pathlib.Path(__file__).resolve().parent.parent
RNG = np.random.default_rng(0)
CODES = RNG.normal(size=(40, 2)).astype("float32")
LABELS = np.arange(40) % 10
IMAGES = RNG.uniform(size=(40, 28, 28, 1)).astype("float32")


@pytest.fixture(scope="module")
def vae_decoder():
    config.set_seed(0)
    return vae.build_vae_decoder(2, hidden_units=64)


def test_latent_explorer_round_trip(vae_decoder, tmp_path):
    path = tmp_path / "explorer.js"
    size = widgets.write_latent_explorer(
        path, vae_decoder, CODES, LABELS, IMAGES
    )
    widget = widgets.read_widget(path)
    assert size == path.stat().st_size == widget["file_bytes"]
    assert widget["kind"] == "latent-explorer"
    np.testing.assert_array_equal(widget["codes"], CODES)
    np.testing.assert_array_equal(widget["labels"], LABELS)
    np.testing.assert_array_equal(
        widget["images"], np.round(IMAGES.reshape(40, -1) * 255)
    )
    low_x, high_x, low_y, high_y = widget["extent"]
    assert low_x < np.median(CODES[:, 0]) < high_x
    assert low_y < np.median(CODES[:, 1]) < high_y
    assert [p.name for p in tmp_path.iterdir()] == ["explorer.js"]
    # The file is one JavaScript statement that registers the data.
    text = path.read_text()
    assert '.autoencoderWidgets || {})["explorer"] = {' in text


def test_exported_decoder_decodes_like_keras(vae_decoder, tmp_path):
    path = tmp_path / "explorer.js"
    widgets.write_latent_explorer(path, vae_decoder, CODES, LABELS, IMAGES)
    grid = latent.normal_quantile_grid(15, margin=0.05)
    exported = widgets.decode_exported(widgets.read_widget(path), grid)
    keras_images = models.decode(vae_decoder, grid).reshape(len(grid), -1)
    # float16 weights: well under one grey level of 255.
    assert np.abs(exported - keras_images).max() < 0.5 / 255
    one = widgets.decode_exported(widgets.read_widget(path), grid[0])
    np.testing.assert_allclose(one[0], exported[0], atol=1e-6)


def test_interpolation_slider_round_trip_and_decoder(tmp_path):
    config.set_seed(0)
    decoder = models.build_dense_decoder(
        code_size=20, output_shape=(28, 28, 1), hidden_sizes=(100,)
    )
    starts = np.abs(RNG.normal(size=(3, 20))).astype("float32")
    ends = np.abs(RNG.normal(size=(3, 20))).astype("float32")
    path = tmp_path / "slider.js"
    widgets.write_interpolation_slider(
        path, decoder, starts, ends, IMAGES[:3], IMAGES[3:6], ["a", "b", "c"]
    )
    widget = widgets.read_widget(path)
    assert widget["names"] == ["a", "b", "c"]
    np.testing.assert_array_equal(widget["start_codes"], starts)
    path_codes = latent.interpolate_codes(
        starts[1], ends[1], [0.0, 0.3, 1.0], "spherical"
    )
    exported = widgets.decode_exported(widget, path_codes)
    keras_images = models.decode(decoder, path_codes).reshape(3, -1)
    assert np.abs(exported - keras_images).max() < 0.5 / 255


def test_decoder_without_biases(tmp_path):
    codes = keras.Input(shape=(2,))
    hidden = keras.layers.Dense(16, activation="tanh", use_bias=False)(codes)
    pixels = keras.layers.Dense(784, activation="sigmoid")(hidden)
    decoder = keras.Model(codes, pixels)
    path = tmp_path / "explorer.js"
    widgets.write_latent_explorer(path, decoder, CODES, LABELS, IMAGES)
    exported = widgets.decode_exported(widgets.read_widget(path), CODES)
    assert np.abs(exported - decoder.predict(CODES, verbose=0)).max() < 1e-3


def test_bad_input_writes_nothing(vae_decoder, tmp_path):
    with pytest.raises(ValueError, match="labels"):
        widgets.write_latent_explorer(
            tmp_path / "explorer.js", vae_decoder, CODES, LABELS + 10, IMAGES
        )
    assert list(tmp_path.iterdir()) == []


def test_output_folder_by_mode(tmp_path, monkeypatch):
    monkeypatch.delenv(widgets.FOLDER_VARIABLE, raising=False)
    monkeypatch.setenv(config.FAST_MODE_VARIABLE, "1")
    assert "autoencoders-widgets" in str(widgets.output_folder())
    monkeypatch.setenv(config.FAST_MODE_VARIABLE, "0")
    book = tmp_path / "book"
    (book / "_static").mkdir(parents=True)
    (book / "_config.yml").write_text("title: test\n")
    (book / "chapters").mkdir()
    monkeypatch.chdir(book / "chapters")
    assert widgets.output_folder() == book / "_static" / "widgets"
    elsewhere = tmp_path / "colab"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert widgets.output_folder() == elsewhere / "widgets"
    monkeypatch.setenv(widgets.FOLDER_VARIABLE, str(tmp_path / "chosen"))
    assert widgets.output_folder() == tmp_path / "chosen"
    assert (tmp_path / "chosen").is_dir()


COMMITTED = sorted((ROOT / "_static" / "widgets").glob("*.js"))


def test_each_chapter_widget_has_a_committed_file():
    written = {
        path.stem
        for path in COMMITTED
        if path.stem in {"interpolation_slider", "vae_latent_explorer"}
    }
    assert written == {"interpolation_slider", "vae_latent_explorer"}


@pytest.mark.parametrize("path", COMMITTED, ids=lambda path: path.stem)
def test_committed_widget_file_comes_from_a_full_mode_run(path):
    """The chapter that writes the file printed its hash in a full-mode
    run, and the file is under about 2 MB."""
    widget = widgets.read_widget(path)
    assert widget["file_bytes"] < 2_000_000
    writers = []
    for notebook_path in sorted((ROOT / "book").glob("*.ipynb")):
        notebook = json.loads(notebook_path.read_text())
        sources = "".join(
            "".join(cell["source"]) for cell in notebook["cells"]
        )
        if f'"{path.name}"' in sources:
            writers.append(notebook)
    assert len(writers) == 1, (
        f"{path.name}: written by {len(writers)} chapters"
    )
    printed = "".join(
        "".join(output.get("text", ""))
        for cell in writers[0]["cells"]
        for output in cell.get("outputs", [])
    )
    assert "full mode" in printed
    assert f"sha256 {widget['sha256']}" in printed, (
        f"{path.name} is not the file the chapter's stored run wrote: "
        "re-execute the chapter in full mode"
    )


SITE = ROOT / "_build" / "html"


@pytest.mark.skipif(not SITE.exists(), reason="no site in _build/html")
def test_no_page_loads_a_widget_data_file_up_front():
    """Jupyter Book lists every .js under _static on every page;
    _ext/book_site.py takes the data files off, so a page loads a decoder
    only through its widget."""
    pages = sorted(SITE.rglob("*.html"))
    assert pages
    for page in pages:
        assert "_static/widgets/" not in page.read_text(), page.name
    chapter = (SITE / "book" / "variational_autoencoders.html").read_text()
    assert "_static/widgets.js" in chapter
    assert 'data-widget="vae_latent_explorer"' in chapter
