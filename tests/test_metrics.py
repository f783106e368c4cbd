import numpy as np
import pytest

from companion import metrics


def test_known_values():
    x_true = np.array([[0.0, 1.0, 0.5, 0.5]], dtype="float32")
    x_pred = np.array([[0.5, 1.0, 0.5, 0.0]], dtype="float32")
    assert metrics.mean_squared_error(x_true, x_pred) == pytest.approx(
        (0.25 + 0.25) / 4
    )
    assert metrics.summed_squared_error(x_true, x_pred) == pytest.approx(0.5)
    expected_bce = np.mean(
        [
            np.log(2),
            -np.log(1 - 1e-7),
            np.log(2),
            -0.5 * np.log(1e-7) - 0.5 * np.log(1 - 1e-7),
        ]
    )
    assert metrics.binary_cross_entropy(x_true, x_pred) == pytest.approx(
        expected_bce, rel=1e-6
    )


def test_summed_error_averages_over_images():
    x_true = np.zeros((2, 784), dtype="float32")
    x_pred = np.zeros((2, 784), dtype="float32")
    x_pred[0, :100] = 1.0  # 100 in the first image, 0 in the second
    assert metrics.summed_squared_error(x_true, x_pred) == pytest.approx(50.0)


def test_psnr_matches_definition():
    x_true = np.zeros((3, 28, 28, 1), dtype="float32")
    x_pred = np.full((3, 28, 28, 1), 0.1, dtype="float32")
    # MSE 0.01 with data range 1 gives 20 dB.
    assert metrics.peak_signal_noise_ratio(x_true, x_pred) == pytest.approx(
        20.0, abs=1e-4
    )


def test_perfect_reconstruction(small_images):
    assert metrics.structural_similarity(
        small_images, small_images
    ) == pytest.approx(1.0)
    assert metrics.peak_signal_noise_ratio(small_images, small_images) == 100.0
    assert metrics.summed_squared_error(small_images, small_images) == 0.0


def test_ssim_is_the_mean_of_per_image_ssim(small_images):
    from skimage.metrics import structural_similarity

    noisy = np.clip(small_images[::-1] * 0.5 + 0.2, 0, 1)
    per_image = [
        structural_similarity(
            a.reshape(28, 28), b.reshape(28, 28), data_range=1.0
        )
        for a, b in zip(small_images, noisy)
    ]
    assert metrics.structural_similarity(small_images, noisy) == pytest.approx(
        np.mean(per_image), rel=1e-6
    )


def test_evaluate_and_table(small_images):
    row = metrics.results_row(
        "identity",
        small_images,
        small_images,
        code_size=784,
        parameters=0,
        seconds=1.5,
    )
    assert set(metrics.METRIC_NAMES) <= set(row)
    table = metrics.format_results_table(
        [row, metrics.results_row("half", small_images, small_images / 2)]
    )
    lines = table.splitlines()
    assert len(lines) == 4 and lines[0].startswith("| model")
    assert "| half | – | – |" in lines[3]


def test_bad_inputs(small_images):
    with pytest.raises(ValueError, match="same shape"):
        metrics.mean_squared_error(small_images, small_images[:3])
    with pytest.raises(ValueError, match="x_true"):
        metrics.mean_squared_error(small_images * 255, small_images)
    with pytest.raises(ValueError, match="28x28"):
        metrics.structural_similarity(np.zeros((2, 10)), np.zeros((2, 10)))
    with pytest.raises(ValueError, match="rows is empty"):
        metrics.format_results_table([])
    with pytest.raises(ValueError, match="name"):
        metrics.results_row("", small_images, small_images)


def test_markdown_table_formats_aligns_and_dashes_missing_values():
    table = metrics.markdown_table(
        [{"name": "a", "value": 1.234}, {"name": "b", "value": None}],
        {"name": "{}", "value": "{:.1f}"},
        {"value": "the value"},
    )
    assert table.split("\n") == [
        "| name | the value |",
        "|---|---:|",
        "| a | 1.2 |",
        "| b | – |",
    ]
