"""`biopipelines chat`: a conversation persisted by LangGraph's SQLite checkpointer.

Every turn is checkpointed as it runs, so Ctrl-C, EOF or a rejected turn never lose the thread: `--thread ID`
resumes it. Node progress is printed as each node finishes.
"""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from pathlib import Path

from langchain_core.messages import AIMessageChunk, HumanMessage

from biopipelines.core.errors import UserError
from biopipelines.core.settings import Settings, load_settings
from biopipelines.graph.plan_diff import plan_diff
from biopipelines.graph.repl_results import results_lines, results_target
from biopipelines.graph.report import WORKFLOW_STATUSES, build_report, prepare_out_dir, write_workflow
from biopipelines.graph.request_input import check_request
from biopipelines.nodes.state import RunContext

HELP = """commands:
  /help          this help
  /save DIR      write the last workflow (and report.json) to DIR (new or empty); job questions then read its runs
  /workdir DIR   answer job questions ("did my run fail?") from the run records of the workflow in DIR
  /new           start a new thread
  /profile [P]   show the profile, or switch to profile P (name or YAML path) for the next turns
  /cost          cost and tokens per node for this thread, and the local/cloud share
  show me the results [in DIR]   figures and an HTML report from a workflow's results (the last /save DIR)
  /quit          leave (the thread is kept; resume with --thread)
anything else is a request: describe an analysis, refine the last workflow, or ask a question."""


