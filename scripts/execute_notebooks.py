"""Execute the book's notebooks in place and store their outputs.

Full mode (the default) is what the committed notebooks carry: every model
trained on all of MNIST. ``--fast`` runs them in fast mode instead (for a
quick look; do not commit those outputs).

    python scripts/execute_notebooks.py                 # every chapter, full mode
    python scripts/execute_notebooks.py book/vanilla_autoencoder.ipynb
    python scripts/execute_notebooks.py --fast

Execution metadata (timestamps) is not recorded, so a rerun changes only
what the cells print. The script refuses to save a notebook that raised an
error or printed TensorFlow log lines.
"""

import argparse
import os
import pathlib
import re
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

BOOK = pathlib.Path(__file__).resolve().parent.parent / "book"
NOISE = re.compile(r"(cuda_|cudart_stub|oneDNN|absl::|cpu_feature_guard|I0000 |W0000 |E0000 |WARNING:tensorflow|tf\.function retracing)")


def find_problems(notebook):
    problems = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                problems.append(f"cell {index}: error {output.get('ename')}")
            if output.get("output_type") == "stream" and NOISE.search(output.get("text", "")):
                problems.append(f"cell {index}: TensorFlow log noise on {output.get('name')}")
    return problems


def execute(path, timeout):
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
    notebook.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    return notebook, seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="*", type=pathlib.Path, help="default: every notebook in book/")
    parser.add_argument("--fast", action="store_true", help="run in fast mode (AUTOENCODERS_FAST=1)")
    parser.add_argument("--timeout", type=int, default=3600, help="seconds allowed per cell")
    arguments = parser.parse_args()

    os.environ["AUTOENCODERS_FAST"] = "1" if arguments.fast else "0"
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    paths = arguments.notebooks or sorted(BOOK.glob("*.ipynb"))
    failed = False
    for path in paths:
        print(f"{path}: running in {'fast' if arguments.fast else 'full'} mode ...", flush=True)
        try:
            notebook, seconds = execute(path.resolve(), arguments.timeout)
        except CellExecutionError as error:
            print(f"{path}: FAILED, not saved\n{error}", flush=True)
            failed = True
            continue
        problems = find_problems(notebook)
        if problems:
            print(f"{path}: not saved: " + "; ".join(problems), flush=True)
            failed = True
            continue
        nbformat.write(notebook, path)
        print(f"{path}: saved, {seconds / 60:.1f} min", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
