"""The book's figure style: every figure fits the text column, with legible
text.

Each public plotting function is drawn with small made-up data and saved as
the site does (PNG, tight bounding box); the picture must be at most 688
pixels wide (the text column, so the site never shrinks it) and no text may
be smaller than ``plots.SMALLEST_FONT`` points. A figure drawn in a Jupyter
kernel must be shown, the second one of a session too.
"""

import io

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.image import imread

from companion import nab, plots

COLUMN_PIXELS = 688
RNG = np.random.default_rng(0)
IMAGES = RNG.random((40, 784)).astype("float32")
LABELS = np.arange(40) % 10
CODES = RNG.random((40, 20)).astype("float32")
WEIGHTS = np.linspace(0.0, 1.0, 11)
GRID = np.linspace(-3.0, 3.0, 15)
SERIES = nab.Series(
    "tiny/a.csv",
    np.datetime64("2014-04-01T00:00")
    + np.arange(2000) * np.timedelta64(5, "m"),
    RNG.normal(size=2000),
    ((1000, 1100), (1500, 1550)),
)
HISTORY = {"loss": [0.3, 0.2, 0.1], "val_loss": [0.35, 0.25, 0.15]}

FIGURES = {
    "plot_digits": lambda: plots.plot_digits(
        IMAGES, list(range(30)), labels=LABELS, title="thirty digits"
    ),
    "plot_reconstructions": lambda: plots.plot_reconstructions(
        IMAGES,
        {"median filter": IMAGES, "β = 0.25": IMAGES},
        list(range(12)),
        title="twelve digits",
    ),
    "plot_loss_curves": lambda: plots.plot_loss_curves(
        {"a long model name, 784-1000-500-250-30": HISTORY}, title="loss"
    ),
    "plot_codes": lambda: plots.plot_codes(
        CODES, [0, 1, 2, 3, 4], labels=LABELS, title="codes"
    ),
    "plot_latent_scatter": lambda: plots.plot_latent_scatter(
        CODES[:, :2], LABELS, title="2-d codes"
    ),
    "plot_latent_3d": lambda: plots.plot_latent_3d(
        CODES[:, :3], LABELS, title="3-d codes"
    ),
    "plot_reconstruction_history": lambda: plots.plot_reconstruction_history(
        IMAGES[:10], np.stack([IMAGES[:10]] * 4)
    ),
    "plot_feature_maps": lambda: plots.plot_feature_maps(
        RNG.random((28, 28, 16)), title="16 maps"
    ),
    "plot_grid_pair": lambda: plots.plot_grid_pair(
        IMAGES, IMAGES, list(range(16))
    ),
    "plot_weight_images": lambda: plots.plot_weight_images(
        RNG.normal(size=(784, 64)), count=16, title="weights"
    ),
    "plot_noise_rows": lambda: plots.plot_noise_rows(
        {"noisy": IMAGES, "median filter": IMAGES}, list(range(10))
    ),
    "plot_activation_histogram": lambda: plots.plot_activation_histogram(
        {"plain": CODES, "sparse": CODES / 2}, title="codes"
    ),
    "plot_tradeoff": lambda: plots.plot_tradeoff(
        {"λ = 1e-4": (1.0, 3.0), "λ = 1e-3": (0.5, 8.0)}, "x", "y"
    ),
    "plot_curves": lambda: plots.plot_curves(
        [0.1, 0.5, 0.9], {"a": [1, 2, 3]}, "σ", "PSNR (dB)", marker=0.5
    ),
    "plot_interpolation_strips": lambda: plots.plot_interpolation_strips(
        {"latent (20-d)": IMAGES[:11], "pixels": IMAGES[:11]}, WEIGHTS
    ),
    "plot_decoded_grid": lambda: plots.plot_decoded_grid(
        np.tile(IMAGES[:15], (15, 1)), GRID, GRID[::-1], title="grid"
    ),
    "plot_latent_scatters": lambda: plots.plot_latent_scatters(
        {
            "β = 0.25": CODES[:, :2],
            "β = 1": CODES[:, :2],
            "β = 4": CODES[:, :2],
        },
        LABELS,
    ),
    "plot_directions": lambda: plots.plot_directions(
        {
            "plain": RNG.normal(size=(5, 784)),
            "contractive λ = 0.01": RNG.normal(size=(5, 784)),
        },
        title="leading directions",
    ),
    "plot_roc_curves": lambda: plots.plot_roc_curves(
        {
            "PCA-32": ([0.0, 0.2, 1.0], [0.0, 0.8, 1.0]),
            "convolutional AE": ([0.0, 0.1, 1.0], [0.0, 0.9, 1.0]),
        },
        title="normal digit 8",
    ),
    "plot_rate_distortion": lambda: plots.plot_rate_distortion(
        {
            "JPEG": ([120.0, 180.0, 260.0, 420.0], [18.0, 22.0, 26.0, 31.0]),
            "autoencoder, 32-d code at 6 bits": ([18.0, 24.0], [17.0, 19.5]),
        },
        target=22.0,
        title="bytes per image and PSNR",
    ),
    "plot_score_histograms": lambda: plots.plot_score_histograms(
        {
            "normal (8)": RNG.normal(size=200),
            "anomalies": RNG.normal(2, 1, 900),
        },
        "summed squared error",
        thresholds={"mean + std": 1.0, "max": 3.0},
        title="scores",
    ),
    "plot_series": lambda: plots.plot_series(
        SERIES,
        np.linspace(0.0, 1.0, 2000),
        0.9,
        title="realKnownCause/machine_temperature_system_failure.csv",
        show_probation=True,
    ),
    "plot_window_reconstructions": lambda: plots.plot_window_reconstructions(
        RNG.normal(size=(3, 96)),
        {name: RNG.normal(size=(3, 96)) for name in ("dense", "LSTM")},
        titles=["normal", "normal", "the jump (labelled window)"],
    ),
    "plot_filters": lambda: plots.plot_filters(
        RNG.normal(size=(64, 64)), title="64 filters of 8x8"
    ),
    "plot_photo_crops": lambda: plots.plot_photo_crops(
        {
            f"method {index}, 29.9 dB": RNG.random((120, 160, 3))
            for index in range(6)
        },
        (10, 20, 96),
        columns=3,
        title="sigma = 25, the middle of chelsea",
    ),
    "plot_index_maps": lambda: plots.plot_index_maps(
        IMAGES,
        RNG.integers(0, 64, size=(40, 7, 7)),
        [0, 1, 2, 3, 4],
        title="five digits and their entries",
    ),
    "plot_neighbours": lambda: plots.plot_neighbours(
        IMAGES[:5],
        IMAGES,
        (np.arange(50).reshape(5, 10) * 7) % 40,
        LABELS[:5],
        LABELS,
        title="five queries and their ten nearest codes",
    ),
    "plot_photos": lambda: plots.plot_photos(
        {
            "astronaut": RNG.random((512, 512, 3)),
            "chelsea": RNG.random((300, 451, 3)),
            "coffee": RNG.random((400, 600, 1)),
            "flower": RNG.random((427, 640, 3)),
        },
        title="The held-out photographs",
    ),
}


