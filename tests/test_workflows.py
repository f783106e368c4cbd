"""The GitHub Actions workflows: valid YAML that calls the Makefile; and
the scripts for a GPU machine without network (``scripts/gpu_bundle.py``,
``scripts/gpu_run.sh``) and the executor's deadline they rely on."""

import importlib.util
import os
import pathlib
import subprocess
import sys

import nbformat
import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
SCRIPTS = ROOT / "scripts"


def _load(name):
    workflow = yaml.safe_load((WORKFLOWS / name).read_text())
    # YAML reads the key "on" as True.
    workflow["on"] = workflow.pop(True, workflow.get("on"))
    return workflow


def _run_steps(workflow):
    return [
        step["run"]
        for job in workflow["jobs"].values()
        for step in job["steps"]
        if "run" in step
    ]


@pytest.mark.parametrize("name", ["ci.yml", "gpu.yml", "pages.yml"])
def test_workflow_is_valid_and_calls_only_the_makefile(name):
    workflow = _load(name)
    assert workflow["jobs"], f"{name} has no jobs"
    for command in _run_steps(workflow):
        assert command.startswith(("make ", "bash .ci/run")), (
            f"{name} runs {command!r}: call a Makefile target instead"
        )


def test_cpu_job_runs_the_ci_script():
    assert "bash .ci/run" in _run_steps(_load("ci.yml"))


def test_gpu_job_checks_the_gpu_first_and_runs_the_notebooks():
    workflow = _load("gpu.yml")
    assert "push" in workflow["on"] and "workflow_dispatch" in workflow["on"]
    commands = _run_steps(workflow)
    assert commands[0].startswith("make check-gpu")
    assert any(
        command.startswith("make test-notebooks") for command in commands
    )
    assert any(command.startswith("make notebooks") for command in commands)
    job = workflow["jobs"]["notebooks"]
    assert "GPU_RUNNER" in job["runs-on"]
    uploads = [
        step
        for step in job["steps"]
        if "upload-artifact" in step.get("uses", "")
    ]
    assert uploads, "the executed notebooks are not uploaded"


def test_makefile_has_the_targets_the_workflows_call():
    makefile = (ROOT / "Makefile").read_text()
    for workflow in ("ci.yml", "gpu.yml", "pages.yml"):
        for command in _run_steps(_load(workflow)):
            if command.startswith("make "):
                target = command.split()[1]
                assert f"\n{target}:" in makefile, f"no target {target}"


def test_pages_job_builds_with_make_html_and_deploys_the_built_site():
    workflow = _load("pages.yml")
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert workflow["permissions"]["pages"] == "write"
    assert workflow["permissions"]["id-token"] == "write"
    build = workflow["jobs"]["build"]
    commands = [step["run"] for step in build["steps"] if "run" in step]
    assert commands == ["make html"]
    uploads = [
        step
        for step in build["steps"]
        if step.get("uses", "").startswith("actions/upload-pages-artifact")
    ]
    assert uploads and uploads[0]["with"]["path"] == "_build/html"
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert any(
        step.get("uses", "").startswith("actions/deploy-pages")
        for step in deploy["steps"]
    )


def test_site_address_is_in_the_config_and_the_readme():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    address = config["html"]["baseurl"]
    owner, name = config["repository"]["url"].rstrip("/").split("/")[-2:]
    assert address == f"https://{owner}.github.io/{name}/", (
        "html.baseurl is not the GitHub Pages address of repository.url"
    )
    assert address in (ROOT / "README.md").read_text(), (
        "the README does not give the site's address"
    )


def test_gpu_requirements_pin_the_same_tensorflow_as_the_cpu_ones():
    def pinned(name):
        for line in (ROOT / name).read_text().splitlines():
            if line.startswith("tensorflow"):
                return line.split("==")[1]
        raise AssertionError(f"{name} pins no TensorFlow")

    assert pinned("requirements-gpu.txt") == pinned("requirements.txt")
    assert (
        "tensorflow[and-cuda]" in (ROOT / "requirements-gpu.txt").read_text()
    )


# --- a GPU machine without network ------------------------------------------


def _script_module(name):
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_gpu_bundle_carries_every_package_the_machine_lacks():
    bundle = _script_module("gpu_bundle")
    assert bundle.normalise("jupyter_client") == "jupyter-client"
    assert bundle.normalise("PyWavelets") == "pywavelets"
    on_machine = {bundle.normalise(name) for name in bundle.ON_MACHINE}
    needed = {bundle.normalise(name) for name in bundle.NEEDED}
    # What the book needs beyond the machine's image is always carried, and
    # the machine's own JAX (built for CUDA) is never replaced.
    assert not needed & on_machine
    assert {"jax", "jaxlib", "numpy"} <= on_machine


def _run_gpu_script(*arguments, **environment):
    return subprocess.run(
        ["bash", str(SCRIPTS / "gpu_run.sh"), *arguments],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **environment},
        check=False,
    )


def test_gpu_run_refuses_an_unknown_mode_and_a_missing_bundle(tmp_path):
    wrong = _run_gpu_script("quick", OUT=str(tmp_path))
    assert wrong.returncode == 2
    assert "fast or full, not quick" in wrong.stderr
    missing = _run_gpu_script(
        "fast", GPU_BUNDLE=str(tmp_path / "none"), OUT=str(tmp_path)
    )
    assert missing.returncode == 2
    assert "run scripts/gpu_bundle.py first" in missing.stderr


def test_executor_starts_no_chapter_after_its_deadline(tmp_path):
    path = tmp_path / "chapter.ipynb"
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("print(6 * 7)")]
    )
    nbformat.write(notebook, path)
    before = path.read_bytes()

    def execute(deadline):
        return subprocess.run(
            [
                sys.executable,
                str(SCRIPTS / "execute_notebooks.py"),
                "--fast",
                "--deadline",
                str(deadline),
                str(path),
            ],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    late = execute(-1)
    assert late.returncode == 0, late.stdout + late.stderr
    assert "| chapter | – | – | – | not run (deadline) |" in late.stdout
    assert path.read_bytes() == before
    in_time = execute(3600)
    assert in_time.returncode == 0, in_time.stdout + in_time.stderr
    assert "saved" in in_time.stdout
    outputs = nbformat.read(path, as_version=4).cells[0].outputs
    assert outputs[0]["text"] == "42\n"
