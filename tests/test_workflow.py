"""The hosted workflow parses and names only commands that exist in the project."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import yaml

from llr_analysis.cli import main

REPO = Path(__file__).resolve().parents[1]
WORKFLOW = REPO / ".github" / "workflows" / "site.yml"


def run_steps():
    wf = yaml.safe_load(WORKFLOW.read_text())
    return [s for job in wf["jobs"].values() for s in job["steps"] if "run" in s]


def test_workflow_parses_and_has_triggers_and_publish():
    wf = yaml.safe_load(WORKFLOW.read_text())
    triggers = wf[True] if True in wf else wf["on"]  # YAML 1.1 reads `on:` as True
    assert "schedule" in triggers and "workflow_dispatch" in triggers
    uses = [s.get("uses", "") for job in wf["jobs"].values() for s in job["steps"]]
    assert any(u.startswith("actions/deploy-pages") for u in uses)
    setup = [
        s
        for job in wf["jobs"].values()
        for s in job["steps"]
        if s.get("uses", "").startswith("quarto-dev/quarto-actions/setup")
    ]
    assert setup and str(setup[0]["with"]["version"]) == "1.7.34"  # pinned, as make quarto installs


def test_workflow_commands_exist():
    makefile = (REPO / "Makefile").read_text()
    make_targets = set(re.findall(r"^([a-z][\w-]*):", makefile, re.M))
    seen = 0
    for step in run_steps():
        for line in step["run"].splitlines():
            words = shlex.split(line)
            if not words:
                continue
            if words[0] == "make":
                assert set(words[1:]) <= make_targets, line
            elif words[0] == ".venv/bin/llr":
                # argparse exits 0 for --help of a known subcommand, 2 for an unknown one or option
                sub = words[1]
                try:
                    main([sub, "--help"])
                except SystemExit as e:
                    assert e.code == 0, line
                for opt in [w for w in words[2:] if w.startswith("--")]:
                    try:
                        main(
                            [sub, opt.split("=")[0], "--help"]
                            if opt in ("--refresh", "--force", "--no-fetch")
                            else [sub, opt, words[words.index(opt) + 1], "--help"]
                        )
                    except SystemExit as e:
                        assert e.code == 0, f"unknown option in: {line}"
            else:
                raise AssertionError(f"workflow runs an unknown command: {line}")
            seen += 1
    assert seen >= 4
