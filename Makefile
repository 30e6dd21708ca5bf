# Two commands do all the set-up on a fresh machine (see README):
#   make demo   install from the lock, then generate an RNA-seq DE workflow on the embedded offline default
#   make test   install the test extras from the lock (and the llama.cpp server), then run every test
# Upkeep:
#   make lock         re-resolve requirements/*.lock from pyproject's ranges (exact versions with hashes)
#   make test-latest  unit and integration tests on the newest releases pyproject allows, to see drift early
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
QUERY ?= Differential expression for 6 paired-end mouse liver samples, 3 knockout vs 3 wild type, STAR and DESeq2
OUT ?= out/rnaseq_de

# The CPU build of torch stays outside the hashed lock: where it comes from differs by machine (a local wheel
# directory here, the PyTorch CPU index elsewhere), and an unpinned torch would pull a multi-GB CUDA build.
TORCH := torch==2.13.0
PIP := pip==26.3
RUNTIME_LOCK := requirements/runtime.lock
DEV_LOCK := requirements/dev.lock
# The lock resolves torch's CPU metadata where a local wheel directory holds it (PIP_FIND_LINKS on this machine).
UV_COMPILE = $(BIN)/uv pip compile --python-version 3.11 --generate-hashes --no-emit-package torch --quiet \
	$(if $(PIP_FIND_LINKS),--find-links $(PIP_FIND_LINKS)) --custom-compile-command "make lock"

# Debian tools the module execution tests run for real (tests/modules), and postgresql for the serve tests
# (a throwaway cluster: tests/postgres.py); installed when make runs as root with apt.
APT_PACKAGES := bwa samtools bcftools tabix fastp fastqc rna-star salmon hisat2 bowtie2 macs freebayes subread \
	r-bioc-deseq2 r-bioc-edger r-bioc-tximport r-cran-statmod picard-tools multiqc python3-deeptools mosdepth \
	libhts-dev sambamba cutadapt trimmomatic delly bedtools bowtie kallisto bustools r-bioc-dropletutils \
	r-bioc-dexseq python3-htseq trim-galore r-bioc-dss python3-pairtools python3-cooler minimap2 sniffles cutesv \
	filtlong nanostat spades unicycler racon prokka kraken2 vsearch r-bioc-dada2 megahit seqkit mawk gzip \
	postgresql roary mafft snp-sites iqtree fasttree cnvkit stringtie plink1.9 plink2 snpeff shapeit4 beagle gubbins

.PHONY: install demo dev system-deps test lock test-latest

install: $(VENV)/.installed
$(VENV)/.installed: $(RUNTIME_LOCK) pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q $(PIP)
	$(BIN)/pip install -q $(TORCH)
	$(BIN)/pip install -q --require-hashes --no-deps -r $(RUNTIME_LOCK)
	$(BIN)/pip install -q --no-deps --no-build-isolation -e .
	touch $@

demo: install
	$(BIN)/biopipelines generate "$(QUERY)" --out $(OUT) --force

dev: $(VENV)/.dev-installed
$(VENV)/.dev-installed: $(VENV)/.installed $(DEV_LOCK)
	# llama-cpp-python builds from source (about 5 minutes the first time; pip caches the wheel)
	CMAKE_ARGS="-DGGML_NATIVE=OFF" $(BIN)/pip install -q --require-hashes --no-deps -r $(DEV_LOCK)
	$(BIN)/pip check
	touch $@

system-deps:
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
		if [ -n "$$missing" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq --no-install-recommends $$missing; fi; \
	else echo "not root or no apt-get: install these for the module tests: $(APT_PACKAGES)"; fi

test: dev system-deps
	$(BIN)/python -m pytest

# The dev lock is resolved first and the runtime lock inside it, so both install the same version of a package.
lock: dev
	$(UV_COMPILE) pyproject.toml requirements/build.in --extra dev --extra llm-server -o $(DEV_LOCK)
	$(UV_COMPILE) pyproject.toml requirements/build.in -c $(DEV_LOCK) -o $(RUNTIME_LOCK)

# A separate venv on the newest releases pyproject allows (no lock); the module tests need no new Python packages.
LATEST := .venv-latest
test-latest: system-deps
	rm -rf $(LATEST) && $(PY) -m venv $(LATEST)
	$(LATEST)/bin/pip install -q --upgrade pip
	$(LATEST)/bin/pip install -q $(TORCH)
	CMAKE_ARGS="-DGGML_NATIVE=OFF" $(LATEST)/bin/pip install -q --upgrade -e ".[dev,llm-server]"
	$(LATEST)/bin/pip check
	$(LATEST)/bin/python -m pytest tests/unit tests/integration
