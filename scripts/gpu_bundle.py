"""Pack what a GPU machine without package registries needs for the book.

The GPU route of issue 30 runs the chapters on the JAX backend, on a machine
that has JAX with CUDA, NumPy, SciPy, matplotlib, scikit-image,
scikit-learn and pytest but not Keras or Jupyter, and that cannot download
anything. This script, run where pip can reach the package index, writes
``.gpu-bundle/`` (ignored by git):

- ``wheels/``: the wheels of every package in the dependency closure of
  Keras, nbval, nbclient, ipykernel and PyWavelets that the machine lacks,
  for its Python version (``--python-version``, default 3.12);
- ``data/``: the offline copies of MNIST and the NAB corpus.

``scripts/gpu_run.sh`` installs the wheels there and runs the notebooks.

    python scripts/gpu_bundle.py                       # for Python 3.12
    python scripts/gpu_bundle.py --python-version 3.11 # to test it here

The list of what the machine already has (``ON_MACHINE``) is the image's
package list as documented for the lent machines in November 2026; a package
missing from both that list and the wheels shows up as an ImportError in the
first seconds of ``gpu_run.sh``.
"""

import argparse
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
BUNDLE = ROOT / ".gpu-bundle"
NEEDED = ["keras", "nbval", "nbclient", "ipykernel", "PyWavelets"]
"""What the notebooks and their tests need beyond the machine's image (the
companion's own dependencies, JAX and pytest are on it)."""
ON_MACHINE = """
absl-py attrs certifi charset-normalizer cloudpickle contourpy coverage
cycler filelock fonttools fsspec h5py idna imageio iniconfig jax jaxlib
jinja2 joblib kiwisolver lazy-loader markdown-it-py markupsafe matplotlib
mdurl ml-dtypes networkx numpy opt-einsum packaging pandas pillow pluggy
protobuf psutil pygments pyparsing pytest pytest-xdist execnet
python-dateutil pyyaml requests rich scikit-image scikit-learn scipy
setuptools six threadpoolctl tifffile typing-extensions urllib3 wheel
""".split()
"""Packages of the GPU machine's image that the closure of ``NEEDED`` can
pull in; they are not carried, so that the machine keeps its own builds
(JAX with CUDA above all)."""
PLATFORMS = [
    "manylinux_2_17_x86_64",
    "manylinux2014_x86_64",
    "manylinux_2_27_x86_64",
    "manylinux_2_28_x86_64",
    "manylinux_2_34_x86_64",
]


def normalise(name):
    """Return a distribution name in PEP 503's normal form."""
    return re.sub(r"[-_.]+", "-", name).lower()


def target_options(python_version):
    options = [
        "--only-binary=:all:",
        "--python-version",
        python_version,
        "--implementation",
        "cp",
    ]
    for platform in PLATFORMS:
        options += ["--platform", platform]
    return options


def resolve(python_version):
    """Return {name: version} of the closure of NEEDED for the target."""
    with tempfile.TemporaryDirectory() as folder:
        report = pathlib.Path(folder) / "report.json"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--dry-run",
                "--ignore-installed",
                "--target",
                folder,
                "--report",
                str(report),
                *target_options(python_version),
                *NEEDED,
            ],
            check=True,
        )
        installs = json.loads(report.read_text())["install"]
    return {
        normalise(item["metadata"]["name"]): item["metadata"]["version"]
        for item in installs
    }


def main():
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--python-version", default="3.12")
    parser.add_argument(
        "--mnist",
        type=pathlib.Path,
        default=os.environ.get("AUTOENCODERS_MNIST")
        or ROOT.parent / "shared" / "data" / "mnist.npz",
    )
    parser.add_argument(
        "--nab",
        type=pathlib.Path,
        default=os.environ.get("AUTOENCODERS_NAB")
        or ROOT.parent / "shared" / "data" / "nab",
    )
    arguments = parser.parse_args()
    if not arguments.mnist.is_file():
        parser.error(f"--mnist: no file at {arguments.mnist}")
    if not arguments.nab.is_dir():
        parser.error(f"--nab: no folder at {arguments.nab}")

    closure = resolve(arguments.python_version)
    on_machine = {normalise(name) for name in ON_MACHINE}
    carried = sorted(set(closure) - on_machine)
    shutil.rmtree(BUNDLE, ignore_errors=True)
    wheels = BUNDLE / "wheels"
    wheels.mkdir(parents=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--dest",
            str(wheels),
            *target_options(arguments.python_version),
            *(f"{name}=={closure[name]}" for name in carried),
        ],
        check=True,
    )
    data = BUNDLE / "data"
    data.mkdir()
    shutil.copy(arguments.mnist, data / "mnist.npz")
    shutil.copytree(arguments.nab, data / "nab")
    size = sum(f.stat().st_size for f in BUNDLE.rglob("*") if f.is_file())
    print(
        f"{BUNDLE.name}: {len(carried)} wheels for Python "
        f"{arguments.python_version} ({', '.join(carried)}), MNIST and NAB, "
        f"{size / 2**20:.1f} MiB"
    )
    print(
        "Not carried (on the machine): "
        + ", ".join(sorted(set(closure) & on_machine))
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
