"""Checks on the book itself: table of contents, Colab cells, stored
outputs.
"""

import json
import pathlib
import re
import tomllib

import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "book").glob("*.ipynb"))
NOISE = re.compile(
    r"(cuda_|cudart_stub|oneDNN|absl::|cpu_feature_guard|I0000 |W0000 |E0000 "
    r"|WARNING:tensorflow|tf\.function retracing)"
)


def _toc_files():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [chapter["file"] for chapter in part["chapters"]]
    return files


def _cells(path):
    return json.loads(path.read_text())["cells"]


def _source(cell):
    return "".join(cell["source"])


def test_every_chapter_is_in_the_table_of_contents():
    listed = set(_toc_files())
    assert NOTEBOOKS, "no notebooks in book/"
    for path in NOTEBOOKS:
        assert f"book/{path.stem}" in listed, (
            f"{path.name} is missing from _toc.yml"
        )
    for entry in listed:
        assert list(ROOT.glob(entry + ".*")), (
            f"_toc.yml lists {entry}, which does not exist"
        )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_first_code_cell_installs_the_companion_in_colab_only(path):
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    first = next(
        _source(cell) for cell in _cells(path) if cell["cell_type"] == "code"
    )
    assert 'if "google.colab" in sys.modules:' in first
    url = config["repository"]["url"]
    assert f'REPOSITORY = "{url}"' in first, (
        "install URL differs from _config.yml's repository.url"
    )
    assert "git+{REPOSITORY}" in first
    # pip installs the distribution named in pyproject.toml, not another
    # project that happens to be called "companion".
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert f'"{project["project"]["name"]} @ git+{{REPOSITORY}}"' in first, (
        "the install cell names another distribution than pyproject.toml"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_install_cell_is_collapsed_on_the_site(path):
    first = next(cell for cell in _cells(path) if cell["cell_type"] == "code")
    assert "hide-input" in first["metadata"].get("tags", [])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_no_test_markers_in_code_seen_by_readers(path):
    # nbval markers are cell tags (nbval-check-output), never comments.
    for index, cell in enumerate(_cells(path)):
        assert "NBVAL" not in _source(cell), f"cell {index} shows a marker"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_every_figure_has_alt_text(path):
    for index, cell in enumerate(_cells(path)):
        if cell["cell_type"] != "code":
            continue
        if not any("image/png" in o.get("data", {}) for o in cell["outputs"]):
            continue
        alt = cell["metadata"].get("mystnb", {}).get("image", {}).get("alt")
        assert alt and len(alt) >= 20, f"cell {index}: figure without alt text"
        assert ".png" not in alt, f"cell {index}: alt text is a path"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_tensorflow_logging_is_silenced_before_keras_is_imported(path):
    setup = next(
        _source(cell)
        for cell in _cells(path)
        if "import keras" in _source(cell)
    )
    assert setup.index("TF_CPP_MIN_LOG_LEVEL") < setup.index("import keras")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_stored_outputs_are_clean(path):
    notebook = json.loads(path.read_text())
    for index, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] != "code":
            continue
        assert "execution" not in cell["metadata"], (
            f"cell {index} carries execution timestamps"
        )
        if _source(cell).strip():
            assert cell["execution_count"] is not None, (
                f"cell {index} was not executed"
            )
        for output in cell["outputs"]:
            assert output["output_type"] != "error", (
                f"cell {index} stored an error"
            )
            if output["output_type"] == "stream":
                assert not NOISE.search("".join(output["text"])), (
                    f"cell {index} stored TensorFlow log noise"
                )
    assert "widgets" not in notebook["metadata"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_stored_outputs_come_from_full_mode(path):
    text = "".join(
        "".join(output.get("text", ""))
        for cell in _cells(path)
        if cell["cell_type"] == "code"
        for output in cell["outputs"]
    )
    assert "full mode" in text and "fast mode" not in text, (
        "re-run with scripts/execute_notebooks.py"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_every_plotting_cell_stored_its_figure(path):
    for index, cell in enumerate(_cells(path)):
        if cell["cell_type"] != "code" or "plots.plot_" not in _source(cell):
            continue
        images = [
            o for o in cell["outputs"] if "image/png" in o.get("data", {})
        ]
        assert images, f"cell {index} draws a figure but stored none"


EXERCISE = re.compile(r"```\{exercise\}[^\n]*\n:label: (\S+)")
SOLUTION_START = re.compile(r"```\{solution-start\} (\S+)\n(:class: \S+)?")
SOLUTION_END = re.compile(r"```\{solution-end\}")


def _exercise_section(path):
    """The chapter's cells from its "## Exercises" heading to the end."""
    cells = _cells(path)
    starts = [
        index
        for index, cell in enumerate(cells)
        if cell["cell_type"] == "markdown"
        and _source(cell).startswith("## Exercises")
    ]
    assert len(starts) == 1, f"{path.name}: one '## Exercises' section"
    return cells[: starts[0]], cells[starts[0] :]


def _walk_exercises(path):
    """Exercise labels, exercise texts and solutions (label, code cells).

    Checks on the way that every exercise is followed by its gated
    solution, hidden in a dropdown, and that solutions do not nest.
    """
    _, section = _exercise_section(path)
    labels, texts, solutions = [], [], []
    open_solution = None
    for cell in section:
        source = _source(cell)
        if cell["cell_type"] == "code":
            if open_solution is not None:
                open_solution[1].append(cell)
            continue
        for match in EXERCISE.finditer(source):
            assert open_solution is None, f"exercise inside {open_solution[0]}"
            labels.append(match.group(1))
            texts.append(source[match.start() :])
        start = SOLUTION_START.search(source)
        if start:
            assert open_solution is None, "a solution inside a solution"
            assert labels and start.group(1) == labels[-1], (
                f"solution {start.group(1)} does not follow its exercise"
            )
            assert start.group(2) == ":class: dropdown", (
                f"solution {start.group(1)} is not hidden in a dropdown"
            )
            open_solution = (start.group(1), [])
        if SOLUTION_END.search(source):
            assert open_solution is not None, "solution-end without a start"
            solutions.append(open_solution)
            open_solution = None
    assert open_solution is None, f"solution {open_solution[0]} not closed"
    return labels, texts, solutions


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_chapter_ends_with_three_to_five_exercises(path):
    before, section = _exercise_section(path)
    assert any(_source(cell).startswith("## Summary") for cell in before), (
        "the exercises come after the summary"
    )
    headings = [
        line
        for cell in section[1:]
        if cell["cell_type"] == "markdown"
        for line in _source(cell).splitlines()
        if line.startswith("## ")
    ]
    assert headings == [], f"sections after the exercises: {headings}"
    labels, texts, solutions = _walk_exercises(path)
    assert 3 <= len(labels) <= 5, f"{len(labels)} exercises"
    assert [label for label, _ in solutions] == labels, (
        "every exercise needs exactly one solution, in order"
    )
    assert any("predict" in text.lower() for text in texts), (
        "no exercise asks the reader to predict a number first"
    )
    assert any(code for _, code in solutions), "no solution runs code"


def test_exercise_labels_are_unique_across_the_book():
    labels = [
        label for path in NOTEBOOKS for label in _walk_exercises(path)[0]
    ]
    repeated = sorted({label for label in labels if labels.count(label) > 1})
    assert repeated == [], f"labels used twice: {repeated}"


# --- references -------------------------------------------------------------

BIBLIOGRAPHY = ROOT / "references.bib"
CITATION = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]+)`")
ENTRY = re.compile(r"@\w+\{([^,\s]+),(.*?)\n\}", re.DOTALL)
PAGES = NOTEBOOKS + sorted((ROOT / "book").glob("*.md"))


def _bibliography():
    """Map each BibTeX key to the surnames of its authors."""
    entries = {}
    for key, body in ENTRY.findall(BIBLIOGRAPHY.read_text()):
        field = re.search(r"author = \{(.*)\},", body)
        authors = field.group(1).split(" and ") if field else []
        surnames = set()
        for author in authors:
            surname = author.split(",")[0].strip("{} ")
            # BibTeX accents as plain letters: Ball{\'e} -> Balle.
            surnames.add(re.sub(r"[{}\\'\"`^~]", "", surname))
        entries[key] = surnames
    return entries


