"""Finding similar images: the nearest codes of each query among a database
of codes, and how many of them share the query's label (precision@k).

An encoder that places images of the same digit close together lets a
search for "images like this one" run on the codes: compute the code of
the query, find the ``k`` nearest codes in the database by Euclidean
distance (scikit-learn's ``NearestNeighbors``, exact search), and show
those images. Precision@k counts the share of the ``k`` neighbours whose
label is the query's: 1 when every image returned is of the same digit.

Introduced in chapter 12, "Codes as features".
"""

import numpy as np
from sklearn.neighbors import NearestNeighbors

from companion.checks import (
    check_bool,
    check_codes,
    check_finite_array,
    check_neighbour_indices,
    check_positive_int,
    check_same_length,
)


def nearest_neighbours(database_codes, query_codes, k=10, exclude_self=False):
    """Indices into ``database_codes`` of the ``k`` codes nearest to each of
    ``query_codes`` (Euclidean distance), nearest first: an int array of
    shape ``(n_queries, k)``.

    Codes are one per image, shape ``(n, code_size)``; codes of more
    dimensions (a convolutional encoder's maps) are flattened after the
    first axis. The search is exact (scikit-learn's ``NearestNeighbors``
    with ``algorithm="brute"``); codes at the same distance come in no
    particular order.

    ``exclude_self=True`` is for a database searched with its own codes
    (``query_codes`` *is* ``database_codes``): each query's own row, at
    distance 0, is left out, so that the ``k`` neighbours are ``k`` other
    images and ``k`` must be below the database's size.

    Introduced in chapter 12.
    """
    database = check_codes(database_codes, "database_codes")
    queries = check_codes(query_codes, "query_codes")
    check_positive_int(k, "k")
    check_bool(exclude_self, "exclude_self")
    if queries.shape[1] != database.shape[1]:
        raise ValueError(
            f"query_codes have {queries.shape[1]} values per image and "
            f"database_codes {database.shape[1]}; encode both with the "
            "same encoder."
        )
    available = len(database) - 1 if exclude_self else len(database)
    if k > available:
        others = " other" if exclude_self else ""
        raise ValueError(
            f"k={k} is more than the {available}{others} codes of "
            "database_codes; ask for fewer neighbours."
        )
    if exclude_self and (
        queries.shape != database.shape
        or not np.array_equal(queries, database)
    ):
        raise ValueError(
            "exclude_self=True leaves out each query's own row, so "
            "query_codes must be database_codes itself (row i of the queries "
            "is row i of the database); for queries that are not in the "
            "database, pass exclude_self=False."
        )
    search = NearestNeighbors(n_neighbors=k, algorithm="brute")
    search.fit(database.astype("float64"))
    if not exclude_self:
        return search.kneighbors(
            queries.astype("float64"), return_distance=False
        ).astype(int)
    found = search.kneighbors(
        queries.astype("float64"), n_neighbors=k + 1, return_distance=False
    )
    # A duplicate of the query may come before the query itself: drop the
    # query's own row where it was found, else the farthest of the k + 1.
    own = found == np.arange(len(found))[:, None]
    own[~own.any(axis=1), -1] = True
    return found[~own].reshape(len(found), k).astype(int)


def _check_class_labels(labels, name):
    """Return ``labels`` as a 1-d array of integer classes 0, 1, 2, ...
    (any number of classes, not only digits)."""
    array = check_finite_array(labels, name, 1, "(n,), one label per image")
    if not np.issubdtype(array.dtype, np.integer):
        raise ValueError(
            f"{name} must be integer class labels (0, 1, 2, ...), got dtype "
            f"{array.dtype}; labels are class numbers, not floats."
        )
    if array.min() < 0:
        raise ValueError(
            f"{name} must be class labels of 0 or more, got {array.min()}; "
            "leave unlabelled images out of the database and the queries."
        )
    return array


def precision_at_k(
    neighbour_indices, database_labels, query_labels, per_query=False
):
    """Precision@k of a search: for each query, the share (0 to 1) of its
    ``k`` neighbours whose label equals the query's, averaged over the
    queries.

    ``neighbour_indices`` has shape ``(n_queries, k)``, indices into
    ``database_labels``, as ``nearest_neighbours`` returns; labels are
    integer classes (0, 1, 2, ...), one per database image and one per
    query. Returns a float, or with ``per_query=True`` the ``(n_queries,)``
    array of each query's precision.

    Introduced in chapter 12.
    """
    database_labels = _check_class_labels(database_labels, "database_labels")
    query_labels = _check_class_labels(query_labels, "query_labels")
    indices = check_neighbour_indices(
        neighbour_indices, len(database_labels), "database_labels"
    )
    check_same_length(
        indices, query_labels, "neighbour_indices", "query_labels"
    )
    check_bool(per_query, "per_query")
    hits = database_labels[indices] == query_labels[:, None]
    precisions = hits.mean(axis=1)
    return precisions if per_query else float(precisions.mean())
