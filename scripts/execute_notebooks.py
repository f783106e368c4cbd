"""Execute the book's notebooks in place and store their outputs.

Full mode (the default) is what the committed notebooks carry: every model
trained on all of MNIST. ``--fast`` runs them in fast mode instead (for a
quick look; do not commit those outputs).

    python scripts/execute_notebooks.py              # every chapter, full mode
    python scripts/execute_notebooks.py book/vanilla_autoencoder.ipynb
    python scripts/execute_notebooks.py --fast

Execution metadata (timestamps) is not recorded, so a rerun changes only
what the cells print. TensorFlow's start-up lines (the oneDNN notice, which
no setting silences in TensorFlow 2.21) are removed from the stored stderr;
the script refuses to save a notebook that raised an error or printed any
other TensorFlow log line. Training progress is switched off
(``AUTOENCODERS_PROGRESS=0``). At the end it prints a table of run times.
``--deadline SECONDS`` starts no further chapter once that much time has
passed (``scripts/gpu_run.sh`` uses it on a lent GPU machine).
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

BUDGET_SECONDS = 600
"""Full-mode budget of one chapter on a 2-core CPU machine."""
BUDGET_EXCEPTIONS = {
    "anomaly_detection": 720,
    "time_series": 720,
    "discrete_codes": 720,
    "codes_as_features": 720,
    "photographs": 720,
    "training_at_scale": 480,
}
"""Chapters with another budget: anomaly detection trains ten one-class
models, time series fits small models to all 58 series of NAB, codes as
features retrains seven autoencoders, photographs trains a denoiser and a
codec on photo patches (issues 14, 24, 15 and 25 of the tracker allow each
12 minutes); training at scale measures throughput,
devices and resumption on small runs (issue 26 gives it 8 minutes)."""
BOOK = pathlib.Path(__file__).resolve().parent.parent / "book"
STARTUP = re.compile(
    r"^(WARNING: All log messages before absl::InitializeLog\(\) is called"
    r" are written to STDERR|I0000 .*port\.cc:\d+\] oneDNN custom operations"
    r" are on\..*)$"
)
NOISE = re.compile(
    r"(cuda_|cudart_stub|oneDNN|absl::|cpu_feature_guard|I0000 |W0000 |E0000 "
    r"|WARNING:tensorflow|tf\.function retracing)"
)


def remove_startup_lines(notebook):
    """Drop TensorFlow's start-up log lines from stderr outputs (in place)."""
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        kept = []
        for output in cell.get("outputs", []):
            if (
                output.get("output_type") == "stream"
                and output.get("name") == "stderr"
            ):
                lines = output["text"].splitlines(keepends=True)
                lines = [
                    line
                    for line in lines
                    if not STARTUP.match(line.rstrip("\n"))
                ]
                if not "".join(lines).strip():
                    continue
                output["text"] = "".join(lines)
            kept.append(output)
        cell.outputs = kept


def find_problems(notebook):
    problems = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                problems.append(f"cell {index}: error {output.get('ename')}")
            if output.get("output_type") == "stream" and NOISE.search(
                output.get("text", "")
            ):
                problems.append(
                    f"cell {index}: TensorFlow log noise on "
                    f"{output.get('name')}"
                )
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
    remove_startup_lines(notebook)
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
    notebook.metadata = {
        "kernelspec": {
            "display_name": "Python 3",
            "language": "python",
            "name": "python3",
        },
        "language_info": {"name": "python"},
    }
    return notebook, seconds


def main():
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "notebooks",
        nargs="*",
        type=pathlib.Path,
        help="default: every notebook in book/",
    )
    parser.add_argument(
        "--fast",
        action="store_true",
        help="run in fast mode (AUTOENCODERS_FAST=1)",
    )
    parser.add_argument(
        "--timeout", type=int, default=3600, help="seconds allowed per cell"
    )
    parser.add_argument(
        "--deadline",
        type=float,
        default=None,
        help="start no chapter once this many seconds have passed (for "
        "runs with a time limit, such as a lent GPU machine's)",
    )
    arguments = parser.parse_args()

    os.environ["AUTOENCODERS_FAST"] = "1" if arguments.fast else "0"
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ["AUTOENCODERS_PROGRESS"] = "0"
    paths = arguments.notebooks or sorted(BOOK.glob("*.ipynb"))
    failed = False
    times = []
    started = time.perf_counter()
    for path in paths:
        elapsed = time.perf_counter() - started
        if arguments.deadline is not None and elapsed > arguments.deadline:
            print(f"{path}: not run, {elapsed:.0f} s had passed", flush=True)
            times.append((path.stem, None, "not run (deadline)"))
            continue
        print(
            f"{path}: running in {'fast' if arguments.fast else 'full'} mode "
            "...",
            flush=True,
        )
        try:
            notebook, seconds = execute(path.resolve(), arguments.timeout)
        except CellExecutionError as error:
            print(f"{path}: FAILED, not saved\n{error}", flush=True)
            failed = True
            times.append((path.stem, None, "failed"))
            continue
        problems = find_problems(notebook)
        if problems:
            print(f"{path}: not saved: " + "; ".join(problems), flush=True)
            failed = True
            times.append((path.stem, seconds, "not saved"))
            continue
        nbformat.write(notebook, path)
        print(f"{path}: saved, {seconds / 60:.1f} min", flush=True)
        times.append((path.stem, seconds, "saved"))
    print_times(times, "fast" if arguments.fast else "full")
    return 1 if failed else 0


def print_times(times, mode):
    """Print a Markdown table of chapter run times, with the budget."""
    print(f"\n| chapter ({mode} mode) | minutes | budget | within | result |")
    print("|---|---:|---:|:---:|---|")
    total = 0.0
    for name, seconds, result in times:
        if seconds is None:
            print(f"| {name} | – | – | – | {result} |")
            continue
        total += seconds
        budget = BUDGET_EXCEPTIONS.get(name, BUDGET_SECONDS)
        within = "yes" if seconds <= budget else "NO"
        print(
            f"| {name} | {seconds / 60:.1f} | {budget // 60} | {within} "
            f"| {result} |"
        )
    print(f"| all chapters | {total / 60:.1f} | | | |", flush=True)


if __name__ == "__main__":
    sys.exit(main())
