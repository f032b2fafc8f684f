"""Adding a topic touches four predictable places (README, "Adding a topic"); this proves it.

In a temporary project, a toy topic gets its data (a file in data/raw; a real topic registers its
datasets in config/sources.yml, the first place), a processing step (``process/toy.py``), an analysis
package (``analysis/toy/``: ``load.py`` reads its table once, ``scores.py`` computes from the data,
``headlines.py`` gives the overview its figures) and a notebook (``notebooks/toy.ipynb``) that loads
the data at the edge. Building just that topic puts its page in the navigation and runs only its step;
no list of topics, steps or pages was edited.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import nbformat
import pytest

import llr_analysis.analysis as analysis_pkg
import llr_analysis.process as process_pkg

REPO = Path(__file__).resolve().parents[1]

STEP = """
import pandas as pd
from llr_analysis.process import step
from llr_analysis.validate import read_csv


@step("toy", inputs=[], outputs=["toy/scores"])
def toy(paths):
    df = read_csv(paths.raw / "toy" / "scores.csv", dtype={"area_code": str})
    return {"toy/scores": df}
"""

ANALYSIS = {
    "__init__.py": '"""The toy topic: one score per place."""\n',
    "load.py": """
from dataclasses import dataclass

import pandas as pd

from llr_analysis.paths import ProjectPaths
from llr_analysis.process import read_table


@dataclass(frozen=True)
class ToyData:
    scores: pd.DataFrame


def load(paths: ProjectPaths) -> ToyData:
    return ToyData(scores=read_table("toy/scores", paths))
""",
    "scores.py": """
from llr_analysis.analysis.toy.load import ToyData


def score(data: ToyData, place: str) -> float:
    df = data.scores
    return float(df.loc[df["place"] == place, "score"].iloc[0])
""",
    "headlines.py": """
import pandas as pd

from llr_analysis.analysis.overview import HEADLINE_COLUMNS
from llr_analysis.analysis.toy.load import load
from llr_analysis.paths import ProjectPaths


def headlines(paths: ProjectPaths) -> pd.DataFrame:
    df = load(paths).scores
    out = pd.DataFrame({"topic": "toy", "indicator": "Toy score", "area_id": df["place"], "value": df["score"]})
    return out.reindex(columns=HEADLINE_COLUMNS)
""",
}


def _notebook(path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["llr"] = {"title": "Toy topic", "order": 9, "inputs": ["toy/*"]}
    params = nbformat.v4.new_code_cell('place = "rutland"')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [
        nbformat.v4.new_markdown_cell("## Toy score"),
        params,
        nbformat.v4.new_code_cell(
            "from llr_analysis.analysis.toy.load import load\n"
            "from llr_analysis.analysis.toy.scores import score\n"
            "from llr_analysis.paths import project_paths\n"
            "from llr_analysis.report.page import Page\n"
            "data = load(project_paths())\n"
            "page = Page('toy', place)\n"
            "page.markdown(f'The toy score is **{score(data, place):.1f}**.')"
        ),
    ]
    nbformat.write(nb, path)


@pytest.fixture
def toy_project(tmp_path, monkeypatch):
    root = tmp_path / "project"
    (root / "notebooks").mkdir(parents=True)
    for f in ("_quarto.yml", "pyproject.toml"):
        shutil.copyfile(REPO / f, root / f)
    shutil.copytree(REPO / "pages", root / "pages")
    _notebook(root / "notebooks" / "toy.ipynb")
    raw = root / "data" / "raw" / "toy" / "scores.csv"
    raw.parent.mkdir(parents=True)
    raw.write_text("place,area_code,score\nleicester,E06000016,1.5\nrutland,E06000017,7.3\n")
    (root / "data" / "sources.lock.json").write_text(json.dumps({"datasets": {}}))
    code = tmp_path / "code"
    (code / "process").mkdir(parents=True)
    (code / "analysis" / "toy").mkdir(parents=True)
    (code / "process" / "toy.py").write_text(STEP)
    for name, text in ANALYSIS.items():
        (code / "analysis" / "toy" / name).write_text(text)
    # The toy modules live outside the installed package: their folders join the packages' paths, in
    # this process and (through a sitecustomize on PYTHONPATH) in the notebook kernels.
    monkeypatch.setattr(process_pkg, "__path__", [*process_pkg.__path__, str(code / "process")])
    monkeypatch.setattr(analysis_pkg, "__path__", [*analysis_pkg.__path__, str(code / "analysis")])
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(
        "import llr_analysis.analysis as a, llr_analysis.process as p\n"
        f"p.__path__.append({str(code / 'process')!r}); a.__path__.append({str(code / 'analysis')!r})\n"
    )
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(hook), os.environ.get("PYTHONPATH", "")]))
    yield root
    process_pkg.STEPS.pop("toy", None)
    sys.modules.pop("llr_analysis.process.toy", None)
    for name in [
        m for m in sys.modules if m == "llr_analysis.analysis.toy" or m.startswith("llr_analysis.analysis.toy.")
    ]:
        sys.modules.pop(name)


@pytest.mark.slow
def test_a_toy_topic_builds_into_the_navigation(toy_project, monkeypatch):
    from llr_analysis.paths import project_paths
    from llr_analysis.website.build import build

    monkeypatch.setenv("LLR_ROOT", str(toy_project))
    paths = project_paths(toy_project)
    report = build(paths, fetch=False, topics=["toy"], places=["rutland"], workers=1, log=lambda *_: None)
    site = report.site
    page = (site / "toy" / "rutland.html").read_text()
    assert "The toy score is <strong>7.3</strong>" in page
    assert '<meta name="generator" content="quarto-1.7.' in page
    # the navbar has a "Toy topic" menu with Rutland, and Rutland's sidebar lists the page
    assert '<span class="menu-text">Toy topic</span>' in page
    assert page.count('href="../toy/rutland.html"') >= 2
    assert (paths.processed / "toy" / "scores.parquet").exists()
    # only the toy step ran: no other topic's tables were made
    assert sorted(p.name for p in paths.processed.iterdir() if not p.name.startswith(".")) == ["quality", "toy"]
    # the overview's contract: the topic package's headlines module gives the overview its figures
    from llr_analysis.analysis.overview.load import collect_headlines
    from llr_analysis.topics import topic_pages

    headlines, missing = collect_headlines(paths, topic_pages(paths))
    assert missing == []
    assert headlines.set_index("area_id")["value"].to_dict() == {"leicester": 1.5, "rutland": 7.3}
