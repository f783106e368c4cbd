"""Tests of companion.retrieval: nearest codes and precision@k.

Codes are small hand-made or random arrays, so the file runs in a second.
"""

import numpy as np
import pytest

from companion import retrieval

# Five codes on a line; the nearest of a query at 0.9 are 1, 0, 3 and 7.
LINE = np.array([[0.0], [1.0], [3.0], [7.0], [15.0]])
LINE_LABELS = np.array([0, 0, 1, 1, 2])


def _clusters(per_class=20, classes=4, seed=0):
    """``classes`` tight clusters in 3-d, far apart, and their labels."""
    rng = np.random.default_rng(seed)
    labels = np.repeat(np.arange(classes), per_class)
    centres = 100.0 * np.eye(classes, 3)
    centres[classes - 1 :] = -100.0  # a fourth centre away from the rest
    codes = centres[labels] + rng.normal(scale=0.5, size=(len(labels), 3))
    return codes, labels


# --- nearest_neighbours ---------------------------------------------------


def test_nearest_neighbours_of_a_hand_made_example():
    queries = np.array([[0.9], [14.0]])
    found = retrieval.nearest_neighbours(LINE, queries, k=3)
    assert found.shape == (2, 3)
    assert np.issubdtype(found.dtype, np.integer)
    np.testing.assert_array_equal(found, [[1, 0, 2], [4, 3, 2]])


def test_a_database_searched_with_itself_finds_each_code_first():
    found = retrieval.nearest_neighbours(LINE, LINE, k=2)
    np.testing.assert_array_equal(found[:, 0], np.arange(5))


def test_exclude_self_leaves_out_each_query_s_own_row():
    found = retrieval.nearest_neighbours(LINE, LINE, k=2, exclude_self=True)
    np.testing.assert_array_equal(
        found, [[1, 2], [0, 2], [1, 0], [2, 1], [3, 2]]
    )
    assert not np.any(found == np.arange(5)[:, None])


def test_exclude_self_drops_the_query_not_its_duplicate():
    codes = np.array([[0.0], [0.0], [5.0], [9.0]])
    found = retrieval.nearest_neighbours(codes, codes, k=3, exclude_self=True)
    np.testing.assert_array_equal(found[:2, 0], [1, 0])
    assert not np.any(found == np.arange(4)[:, None])
    assert all(len(set(row)) == 3 for row in found)


def test_exclude_self_allows_k_up_to_the_other_codes():
    found = retrieval.nearest_neighbours(LINE, LINE, k=4, exclude_self=True)
    assert found.shape == (5, 4)
    for row, neighbours in enumerate(found):
        assert sorted(neighbours) == sorted(set(range(5)) - {row})
    with pytest.raises(ValueError, match="4 other codes"):
        retrieval.nearest_neighbours(LINE, LINE, k=5, exclude_self=True)


def test_exclude_self_needs_the_database_as_queries():
    with pytest.raises(ValueError, match="exclude_self"):
        retrieval.nearest_neighbours(LINE, LINE[:2], exclude_self=True, k=1)
    with pytest.raises(ValueError, match="exclude_self"):
        retrieval.nearest_neighbours(LINE, LINE + 1, exclude_self=True, k=1)


def test_nearest_neighbours_agree_with_brute_force_distances():
    rng = np.random.default_rng(3)
    database = rng.normal(size=(300, 8)).astype("float32")
    queries = rng.normal(size=(40, 8)).astype("float32")
    found = retrieval.nearest_neighbours(database, queries, k=7)
    distances = np.linalg.norm(
        queries[:, None, :].astype("float64") - database[None], axis=-1
    )
    np.testing.assert_array_equal(found, np.argsort(distances, axis=1)[:, :7])


def test_codes_of_more_dimensions_are_flattened():
    rng = np.random.default_rng(4)
    maps = rng.normal(size=(50, 2, 2, 3))
    found = retrieval.nearest_neighbours(maps, maps[:5], k=4)
    flat = retrieval.nearest_neighbours(
        maps.reshape(50, -1), maps[:5].reshape(5, -1), k=4
    )
    np.testing.assert_array_equal(found, flat)


