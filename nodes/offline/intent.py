"""The offline intent tier: weighted patterns plus an embedding kNN over exemplar sentences.

Both kinds of evidence meet in one log-linear score per label, turned into probabilities by a softmax:

    logit(label) = PATTERN_SCALE * pattern_score(label) + KNN_SCALE * knn_similarity(label)

so the confidence is high when patterns and neighbours agree, and lower when they disagree or the margin is small.
Without embeddings the patterns decide alone and the confidence is scaled down (nothing corroborates them).

analysis_type is reported for workflow requests and follow-ups (patterns and kNN together, with a "none" option
that wins when the evidence is weak), and for questions and data searches that name an assay or a tool that implies
one (patterns only). A workflow request without an identifiable assay asks a specific clarifying question.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from langchain_core.embeddings import Embeddings

from biopipelines.core.schemas import Entities, IntentName, IntentResult
from biopipelines.nodes.offline.add_ons import defer_add_ons
from biopipelines.nodes.offline.asks import read_asks
from biopipelines.nodes.offline.entities import EntityExtractor
from biopipelines.nodes.offline.exemplar_knn import ExemplarIndex, embed_query
from biopipelines.nodes.offline.intent_patterns import SECONDARY_WEIGHT, PatternEvidence, PatternScorer
from biopipelines.nodes.offline.lexicon import Lexicon, load_lexicon
from biopipelines.nodes.offline.tool_mentions import ToolMatcher

INTENTS: tuple[IntentName, ...] = (
    "generate_workflow", "modify_workflow", "explain", "statistics", "validate_workflow", "plan_deployment",
    "data_search", "job_management", "troubleshoot", "smalltalk", "unsafe", "unknown",
)
# intents whose analysis type may come from the kNN as well as the patterns
WORKFLOW_INTENTS = frozenset({"generate_workflow", "modify_workflow"})
# intents that report an analysis type only when the text names one
ASSAY_AWARE_INTENTS = frozenset({"explain", "statistics", "data_search", "validate_workflow"})


@dataclass(frozen=True)
class Calibration:
    """The constants of the log-linear combination (see the module docstring). The open-set thresholds (the first
    three) come from config/intent.yaml `open_set`: `Calibration.from_config()`."""

    assay_points: float  # pattern evidence that names an assay (a marker word or a tool implying one)
    knn_only_similarity: float  # a workflow request without such words needs an exemplar this close
    tie_ratio: float  # second type's probability / first's above which the request is ambiguous
    pattern_scale: float = 1.0
    knn_scale: float = 12.0
    unknown_prior: float = 1.5  # pattern points "unknown" starts with: no evidence at all means unknown
    patterns_only_factor: float = 0.8  # confidence discount when no embeddings corroborate the patterns
    # analysis type
    type_pattern_scale: float = 0.9
    type_knn_scale: float = 5.0
    assay_hint: float = 3.0  # generate_workflow evidence when the text names an assay (score >= assay_points)
    design_hint: float = 2.0  # generate_workflow evidence when it states samples, conditions or input paths
    # "Estimate FST between ...", "Compute polygenic scores ...": statistics evidence no stronger than the bare
    # computing verb (intents.yaml, weight 3) over a text naming an assay by a marker word (assays.yaml, 5+) is the
    # request's verb, not a statistics question; a real one scores higher (power, FDR, replicates, depth needed)
    bare_verb_points: float = 3.0
    assay_marker_points: float = 5.0
    # "Is it true that ATAC-seq needs no input? We plan 12 samples": a question that opens the text (intents.yaml,
    # weight 6) is a question, whatever design it states, unless a pipeline is asked for in so many words
    opening_question_points: float = 6.0

    @classmethod
    def from_config(cls, **overrides: float) -> "Calibration":
        """The open-set thresholds of config/intent.yaml, with `overrides` (a calibration sweep) on top."""
        from biopipelines.nodes.intent_policy import load_intent_config

        return cls(**{**load_intent_config().open_set.model_dump(), **overrides})


def _softmax(logits: dict[str, float]) -> dict[str, float]:
    labels = list(logits)
    z = np.asarray([logits[k] for k in labels], dtype=np.float64)
    p = np.exp(z - z.max())
    p /= p.sum()
    return {k: float(v) for k, v in zip(labels, p)}


class OfflineIntentClassifier:
    """Deterministic intent classification and entity extraction; `embeddings=None` means patterns only."""

    def __init__(self, embeddings: Embeddings | None, lexicon: Lexicon | None = None,
                 calibration: Calibration | None = None) -> None:
        self._lex = lexicon or load_lexicon()
        self._cal = calibration or Calibration.from_config()
        self._extractor = EntityExtractor(self._lex)
        self._patterns = PatternScorer(self._lex, ToolMatcher(self._lex.tools))
        self._embeddings = embeddings
        self._intent_knn: ExemplarIndex | None = None
        self._type_knn: ExemplarIndex | None = None
        if embeddings is not None:
            self._intent_knn = ExemplarIndex(embeddings, self._lex.exemplars.intents)
            self._type_knn = ExemplarIndex(embeddings, self._lex.exemplars.analysis_types)

    def classify(self, text: str) -> IntentResult:
        if not text or not text.strip():
            return IntentResult(intent="unknown", confidence=0.0)
        entities = self._extractor.extract(text)
        readable = self._extractor.placeholders(text)
        evidence = self._patterns.evidence(readable, self._extractor.organism_spans(readable))
        query = embed_query(self._embeddings, readable) if self._embeddings is not None else None

        intent, p_intent = self._intent(evidence, entities, query)
        analysis_type, p_type, runner_up = self._analysis_type(intent, evidence, query)
        confidence = p_intent if analysis_type is None else p_intent * (0.5 + 0.5 * p_type)
        if query is None:
            confidence *= self._cal.patterns_only_factor

        question = self._clarifying_question(intent, analysis_type, runner_up, entities)
        return IntentResult(
            intent=intent,
            analysis_type=analysis_type,
            confidence=round(min(max(confidence, 0.0), 1.0), 4),
            entities=entities,
            asks=([kind.id for kind in read_asks(text, analysis_type, entities.conditions)]
                  if intent in WORKFLOW_INTENTS else []),
            needs_clarification=question is not None,
            clarifying_question=question,
        )

    # --- intent --------------------------------------------------------------------------------------------
    def _intent_points(self, evidence: PatternEvidence, entities: Entities) -> dict[str, float]:
        cal = self._cal
        points = {name: evidence.intents.get(name, 0.0) for name in INTENTS}
        hints: list[float] = []
        assay = max(evidence.analysis_types.values(), default=0.0)
        if assay >= cal.assay_points:
            hints.append(cal.assay_hint)
        if assay >= cal.assay_marker_points and 0.0 < points["statistics"] <= cal.bare_verb_points:
            points["statistics"] = 0.0  # the computing verb asks for the named analysis (see Calibration)
        if entities.input_paths or entities.sample_count or len(entities.conditions) >= 2:
            hints.append(cal.design_hint)
        if hints:
            base = points["generate_workflow"]
            top = max([base, *hints])
            points["generate_workflow"] = top + SECONDARY_WEIGHT * (base + sum(hints) - top)
        # A workflow request that also asks a question (or to validate the result) stays a workflow request: the
        # planner consults the experts. A request is explicit when it asks for a pipeline or states an assay
        # together with samples, conditions or paths.
        asked_for = evidence.intents.get("generate_workflow", 0.0) >= 4.0
        questioned = points["explain"] >= cal.opening_question_points
        explicit_request = hints and (asked_for or (len(hints) == 2 and not questioned))
        if explicit_request:
            rival = max(points["explain"], points["statistics"], points["validate_workflow"])
            points["generate_workflow"] = max(points["generate_workflow"], rival + 1.0)
        points["unknown"] = max(points["unknown"], cal.unknown_prior)
        return points

    def _intent(self, evidence: PatternEvidence, entities: Entities,
                query: np.ndarray | None) -> tuple[IntentName, float]:
        cal = self._cal
        points = self._intent_points(evidence, entities)
        logits = {name: cal.pattern_scale * points[name] for name in INTENTS}
        if query is not None and self._intent_knn is not None:
            sims = self._intent_knn.similarities(query)
            for name in INTENTS:
                logits[name] += cal.knn_scale * sims.get(name, 0.0)
        probs = _softmax(logits)
        best = max(INTENTS, key=lambda k: (probs[k], -INTENTS.index(k)))
        return best, probs[best]

    # --- analysis type -------------------------------------------------------------------------------------
    def _analysis_type(self, intent: IntentName, evidence: PatternEvidence,
                       query: np.ndarray | None) -> tuple[str | None, float, str | None]:
        """(type or None, its probability, a runner-up close enough to make the request ambiguous).

        A type is reported only when the patterns name one (score >= assay_points) or, for workflow requests,
        when an exemplar is close enough (similarity >= knn_only_similarity). The type is the argmax of the
        combined logits, among the types with pattern evidence when there are any.
        """
        cal = self._cal
        slugs = self._lex.analysis_types
        points = {s: evidence.analysis_types.get(s, 0.0) for s in slugs}
        asked = {kind.id for kind in read_asks(evidence.normalised)}
        points = defer_add_ons(points, evidence.normalised, asked)
        named = max(points.values()) >= cal.assay_points
        logits = {s: cal.type_pattern_scale * points[s] for s in slugs}
        if intent in WORKFLOW_INTENTS and query is not None and self._type_knn is not None:
            sims = self._type_knn.similarities(query)
            near = max(sims.values()) >= cal.knn_only_similarity
            if not (named or near):
                return None, 0.0, None
            for s in slugs:
                logits[s] += cal.type_knn_scale * sims.get(s, 0.0)
        elif intent not in WORKFLOW_INTENTS | ASSAY_AWARE_INTENTS or not named:
            return None, 0.0, None
        if named:
            # the patterns name the candidates; the neighbours only re-rank them (short follow-ups embed poorly)
            logits = {s: z for s, z in logits.items() if points[s] > 0.0}
        probs = _softmax(logits)
        ranked = sorted(probs, key=lambda s: (-probs[s], slugs.index(s)))
        best = ranked[0]
        runner_up = ranked[1] if len(ranked) > 1 and probs[ranked[1]] >= cal.tie_ratio * probs[best] else None
        return best, probs[best], runner_up

    # --- clarification -------------------------------------------------------------------------------------
    def _clarifying_question(self, intent: IntentName, analysis_type: str | None, runner_up: str | None,
                             entities: Entities) -> str | None:
        if intent != "generate_workflow":
            return None
        texts = self._lex.clarify
        if analysis_type is None:
            template = texts.which_assay if entities.organism else texts.which_assay_and_organism
            return template.format(examples=texts.assay_examples)
        if runner_up is not None:
            titles = self._lex.analysis_titles
            return texts.which_of.format(options=f"{titles[analysis_type]} or {titles[runner_up]}")
        return None
