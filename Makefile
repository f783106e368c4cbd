# Two commands do everything on a fresh machine (Python 3.11-3.13 with venv):
#   make html   install what is needed, then build the website into _build/html
#   make test   install what is needed, then run every test, notebooks included, in fast mode
# Both install into .venv from requirements.txt the first time (and again when it changes).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: html test notebooks clean

html: $(VENV)/.installed
	$(BIN)/jupyter-book build . -W -n --keep-going

test: $(VENV)/.installed
	$(BIN)/python -m pytest

# Re-execute every chapter in full mode and store the outputs (about half an hour on 2 CPU cores).
notebooks: $(VENV)/.installed
	$(BIN)/python scripts/execute_notebooks.py

$(VENV)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

clean:
	rm -rf _build