def test_every_plotting_function_is_checked():
    public = {
        name
        for name in dir(plots)
        if name.startswith("plot_") and callable(getattr(plots, name))
    }
    assert public == set(FIGURES)


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_figure_fits_the_column_with_legible_text(name):
    figure = FIGURES[name]()
    try:
        assert figure.dpi == plots.FIGURE_DPI
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", bbox_inches="tight")
        buffer.seek(0)
        height, width = imread(buffer).shape[:2]
        assert width <= COLUMN_PIXELS, f"{width} px wide"
        sizes = [
            text.get_fontsize()
            for text in figure.findobj(matplotlib.text.Text)
            if text.get_text().strip() and text.get_visible()
        ]
        assert sizes and min(sizes) >= plots.SMALLEST_FONT
    finally:
        plt.close(figure)


def test_style_does_not_leak_out_of_the_plotting_functions():
    before = dict(matplotlib.rcParams)
    plt.close(FIGURES["plot_digits"]())
    after = dict(matplotlib.rcParams)
    assert {k for k in before if before[k] != after[k]} <= {"interactive"}


def test_every_figure_of_a_session_is_shown_in_jupyter(monkeypatch):
    # The kernel must choose Jupyter's inline backend, as for a reader.
    monkeypatch.delenv("MPLBACKEND", raising=False)
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell(source)
        for source in [
            "import numpy as np\nfrom companion import plots\n"
            "x = np.random.default_rng(0).random((20, 784))",
            "figure = plots.plot_digits(x, [0, 1, 2])",
            "figure = plots.plot_digits(x, [3, 4, 5])\n"
            "figure = plots.plot_noise_rows({'a': x}, [0, 1])",
        ]
    ]
    client = nbclient.NotebookClient(
        notebook, kernel_name="python3", timeout=120
    )
    client.execute()
    shown = [
        sum("image/png" in output.get("data", {}) for output in cell.outputs)
        for cell in notebook.cells
    ]
    assert shown == [0, 1, 2]
