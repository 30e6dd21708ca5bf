"""Embeddings from an OpenAI-compatible `/v1/embeddings` endpoint (vLLM or TEI serving bge-m3, or our own
tests/embedding_server.py), with failures turned into errors that name the endpoint and the fix.

LangChain's OpenAIEmbeddings does the HTTP work; this wrapper only translates the openai client's exceptions, so a
server that is down or serves another model is one clear line, never a traceback and never a silent fallback.
"""

from __future__ import annotations

from langchain_core.embeddings import Embeddings

from biopipelines.core.errors import ConfigError

BATCH = 64  # texts per request


class EndpointEmbeddings(Embeddings):
    def __init__(self, url: str, model: str, api_key: str = "not-needed", timeout_s: float = 60.0) -> None:
        from langchain_openai import OpenAIEmbeddings

        self.url = url
        self.model = model  # rag.index.model_id_of reads it: the index id is "openai:<served name>"
        # check_embedding_ctx_length=False sends plain strings: tiktoken token ids mean nothing to a non-OpenAI model.
        # Modest batches keep each request well inside the timeout on a busy server.
        self._client = OpenAIEmbeddings(model=model, base_url=url, api_key=api_key, timeout=timeout_s,
                                        check_embedding_ctx_length=False, max_retries=1, chunk_size=BATCH)

    def _call(self, fn, *args):
        import openai

        try:
            return fn(*args)
        except openai.NotFoundError:
            raise ConfigError(f"embeddings endpoint {self.url} does not serve model {self.model!r}: check the "
                              "embeddings role's endpoint `model` (vllm --served-model-name)") from None
        except openai.APITimeoutError:
            raise ConfigError(f"embeddings endpoint {self.url} timed out: raise the endpoint's timeout_s in the "
                              "profile, or check that the server is not overloaded") from None
        except openai.APIConnectionError:
            raise ConfigError(f"embeddings endpoint {self.url} is not reachable: start the server (e.g. vllm serve "
                              "BAAI/bge-m3 --task embed) or remove the endpoint from the embeddings role") from None
        except openai.APIStatusError as exc:
            raise ConfigError(f"embeddings endpoint {self.url} answered {exc.status_code}: "
                              f"{str(exc.message).splitlines()[0][:200]}") from None

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._call(self._client.embed_documents, list(texts))

    def embed_query(self, text: str) -> list[float]:
        return self._call(self._client.embed_query, text)