def _prose(path):
    """The page's markdown texts, one per cell (one for a .md page)."""
    if path.suffix == ".md":
        return [path.read_text()]
    return [_source(c) for c in _cells(path) if c["cell_type"] == "markdown"]


def _plain(text):
    """``text`` without citations, code, links and maths, accents folded."""
    text = CITATION.sub(" ", text)
    text = re.sub(r"`[^`]*`|\$[^$]*\$|\]\([^)]*\)|https?://\S+", " ", text)
    return text.replace("é", "e").replace("ö", "o").replace("ü", "u")


def test_bibliography_page_is_in_the_table_of_contents():
    assert "book/references" in _toc_files()
    assert "```{bibliography}" in (ROOT / "book/references.md").read_text()


def test_every_cited_key_is_in_the_bibliography():
    known = _bibliography()
    assert len(known) >= 20, "references.bib looks empty"
    for path in PAGES:
        for text in _prose(path):
            for keys in CITATION.findall(text):
                for key in keys.split(","):
                    assert key.strip() in known, (
                        f"{path.name} cites {key!r}, not in references.bib"
                    )


def test_papers_named_in_the_prose_are_cited():
    """A page that names the first author of a paper in references.bib, or
    writes "et al.", does so beside a citation: "Rifai et al. (ICML 2011)"
    written by hand has no link to the bibliography."""
    entries = _bibliography()
    first_authors = {}
    for key, surnames in entries.items():
        body = BIBLIOGRAPHY.read_text().split("{" + key + ",")[1]
        first = re.search(r"author = \{(.*?),", body)
        name = re.sub(r"[{}\\'\"`^~]", "", first.group(1)) if first else ""
        if name and not name.endswith("authors"):
            first_authors.setdefault(name.strip(), set()).add(key)
    for path in PAGES:
        for text in _prose(path):
            plain = _plain(text)
            cited = {
                key.strip()
                for keys in CITATION.findall(text)
                for key in keys.split(",")
            }
            assert "et al" not in plain, (
                f"{path.name}: 'et al.' without a citation: "
                f"{plain[plain.index('et al') - 60 : plain.index('et al')]!r}"
            )
            for name, keys in first_authors.items():
                if re.search(rf"\b{re.escape(name)}\b", plain):
                    assert cited & {
                        key
                        for key, surnames in entries.items()
                        if name in surnames
                    }, f"{path.name} names {name} but cites none of {keys}"


def test_every_chapter_has_further_reading_before_its_exercises():
    for path in NOTEBOOKS:
        before, _ = _exercise_section(path)
        sections = [
            _source(cell)
            for cell in before
            if _source(cell).startswith("## Further reading")
        ]
        assert len(sections) == 1, f"{path.name}: one 'Further reading'"
        pointers = [
            line for line in sections[0].splitlines() if line.startswith("- ")
        ]
        assert 2 <= len(pointers) <= 3, f"{path.name}: {len(pointers)} items"
        assert all(CITATION.search(line) for line in pointers), (
            f"{path.name}: a further-reading item without a citation"
        )