def test_nearest_neighbours_refuses_bad_codes_and_k():
    with pytest.raises(ValueError, match="query_codes have 2 values"):
        retrieval.nearest_neighbours(LINE, np.zeros((1, 2)))
    with pytest.raises(ValueError, match="k=6 is more than the 5 codes"):
        retrieval.nearest_neighbours(LINE, LINE, k=6)
    with pytest.raises(ValueError, match="k must be a positive integer"):
        retrieval.nearest_neighbours(LINE, LINE, k=0)
    with pytest.raises(ValueError, match="database_codes contains NaN"):
        retrieval.nearest_neighbours(LINE * np.nan, LINE, k=1)
    with pytest.raises(ValueError, match="query_codes must hold one code"):
        retrieval.nearest_neighbours(LINE, LINE[:, 0], k=1)


# --- precision_at_k -------------------------------------------------------


def test_precision_of_a_hand_made_example():
    neighbours = np.array([[1, 0, 2], [4, 3, 2]])
    query_labels = np.array([0, 1])
    # Query 0 (label 0): labels 0, 0, 1; query 1 (label 1): 2, 1, 1.
    per_query = retrieval.precision_at_k(
        neighbours, LINE_LABELS, query_labels, per_query=True
    )
    np.testing.assert_allclose(per_query, [2 / 3, 2 / 3])
    precision = retrieval.precision_at_k(neighbours, LINE_LABELS, query_labels)
    assert isinstance(precision, float)
    assert precision == pytest.approx(2 / 3)


def test_precision_is_one_on_well_separated_clusters():
    codes, labels = _clusters()
    found = retrieval.nearest_neighbours(codes, codes, 19, exclude_self=True)
    assert retrieval.precision_at_k(found, labels, labels) == 1.0
    # A twentieth neighbour must come from another cluster.
    found = retrieval.nearest_neighbours(codes, codes, 20, exclude_self=True)
    assert retrieval.precision_at_k(found, labels, labels) == pytest.approx(
        19 / 20
    )


def test_precision_is_near_chance_on_random_labels():
    codes, labels = _clusters(per_class=50)
    shuffled = np.random.default_rng(1).permutation(labels)
    found = retrieval.nearest_neighbours(codes, codes, 10, exclude_self=True)
    precision = retrieval.precision_at_k(found, shuffled, shuffled)
    assert 0.1 < precision < 0.45


def test_precision_takes_labels_beyond_the_ten_digits():
    precision = retrieval.precision_at_k(
        [[0, 1]], np.array([12, 40]), np.array([40])
    )
    assert precision == 0.5


def test_precision_refuses_bad_indices_and_labels():
    neighbours = np.array([[1, 0, 2], [4, 3, 2]])
    with pytest.raises(ValueError, match=r"neighbour_indices must lie in"):
        retrieval.precision_at_k(neighbours, LINE_LABELS[:4], [0, 1])
    with pytest.raises(ValueError, match="neighbour_indices must be integer"):
        retrieval.precision_at_k(neighbours + 0.0, LINE_LABELS, [0, 1])
    with pytest.raises(ValueError, match="same length"):
        retrieval.precision_at_k(neighbours, LINE_LABELS, [0])
    with pytest.raises(ValueError, match="query_labels must be class labels"):
        retrieval.precision_at_k(neighbours, LINE_LABELS, [0, -1])
    with pytest.raises(ValueError, match="database_labels must be integer"):
        retrieval.precision_at_k(neighbours, LINE_LABELS + 0.5, [0, 1])
    with pytest.raises(ValueError, match=r"neighbour_indices must have shape"):
        retrieval.precision_at_k(neighbours[0], LINE_LABELS, [0, 1])
    with pytest.raises(ValueError, match="per_query"):
        retrieval.precision_at_k(neighbours, LINE_LABELS, [0, 1], "yes")
