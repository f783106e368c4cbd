"""Figures: digit grids, original-vs-reconstruction grids, loss curves,
codes, latent spaces and scores.

Every function returns the ``matplotlib`` figure (Jupyter shows it) and takes
explicit indices, so that a chapter shows the same digits in every run.
Chapters call them through this package, ``plots.plot_reconstructions(...)``;
the code lives in one module per kind of figure:

- ``plots.style``: the shared style (``BOOK_STYLE``, ``book_style``) and the
  layout helpers;
- ``plots.images``: image grids (digits, reconstructions, noise rows,
  interpolation strips, decoded grids, nearest neighbours);
- ``plots.units``: what units hold (codes, feature maps, weight images,
  activation histograms, directions);
- ``plots.curves``: loss curves, curves against a setting, trade-offs,
  rate-distortion;
- ``plots.latent``: latent scatters in 2-d and 3-d;
- ``plots.scores``: ROC curves and score histograms;
- ``plots.series``: time series with their labelled windows and scores,
  and windows with their reconstructions.

Importing the package changes no ``matplotlib`` setting.

Introduced in chapter 1, "The vanilla autoencoder".
"""

from companion.plots.curves import (
    plot_curves,
    plot_loss_curves,
    plot_rate_distortion,
    plot_tradeoff,
)
from companion.plots.images import (
    plot_decoded_grid,
    plot_digits,
    plot_grid_pair,
    plot_interpolation_strips,
    plot_neighbours,
    plot_noise_rows,
    plot_reconstruction_history,
    plot_reconstructions,
)
from companion.plots.latent import (
    plot_latent_3d,
    plot_latent_scatter,
    plot_latent_scatters,
)
from companion.plots.photos import (
    plot_filters,
    plot_photo_crops,
    plot_photos,
)
from companion.plots.scores import plot_roc_curves, plot_score_histograms
from companion.plots.series import plot_series, plot_window_reconstructions
from companion.plots.style import (
    BOOK_STYLE,
    COLUMN_INCHES,
    FIGURE_DPI,
    MAX_COLUMNS,
    ROW_LABEL_INCHES,
    SMALLEST_FONT,
    book_style,
)
from companion.plots.units import (
    plot_activation_histogram,
    plot_codes,
    plot_directions,
    plot_feature_maps,
    plot_index_maps,
    plot_weight_images,
)

__all__ = [
    "BOOK_STYLE",
    "COLUMN_INCHES",
    "FIGURE_DPI",
    "MAX_COLUMNS",
    "ROW_LABEL_INCHES",
    "SMALLEST_FONT",
    "book_style",
    "plot_activation_histogram",
    "plot_codes",
    "plot_curves",
    "plot_decoded_grid",
    "plot_digits",
    "plot_directions",
    "plot_feature_maps",
    "plot_filters",
    "plot_grid_pair",
    "plot_index_maps",
    "plot_interpolation_strips",
    "plot_latent_3d",
    "plot_latent_scatter",
    "plot_latent_scatters",
    "plot_loss_curves",
    "plot_neighbours",
    "plot_noise_rows",
    "plot_photo_crops",
    "plot_photos",
    "plot_rate_distortion",
    "plot_reconstruction_history",
    "plot_reconstructions",
    "plot_roc_curves",
    "plot_score_histograms",
    "plot_series",
    "plot_tradeoff",
    "plot_weight_images",
    "plot_window_reconstructions",
]
