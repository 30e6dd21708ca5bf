"""Retrieval benchmarks (not tests): index build time, warm search latency, and how search cost grows with size.

    python bench/retrieval.py            # full: real corpus + synthetic corpora of 1k, 10k and 100k chunks
    python bench/retrieval.py --smoke    # CI: real corpus, fewer repeats, synthetic 1k only

Writes bench/results/retrieval.json and prints one summary line.

1. index build: the real knowledge corpus embedded with the embedded default (MiniLM) into a fresh directory.
2. search p50/p95, k=5, warm: the real Retriever.search (query embedding + FAISS + BM25 + fusion) with the index
   loaded, over the labelled queries of tests/data/retrieval_eval.jsonl, after a warm-up pass.
3. SYNTHETIC scaling corpus: N chunks whose texts are words drawn from the real corpus vocabulary and whose vectors
   are RANDOM unit vectors from a seeded generator (no model embeds them). Only the cost of search is measured
   there; its rankings mean nothing. Queries are real MiniLM query embeddings of the labelled questions.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from biopipelines.rag.corpus import Chunk, load_corpus  # noqa: E402
from biopipelines.rag.embeddings import embedded_default  # noqa: E402
from biopipelines.rag.evaluate import load_labelled  # noqa: E402
from biopipelines.rag.index import (IndexManifest, LoadedIndex, _faiss_store, build_index, load_or_build,  # noqa: E402
                       unit_vectors)
from biopipelines.rag.retriever import Retriever  # noqa: E402
from biopipelines.rag.tokens import tokenize  # noqa: E402

EVAL_SET = REPO / "tests" / "data" / "retrieval_eval.jsonl"
RESULTS = REPO / "bench" / "results" / "retrieval.json"
SEED = 20261127


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q))


def time_searches(retriever: Retriever, queries: list[str], repeats: int) -> list[float]:
    for query in queries[:10]:
        retriever.search(query, k=5)  # warm-up: first calls pay for lazy allocations
    latencies = []
    for _ in range(repeats):
        for query in queries:
            started = time.perf_counter()
            retriever.search(query, k=5)
            latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def synthetic_retriever(size: int, embeddings, vocabulary: list[str], rng: np.random.Generator) -> Retriever:
    """A Retriever over `size` SYNTHETIC chunks: random seeded unit vectors, texts of random corpus words."""
    dimension = embeddings.dimension
    vectors = unit_vectors(rng.standard_normal((size, dimension), dtype=np.float32))
    lengths = rng.integers(40, 110, size=size)  # about the real chunks' token counts
    words = np.asarray(vocabulary)
    texts = [" ".join(words[rng.integers(0, len(words), n)]) for n in lengths]
    chunks = [Chunk(chunk_id=f"synthetic-{i // 3}#{i % 3}", card_id=f"synthetic-{i // 3}", title=f"Synthetic {i // 3}",
                    text=text) for i, text in enumerate(texts)]
    store = _faiss_store(embeddings, texts, vectors, [c.chunk_id for c in chunks],
                         [c.model_dump(exclude={"text"}) for c in chunks])
    sentences = _faiss_store(embeddings, ["synthetic sentence"], vectors[:1], ["s0"])
    manifest = IndexManifest(model_id="synthetic-random-vectors", dimension=dimension, corpus_hash="synthetic",
                             built_at=datetime.now(timezone.utc).isoformat(timespec="seconds"), build_seconds=0.0,
                             chunk_count=size, sentence_count=1, card_count=len({c.card_id for c in chunks}))
    loaded = LoadedIndex(store=store, sentences=sentences, manifest=manifest, directory=Path("/synthetic"),
                         rebuilt=True)
    return Retriever(loaded, embeddings)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="small and quick, for CI")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    sizes = [1_000] if args.smoke else [1_000, 10_000, 100_000]
    repeats = 1 if args.smoke else 3
    synthetic_queries = 20 if args.smoke else 50

    embeddings = embedded_default()
    queries = [q.query for q in load_labelled(EVAL_SET)]
    corpus = load_corpus()
    with tempfile.TemporaryDirectory(prefix="bench-index-") as tmp:
        started, cpu_started = time.perf_counter(), time.process_time()
        built = build_index(embeddings, embeddings.model_id, Path(tmp) / "index", corpus)
        build_wall, build_cpu = time.perf_counter() - started, time.process_time() - cpu_started
        started = time.perf_counter()
        loaded = load_or_build(embeddings, corpus=corpus, directory=Path(tmp) / "index")
        load_wall = time.perf_counter() - started
        assert not loaded.rebuilt, "a just-built index must load, not rebuild"
        retriever = Retriever(loaded, embeddings)
        real = time_searches(retriever, queries, repeats)

    rng = np.random.default_rng(SEED)
    vocabulary = sorted({token for chunk in corpus.chunks for token in tokenize(chunk.search_text())})
    scaling = []
    for size in sizes:
        started = time.perf_counter()
        synthetic = synthetic_retriever(size, embeddings, vocabulary, rng)
        setup = time.perf_counter() - started
        latencies = time_searches(synthetic, queries[:synthetic_queries], 1)
        scaling.append({"chunks": size, "setup_s": round(setup, 2), "queries": len(latencies),
                        "search_p50_ms": round(percentile(latencies, 50), 2),
                        "search_p95_ms": round(percentile(latencies, 95), 2)})
        del synthetic

    result = {
        "benchmark": "retrieval", "mode": "smoke" if args.smoke else "full",
        "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"platform": platform.platform(), "python": platform.python_version(),
                    "cpus": __import__("os").cpu_count()},
        "model_id": embeddings.model_id,
        "index_build": {"cards": built.manifest.card_count, "chunks": built.manifest.chunk_count,
                        "sentences": built.manifest.sentence_count, "embed_and_index_s": built.manifest.build_seconds,
                        "wall_s": round(build_wall, 2), "cpu_s": round(build_cpu, 2), "load_s": round(load_wall, 3),
                        "note": "cpu_s is this process's CPU time: steadier than wall time on a shared machine"},
        "search_warm_k5": {"queries": len(real), "p50_ms": round(percentile(real, 50), 2),
                           "p95_ms": round(percentile(real, 95), 2), "mean_ms": round(statistics.fmean(real), 2)},
        "synthetic_scaling": {"note": "SYNTHETIC corpus: seeded random unit vectors and random corpus words; measures "
                                      "search cost only, rankings are meaningless", "seed": SEED, "dimension":
                              embeddings.dimension, "sizes": scaling},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    growth = ", ".join(f"{s['chunks'] // 1000}k {s['search_p50_ms']:.0f} ms" for s in scaling)
    print(f"retrieval: build {build_wall:.1f} s wall / {build_cpu:.1f} s CPU ({built.manifest.chunk_count} chunks), "
          f"search p50 k=5 warm "
          f"{result['search_warm_k5']['p50_ms']:.1f} ms (p95 {result['search_warm_k5']['p95_ms']:.1f}); "
          f"synthetic p50: {growth} -> {args.out.relative_to(REPO) if args.out.is_relative_to(REPO) else args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