class ChatSession:
    def __init__(self, settings: Settings, db: Path, thread: str | None, out=sys.stdout) -> None:
        from biopipelines.graph.checkpoints import sqlite_checkpointer

        self.saver, self._conn = sqlite_checkpointer(db)
        self.settings = settings
        self.thread = thread or uuid.uuid4().hex[:12]
        self.out = out
        # the last /save or /workdir folder: what "show me the results" analyses and job questions read
        self.workflow_dir: Path | None = None
        self._build()

    def _build(self) -> None:
        from biopipelines.graph.builder import build_graph

        self.graph = build_graph(self.settings, checkpointer=self.saver)

    @property
    def config(self) -> dict:
        return {"configurable": {"thread_id": self.thread}}

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def values(self) -> dict:
        return self.graph.get_state(self.config).values

    def greet(self, resumed: bool) -> None:
        state = self.values()
        turns = state.get("turn", 0)
        if resumed and turns:
            self.say(f"resumed thread {self.thread}: {turns} earlier turn(s).")
            last = state.get("answer")
            if last:
                self.say(f"last answer: {last}")
        else:
            self.say(f"thread {self.thread} (resume later with: biopipelines chat --thread {self.thread})")
        self.say("type /help for commands.")

    def ask(self, text: str) -> None:
        request = check_request(text, self.settings.profile.max_request_chars)
        target = results_target(request, self.workflow_dir)
        if target is not None:
            self.show_results(target)
            return
        before = self.values().get("plan")
        streaming = False
        for mode, chunk in self.graph.stream({"messages": [HumanMessage(request)]}, self.config,
                                             context=RunContext(workflow_dir=str(self.workflow_dir) if self.workflow_dir else None),
                                             stream_mode=["updates", "messages"]):
            if mode == "messages":  # tokens of a model answer, as the local or cloud model writes them
                message, _ = chunk
                if isinstance(message, AIMessageChunk) and isinstance(message.content, str) and message.content:
                    print(message.content, end="", file=self.out, flush=True)
                    streaming = True
                continue
            if streaming:
                self.say("")
                streaming = False
            for node, change in chunk.items():
                route = (change or {}).get("routes", [None])[-1] if isinstance(change, dict) else None
                detail = f" ({route.tier}, {route.latency_ms:.0f} ms)" if route else ""
                self.say(f"  · {node}{detail}")
        state = self.values()
        self.say(state.get("answer", ""))
        if state.get("status") in WORKFLOW_STATUSES:
            self.show_changes(before, state.get("plan"))
            self.show_asks(state.get("plan"))
            self.say(f"[{state['status']}] {len(state['files'])} files ready: /save DIR writes them.")

    def show_results(self, folder: Path) -> None:
        from biopipelines.llm.factory import ModelFactory
        from biopipelines.nodes.analysis.node import analyze
        from biopipelines.nodes.deps import NodeDeps

        deps = NodeDeps(settings=self.settings, models=ModelFactory(self.settings))
        for line in results_lines(analyze(deps, folder, context=RunContext())):
            self.say(line)

    def show_asks(self, plan) -> None:
        """Each ask of the request and the steps that deliver it; a `partial` turn's undone asks stand out."""
        if plan is None or not plan.asks:
            return
        self.say("asks:")
        for ask in plan.asks:
            if ask.covered:
                self.say(f"  done      {ask.label} ({', '.join(ask.covered_by)})")
            else:
                self.say(f"  NOT DONE  {ask.label}" + (f": to add it, {ask.todo}" if ask.todo else ""))

    def show_changes(self, before, after) -> None:
        """After a follow-up, what changed in the thread's plan."""
        if before is None or after is None:
            return
        lines = plan_diff(before, after)
        self.say("changes to the previous workflow:" if lines else "no change to the previous workflow's plan.")
        for line in lines:
            self.say(f"  {line}")

    def save(self, target: str) -> None:
        state = self.values()
        if not state.get("files"):
            raise UserError("no workflow in this thread yet")
        out = Path(target).expanduser()
        prepare_out_dir(out, force=False)
        write_workflow(out, state["files"], build_report(state, self.settings.profile.name))
        self.workflow_dir = out
        self.say(f"wrote {len(state['files']) + 1} files to {out}")

    def set_workdir(self, target: str) -> None:
        if not target:
            self.say(f"workflow for job questions: {self.workflow_dir or 'none (usage: /workdir DIR)'}")
            return
        path = Path(target).expanduser()
        if not (path / "workflow" / "Snakefile").is_file():
            raise UserError(f"{path} has no workflow/Snakefile; point at a generated workflow directory")
        self.workflow_dir = path.resolve()
        self.say(f"job questions now read the runs of {self.workflow_dir}")

    def command(self, line: str) -> bool:
        """Run a /command; False means quit."""
        name, _, arg = line.partition(" ")
        arg = arg.strip()
        if name in ("/quit", "/exit"):
            return False
        if name == "/help":
            self.say(HELP)
        elif name == "/new":
            self.thread = uuid.uuid4().hex[:12]
            self.say(f"new thread {self.thread}")
        elif name == "/save":
            if not arg:
                raise UserError("usage: /save DIR")
            self.save(arg)
        elif name == "/workdir":
            self.set_workdir(arg)
        elif name == "/profile":
            if arg:
                self.settings = load_settings(arg)
                self._build()
            self.say(f"profile {self.settings.profile.name} ({self.settings.profile_source})")
        elif name == "/cost":
            from biopipelines.llm.cost import format_cost, summarize

            self.say(format_cost(summarize(self.values().get("routes", []))))
        elif name == "/state":
            state = self.values()
            plan = state.get("plan")
            asks = [{"ask": a.ask, "covered_by": a.covered_by or None} for a in plan.asks] if plan else []
            self.say(json.dumps({"turn": state.get("turn"), "status": state.get("status"), "asks": asks}))
        else:
            raise UserError(f"unknown command {name}; /help lists them")
        return True

    def close(self) -> None:
        self._conn.close()


def run_chat(args: argparse.Namespace) -> int:
    settings = load_settings(args.profile, endpoints=getattr(args, "endpoint", None))
    db = Path(args.db).expanduser() if args.db else settings.checkpoint_db
    session = ChatSession(settings, db, args.thread)
    session.greet(resumed=bool(args.thread))
    try:
        while True:
            try:
                line = input("you> ").strip()
            except EOFError:
                break
            except UnicodeDecodeError:  # a terminal in a UTF-8 locale that was sent other bytes
                session.say("error: that line is not UTF-8 text; the thread is kept.")
                continue
            except KeyboardInterrupt:
                session.say("")
                break
            if not line:
                continue
            try:
                if line.startswith("/"):
                    if not session.command(line):
                        break
                else:
                    session.ask(line)
            except UserError as exc:
                session.say(f"error: {exc}")
            except KeyboardInterrupt:
                session.say("interrupted; the thread is kept. Ask again or /quit.")
            except Exception as exc:  # one line, and the conversation goes on
                session.say(f"internal error: {type(exc).__name__}: {str(exc)[:200]}; the thread is kept.")
    finally:
        session.say(f"thread {session.thread} saved (resume with: biopipelines chat --thread {session.thread})")
        session.close()
    return 0
