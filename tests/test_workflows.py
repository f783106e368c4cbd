"""The GitHub Actions workflows: valid YAML that calls the Makefile."""

import pathlib

import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"


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
