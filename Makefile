# Two commands do everything on a fresh machine (Python 3.11-3.13 with venv):
#   make html   install what is needed, then build the website into _build/html
#   make test   install what is needed, build the website, then run every test:
#               unit tests, every notebook in fast mode, the browser tests of
#               the site, the formatting check
# Both install into .venv from requirements.txt the first time (and again
# when a requirements file changes).
#
# Other targets:
#   make test-colab      the Keras tests and version-sensitive notebooks on
#                        Colab's versions
#                        (TensorFlow 2.20, Keras 3.13.2) in .venv-colab
#   make test-notebooks  only the notebooks, in fast mode (the GPU workflow)
#   make check-gpu       print nvidia-smi and fail unless Keras sees a GPU
#   make notebooks       re-execute every chapter in full mode, in place
#   make bench           seconds per full-MNIST epoch of the main models,
#                        on TensorFlow and on JAX
#   make format          format code and notebooks to 79 columns (ruff)
# A GPU machine uses another environment, for example:
#   make test-notebooks VENV=.venv-gpu REQUIREMENTS=requirements-gpu.txt

PYTHON ?= python3
VENV ?= .venv
REQUIREMENTS ?= requirements.txt
BIN := $(VENV)/bin
COLAB_VENV := .venv-colab
# make test and make test-colab run the tests in two processes (pytest-xdist),
# a notebook or a test module to each: on two cores that takes about 30% less
# time than one process, because much of a fast-mode notebook (starting the
# kernel, importing TensorFlow, plotting, small batches) leaves a core idle.
# TEST_WORKERS=0 runs everything in one process. Both print the 15 slowest
# tests (notebooks included), so that a CI log shows where its time goes.
TEST_WORKERS ?= 2
PARALLEL := -n $(TEST_WORKERS) --dist loadscope --durations=15

.PHONY: html test test-colab test-notebooks check-gpu notebooks bench format clean

html: $(VENV)/.installed
	$(BIN)/jupyter-book build . -W -n --keep-going

test: html
	$(BIN)/python -m pytest $(PARALLEL)

# On Colab's versions, the tests whose code under test never touches
# TensorFlow or Keras (the site, the notebooks' text, formatting, workflows,
# NumPy/matplotlib/scikit helpers) would only repeat make test; they are
# skipped there to keep CI short. Every unit test that builds, trains, saves
# or calls a Keras model runs on both sets of versions, and so do the
# chapters whose behaviour depends on the Keras version (COLAB_NOTEBOOKS):
# sparse autoencoders (Keras 3.13 divides activity regularisers by the batch
# size, 3.14 and later do not; companion.sparsity evens it out), the VAE (a
# custom Model.compute_loss, custom layers saved to .keras and reloaded) and
# training at scale (PyDataset, BackupAndRestore, keras.distribution). The
# other chapters reach Keras only through companion code that those unit
# tests cover; they run in make test.
COLAB_NOTEBOOKS := sparse_autoencoders variational_autoencoders \
	training_at_scale
VERSION_FREE_TESTS := site book style workflows checks metrics corruption \
	probes anomaly plots plots_style plots_sparse_denoise baselines nab images
# JAX is in the Colab environment only for chapter 15's child processes:
# the chapters and tests run on TensorFlow there (make test covers JAX).
COLAB_SKIPPED := $(VERSION_FREE_TESTS) jax_backend

test-colab: $(COLAB_VENV)/.installed
	KERAS_BACKEND=tensorflow $(COLAB_VENV)/bin/python -m pytest $(PARALLEL) \
		tests $(foreach name,$(COLAB_NOTEBOOKS),book/$(name).ipynb) \
		$(foreach name,$(COLAB_SKIPPED),--ignore=tests/test_$(name).py)

# One notebook at a time: on a GPU each process would claim the whole GPU.
test-notebooks: $(VENV)/.installed
	$(BIN)/python -m pytest book

check-gpu: $(VENV)/.installed
	nvidia-smi
	$(BIN)/python scripts/check_gpu.py

# Re-execute every chapter in full mode and store the outputs (about an hour
# on 2 CPU cores); prints a table of chapter run times at the end.
notebooks: $(VENV)/.installed
	$(BIN)/python scripts/execute_notebooks.py

bench: $(VENV)/.installed
	$(BIN)/python scripts/benchmark.py --all-backends

format: $(VENV)/.installed
	$(BIN)/ruff format .

# One recipe makes every environment: $(1) the folder, $(2) the requirements.
define install
	$(PYTHON) -m venv $(1)
	$(1)/bin/python -m pip install --quiet --upgrade pip
	$(1)/bin/python -m pip install --quiet -r $(2)
	touch $(1)/.installed
endef

$(VENV)/.installed: $(REQUIREMENTS) requirements-common.txt pyproject.toml
	$(call install,$(VENV),$(REQUIREMENTS))

$(COLAB_VENV)/.installed: requirements-colab.txt requirements-common.txt pyproject.toml
	$(call install,$(COLAB_VENV),requirements-colab.txt)

clean:
	rm -rf _build
