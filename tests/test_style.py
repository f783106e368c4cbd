"""Code fits the book's text column: every file formatted by ruff to 79
columns.

The pages show about 79 characters of code, so notebooks, the companion,
tests and scripts are formatted with ``ruff format`` (line length 79, set in
pyproject.toml) and no line is longer. Fix a failure with ``make format``;
split long strings by hand.
"""

import pathlib
import shutil
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
FOLDERS = ["book", "companion", "tests", "scripts", "_ext", "conftest.py"]


def _ruff():
    found = shutil.which("ruff", path=str(pathlib.Path(sys.executable).parent))
    return found or shutil.which("ruff")


pytestmark = pytest.mark.skipif(
    _ruff() is None, reason="ruff is not installed (it is in requirements)"
)


def test_code_is_formatted():
    result = subprocess.run(
        [_ruff(), "format", "--check", *FOLDERS],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, (
        "not formatted (run `make format`):\n" + result.stdout
    )


def test_no_line_is_longer_than_79_characters():
    result = subprocess.run(
        [_ruff(), "check", "--select", "E501", "--output-format", "concise"]
        + FOLDERS,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout
