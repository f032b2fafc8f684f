"""What a notebook shows on its page: charts, tables, narrative and their CSV downloads.

A topic notebook makes one :class:`Page` and sends everything through it::

    page = Page("deprivation", place)
    page.chart(chart, "imd-decile-map", title=..., description=..., data=tidy_frame)
    page.table(frame, "localities", caption=...)
    page.markdown(text)

During a build (``$LLR_STAGE`` set by the runner) every output is a ``text/markdown`` display
holding a raw HTML block, which Quarto passes through untouched (``text/html`` outputs would make
Quarto add require.js and jQuery from a CDN to the page). Charts are ``<figure>`` elements whose
caption is the chart's text alternative, with a CSV link beside it; their Vega-Lite spec and data
are JSON blocks (``<script type="application/json">``, never executed) that the site's own
``assets/llr-charts.js`` draws with the one local Vega bundle. Data used by several charts of a
page (e.g. the same map geometry) is written once per page; data columns no chart reads are
dropped and numbers are rounded to 6 significant digits, so pages stay light.
Outside a build (an analyst in Jupyter) outputs display the normal Jupyter/Altair way.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from llr_analysis.report.csv_safety import FORMULA_NOTE, neutralise_formulas
from llr_analysis.report.stage import disclosure_threshold, stage_folder
from llr_analysis.report.templating import render, safe

#: Column order of every CSV download (extra columns follow).
DOWNLOAD_COLUMNS = [
    "indicator",
    "area_code",
    "area_name",
    "period",
    "value",
    "lower_95",
    "upper_95",
    "count",
    "denominator",
    "comparison",
    "source_id",
]

_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    return _SLUG.sub("-", str(text).lower()).strip("-")


def _display(obj) -> None:
    from IPython.display import display

    display(obj)


def raw_html_markdown(text: str) -> str:
    """``text`` as a Pandoc raw HTML block (a fence longer than any run of backticks inside it)."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{{=html}}\n{text}\n{fence}\n"


def _html(text: str) -> None:
    """Show HTML: as a raw HTML block in a ``text/markdown`` output during a build, else as HTML."""
    if stage_folder():
        from IPython.display import Markdown

        _display(Markdown(raw_html_markdown(text)))
    else:
        from IPython.display import HTML

        _display(HTML(text))


def apply_disclosure_control(
    df: pd.DataFrame, count_columns=("count",), threshold: int | None = None
) -> tuple[pd.DataFrame, int]:
    """Blank counts below the threshold (and the values derived from them) in a download.

    Returns the frame and how many rows were suppressed. A threshold of 0 turns it off.
    """
    threshold = disclosure_threshold() if threshold is None else threshold
    if threshold <= 0:
        return df, 0
    df = df.copy()
    mask = pd.Series(False, index=df.index)
    for c in count_columns:
        if c in df.columns:
            mask |= pd.to_numeric(df[c], errors="coerce").lt(threshold)
    for c in ("count", "value", "lower_95", "upper_95"):
        if c in df.columns:
            df[c] = df[c].astype("object").where(~mask, None)
    return df, int(mask.sum())


#: Columns that hold counts of people, areas or practices: written as whole numbers.
COUNT_COLUMN = re.compile(
    r"^(count|numerator|denominator|population|people.*|.*_count|n_.*|lsoas.*|msoas|practices|"
    r"children_0_15|older_60_plus|aged_.*|rank.*)$"
)
#: The one vocabulary of the ``comparison`` column (the words of :mod:`llr_analysis.stats.benchmark`).
COMPARISON_VOCABULARY = {"better", "similar", "worse", "higher", "lower", "not compared"}
DECIMALS = 4


def tidy_csv(df: pd.DataFrame, name: str = "") -> pd.DataFrame:
    """A download as it is written: column names unique (else ValueError naming them), counts whole numbers
    (rounded),
    other numbers rounded to :data:`DECIMALS` decimals, ``comparison`` in the one vocabulary
    (:data:`COMPARISON_VOCABULARY`, lower case)."""
    dup = sorted({c for c in df.columns if list(df.columns).count(c) > 1})
    if dup:
        raise ValueError(f"download {name!r} has repeated column names {dup}")
    out = df.copy()
    for c in out.columns:
        col = out[c]
        if not pd.api.types.is_float_dtype(col):
            continue
        if COUNT_COLUMN.match(str(c)):
            # counts as whole numbers; people estimated by mapping small areas (fractions of a person)
            # are rounded to whole people, as ONS publishes its estimates
            out[c] = col.round().astype("Int64")
        else:
            out[c] = col.round(DECIMALS)
    if "comparison" in out.columns:  # England is the comparator of its own row: "not compared"
        words = out["comparison"].map(lambda v: v.strip().lower() if isinstance(v, str) else v)
        out["comparison"] = words.replace({"comparator": "not compared"})
    return out


#: The data dictionary written beside a page's CSV downloads: one row per file and column.
DICTIONARY = "data-dictionary.csv"
COLUMN_MEANINGS = {
    "indicator": "what the row measures (its unit is in the name: %, years, score, people)",
    "area_code": "ONS GSS code of the area (or the ODS code of a GP practice or PCN)",
    "area_name": "name of the area",
    "period": "the period the figure refers to (year, mid-year, three-year period or IoD edition)",
    "value": "the figure, in the unit named by the indicator",
    "lower_95": "lower limit of the 95% confidence interval (empty when the source gives none)",
    "upper_95": "upper limit of the 95% confidence interval",
    "count": "the numerator: people or events counted (a whole number)",
    "denominator": "the population the value is a share or rate of (a whole number)",
    "comparison": "better, similar, worse, higher or lower than England by confidence-interval overlap; "
    "not compared where no interval or benchmark exists",
    "source_id": "the dataset(s) the row comes from: see the site's Data sources page",
}


def dictionary_rows(df: pd.DataFrame, file: str) -> list[dict]:
    """The data dictionary entries of one download: each column's meaning, and the file's sources,
    licences and periods."""
    from llr_analysis.fetch.sources import registry

    sources = sorted(
        {
            s.strip()
            for v in df.get("source_id", pd.Series(dtype=object)).dropna().astype(str)
            for s in v.split(";")
            if s.strip()
        }
    )
    known = registry()
    licences = {known[s].licence for s in sources if s in known}
    if any(s == "fingertips" or s.startswith("fingertips_") for s in sources):  # the API, not a registered file
        from llr_analysis.settings import cancer_screening

        licences.add(cancer_screening()["fingertips"]["licence"])
    periods = sorted({str(p) for p in df.get("period", pd.Series(dtype=object)).dropna()})
    return [
        {
            "file": file,
            "column": str(c),
            "meaning": COLUMN_MEANINGS.get(str(c), "a detail of the row, as shown on the page"),
            "type": "whole number"
            if str(df[c].dtype) == "Int64"
            else ("number" if pd.api.types.is_numeric_dtype(df[c]) else "text"),
            "sources": "; ".join(sources),
            "licences": "; ".join(sorted(licences)),
            "periods": "; ".join(periods[:12]) + ("; …" if len(periods) > 12 else ""),
        }
        for c in df.columns
    ]


def tidy_download(df: pd.DataFrame, **constants) -> pd.DataFrame:
    """Put a frame in the download layout: the standard columns first (missing ones empty)."""
    df = df.copy()
    for k, v in constants.items():
        df[k] = v
    for c in DOWNLOAD_COLUMNS:
        if c not in df.columns:
            df[c] = pd.NA
    extra = [c for c in df.columns if c not in DOWNLOAD_COLUMNS]
    return df[DOWNLOAD_COLUMNS + extra]


def _aria_off(spec: dict) -> None:
    """Turn off Vega's per-mark ARIA roles in a Vega-Lite spec, in every layer, facet and concat.

    The chart's text alternative is its figure's aria-label and caption; Vega's own roles would
    add unlabeled "img" elements that screen readers announce without a name.
    """

    def marks(node) -> None:
        if not isinstance(node, dict):
            return
        if "mark" in node:
            mark = node["mark"]
            mark = {"type": mark} if isinstance(mark, str) else dict(mark)
            mark["aria"] = False
            for overlay in ("point", "line"):  # line+point and area+line overlays are marks too
                if mark.get(overlay) is True or isinstance(mark.get(overlay), dict):
                    mark[overlay] = {**(mark[overlay] if isinstance(mark[overlay], dict) else {}), "aria": False}
            node["mark"] = mark
        for key in ("layer", "hconcat", "vconcat", "concat"):
            for sub in node.get(key, []):
                marks(sub)
        marks(node.get("spec"))

    marks(spec)
    spec.setdefault("config", {})["aria"] = False


class Page:
    """Collects a page's outputs. ``topic`` and ``place`` name the page (``place`` None for site-wide pages).

    ``name`` is the page's file stem when it is neither the place nor the topic (a locality profile,
    ``ward-e05010458``): its CSV downloads go to ``<name>-data/`` beside it.
    """

    def __init__(self, topic: str, place: str | None = None, name: str | None = None):
        self.topic = topic
        self.place = place
        self.stage = stage_folder()
        self.in_build = bool(self.stage)
        here = Path.cwd()
        self.asset_prefix = (os.path.relpath(self.stage, here) + "/") if self.stage else ""
        if self.asset_prefix == "./":
            self.asset_prefix = ""
        stem = name or place or topic
        self.download_dir_name = f"{stem}-data"
        self.download_dir = here / self.download_dir_name
        self._bundle_included = False
        self._datasets_written: set[str] = set()
        self._dictionary: list[dict] = []
        self._n = 0
        self.suppressed_rows = 0
        # While a tabset is open (``with page.tabset()``) outputs are collected here as Markdown,
        # because a Quarto tabset must be one block: it cannot span several notebook outputs.
        self._capture: list[str] | None = None
        self.profiles_linked = False  # set once a topic page has linked its place's locality profiles
        if place is not None:
            from llr_analysis.places import load_places, part_of_authority_text

            caveat = part_of_authority_text(load_places(), place)
            if caveat:  # a place that is only part of an authority: said at the top of each of its pages
                self.note(caveat)

    # ------------------------------------------------------------------ output plumbing
    def _emit_html(self, text: str) -> None:
        if self._capture is not None:
            self._capture.append(raw_html_markdown(text))
        else:
            _html(text)

    def _emit_markdown(self, text: str) -> None:
        if self._capture is not None:
            self._capture.append(text + "\n")
        else:
            from IPython.display import Markdown

            _display(Markdown(text))

    @contextmanager
    def tabset(self) -> Iterator[Tabset]:
        """Show the outputs made inside as a Quarto tabset, one tab per ``tabs.tab(title)``::

            with page.tabset() as tabs:
                for level in levels:
                    with tabs.tab(level.plural):
                        page.table(...)

        In a build the tabs become one ``::: {.panel-tabset}`` block (tab titles are level-3
        headings, so use them under a level-2 section heading). Outside a build each tab's outputs
        show in turn under its title.
        """
        if self._capture is not None:
            raise RuntimeError("tabsets cannot be nested")
        tabs = Tabset(self)
        if not self.in_build:
            yield tabs
            return
        self._capture = []
        try:
            yield tabs
        finally:
            parts, self._capture = self._capture, None
        from IPython.display import Markdown

        _display(Markdown("::: {.panel-tabset}\n\n" + "\n".join(parts) + "\n:::\n"))

    # ------------------------------------------------------------------ downloads
    def write_csv(self, df: pd.DataFrame, name: str) -> tuple[str, int]:
        """Write a CSV beside the page; return its relative link and how many rows disclosure control blanked.

        The file is tidied first (:func:`tidy_csv`): unique column names, counts as whole numbers, values
        rounded to at most 4 decimals, one vocabulary for ``comparison``.
        """
        df, n = apply_disclosure_control(tidy_csv(df, name))
        self.suppressed_rows += n
        self.download_dir.mkdir(parents=True, exist_ok=True)
        fname = f"{slug(name)}.csv"
        neutralise_formulas(df).to_csv(self.download_dir / fname, index=False)
        self._dictionary = [r for r in self._dictionary if r["file"] != fname] + dictionary_rows(df, fname)
        neutralise_formulas(pd.DataFrame([*self._dictionary, FORMULA_NOTE])).to_csv(
            self.download_dir / DICTIONARY, index=False
        )
        return f"{self.download_dir_name}/{fname}", n

    def _download_link(self, link: tuple[str, int], what: str) -> str:
        href, suppressed = link
        return render(
            "page_download_link.html", href=href, what=what, suppressed=suppressed, threshold=disclosure_threshold()
        )

    # ------------------------------------------------------------------ outputs
    def markdown(self, text: str) -> None:
        """Show narrative Markdown. Its ``&``, ``<`` and ``>`` are escaped: names from data become
        text and can never be read as HTML (the Markdown formatting of the text itself still works)."""
        self._emit_markdown(escape_markup(text))

    def word_link(self, what: str) -> None:
        """A link to this page's Word version (``<page>.docx`` beside it, made by the build:
        :mod:`llr_analysis.website.documents`)."""
        self._emit_html(
            render("docx_link.html", href=f"{self.download_dir_name.removesuffix('-data')}.docx", what=what)
        )

    def html(self, text: str) -> None:
        """Show HTML built by llr_analysis (which escapes every name and value it puts in)."""
        self._emit_html(text)

    def note(self, text: str, kind: str = "note", title: str | None = None, collapse: bool = False) -> None:
        """A Quarto callout (``kind``: note, tip, warning, important, caution) holding plain ``text``.

        ``text`` is escaped, so names from data cannot inject markup. ``collapse=True`` folds the
        body behind its title (for details an analyst may want and a stakeholder can skip).
        """
        self.note_html(render("callout_body.html", text=text), kind, title, collapse)

    def note_html(self, body: str, kind: str = "note", title: str | None = None, collapse: bool = False) -> None:
        """A Quarto callout holding ``body``: HTML rendered from a template (which escaped every value)."""
        if kind not in CALLOUT_KINDS:
            raise ValueError(f"callout kind must be one of {CALLOUT_KINDS}; got {kind!r}")
        if not self.in_build:
            _html(render("callout.html", kind=kind, body=safe(body)))
            return
        # inside a tabset a heading would start a new tab: the title goes in an attribute
        in_attribute = bool(title) and self._capture is not None
        attrs = render(
            "callout_attrs.html",
            kind=kind,
            collapse=collapse,
            title=str(title).replace("\\", "") if in_attribute else "",
        )
        if in_attribute:
            title = None
        heading = f"## {_md_escape(title)}\n\n" if title else ""
        self._emit_markdown(f"::: {{{attrs}}}\n{heading}{raw_html_markdown(body)}:::")

    def table(
        self,
        df: pd.DataFrame,
        name: str,
        caption: str,
        download: pd.DataFrame | None = None,
        float_format: str = "{:,.1f}",
    ) -> None:
        """Show a table with a caption and a CSV link (of ``download`` or the table itself)."""
        link = self.write_csv(download if download is not None else df, name)
        shown = df.copy()
        for c in shown.columns:
            if pd.api.types.is_float_dtype(shown[c]):
                shown[c] = shown[c].map(lambda v: "–" if pd.isna(v) else float_format.format(v))
            elif pd.api.types.is_integer_dtype(shown[c]):
                shown[c] = shown[c].map(lambda v: "–" if pd.isna(v) else f"{v:,}")
        # pandas writes the escaped head and body; the template adds the table's caption and frame
        body = shown.to_html(index=False, escape=True, na_rep="–", border=0, classes="data-table")
        body = body[body.index(">") + 1 :]  # after pandas' own <table ...> opening tag
        self._emit_html(
            render(
                "page_table.html",
                id=slug(name),
                caption=caption,
                body=safe(body),
                download=safe(self._download_link(link, "table")),
            )
        )

    def chart(self, chart, name: str, title: str, description: str, data: pd.DataFrame | None = None) -> None:
        """Show an Altair chart with its text alternative and a CSV of its data."""
        if not self.in_build or self.stage is None:
            _display(chart.properties(title=title))
            return
        link = self.write_csv(data if data is not None else pd.DataFrame(), name)
        self._n += 1
        div_id = f"chart-{slug(name)}"
        # validate=False: the charts come from tested builders; schema validation costs ~0.1 s a chart
        spec = chart.properties(title=title).to_dict(validate=False)
        # The figure's aria-label and caption are the chart's text alternative; Vega's own per-mark
        # ARIA roles would add unlabeled "img" elements for screen readers, so they are turned off.
        _aria_off(spec)
        datasets = compact_datasets(spec)
        parts = []
        # issue 22: map shapes go to a file shared by every page that draws them (report/charts.py)
        from llr_analysis.report.charts import externalise_geometry

        for geo_name, tag in externalise_geometry(spec, datasets, self.stage, self.asset_prefix):
            if geo_name not in self._datasets_written:
                parts.append(tag)
                self._datasets_written.add(geo_name)
        if not self._bundle_included:
            parts.append(render("chart_scripts.html", prefix=self.asset_prefix))
            self._bundle_included = True
        for ds_name, values in datasets.items():
            if ds_name not in self._datasets_written:
                parts.append(_json_block(values, **{"data-llr-dataset": ds_name}))
                self._datasets_written.add(ds_name)
        parts.append(
            render(
                "page_chart.html",
                id=div_id,
                title=title,
                description=description,
                datasets=list(datasets),
                spec=safe(_json_block(spec, **{"data-llr-spec": div_id})),
                download=safe(self._download_link(link, "chart")),
            )
        )
        self._emit_html("".join(parts))


class Tabset:
    """The tabs of one :meth:`Page.tabset` block."""

    def __init__(self, page: Page):
        self.page = page
        self.titles: list[str] = []

    @contextmanager
    def tab(self, title: str) -> Iterator[None]:
        """Outputs made inside this block form the tab ``title``."""
        self.titles.append(title)
        if self.page._capture is not None:
            self.page._capture.append(f"### {_md_escape(title)}\n")
        else:
            _html(render("tab_heading.html", title=title))
        yield


# ---------------------------------------------------------------------------------- chart data
CALLOUT_KINDS = ("note", "tip", "warning", "important", "caution")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~^$])")


def escape_markup(text: str) -> str:
    """``&``, ``<`` and ``>`` as entities: Markdown text that cannot carry raw HTML (quotes stay, so
    Pandoc still makes them typographic)."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _md_escape(text: str) -> str:
    """Plain text for Markdown (every character Pandoc could read as markup is escaped)."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def _json_block(value, **attrs) -> str:
    """A JSON data block for the page. Every ``<`` is escaped, so data cannot close or confuse the element."""
    text = json.dumps(value, separators=(",", ":"), allow_nan=False).replace("<", "\\u003c")
    return render("json_block.html", attrs=attrs, json=safe(text))


def _round(value, digits: int = 6):
    """Numbers to ``digits`` significant digits (whole numbers as integers); NaN and inf to null."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return None
        r = float(f"{value:.{digits}g}")
        return int(r) if r.is_integer() and abs(r) < 2**53 else r
    if isinstance(value, dict):
        return {k: _round(v, digits) for k, v in value.items()}
    if isinstance(value, list):
        return [_round(v, digits) for v in value]
    return value


def _hoist(node, datasets: dict) -> None:
    """Move inline ``data.values`` of every (sub)chart into ``datasets``, named by content hash."""
    if isinstance(node, dict):
        data = node.get("data")
        if isinstance(data, dict) and "values" in data and not isinstance(data["values"], str):
            values = _round(data.pop("values"))
            key = "data-" + hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()[:20]
            datasets[key] = values
            data["name"] = key
        for k, v in node.items():
            if k != "datasets":
                _hoist(v, datasets)
    elif isinstance(node, list):
        for v in node:
            _hoist(v, datasets)


def compact_datasets(spec: dict) -> dict[str, object]:
    """Take every dataset out of a Vega-Lite spec: ``{name: values}``; the spec then names them.

    Inline data is hoisted into named datasets (so a page writes data shared by charts once);
    columns of tabular data that the spec never mentions are dropped (unless a tooltip shows all
    fields); numbers keep 6 significant digits.
    """
    datasets = {k: _round(v) for k, v in spec.pop("datasets", {}).items()}
    _hoist(spec, datasets)
    text = json.dumps(spec)
    keep_all = '"content": "data"' in text or '"tooltip": true' in text
    out: dict[str, object] = {}
    for name, values in datasets.items():
        if (
            not keep_all
            and isinstance(values, list)
            and values
            and all(isinstance(r, dict) for r in values)
            and not any("geometry" in r for r in values)
        ):
            used = {
                k
                for r in values
                for k in r
                if f'"{k}"' in text
                or f"datum.{k}" in text
                or f'"{k.replace(".", chr(92) * 2 + ".")}"' in text
                or f"datum['{k}']" in text
                or f'datum[\\"{k}\\"]' in text
            }
            values = [{k: v for k, v in r.items() if k in used} for r in values]
        out[name] = values
    return out


_JSON_BLOCK = re.compile(r'<script type="application/json" (data-llr-(?:spec|dataset))="([^"]+)">(.*?)</script>', re.S)


def chart_specs(page_html: str, folder: Path | str | None = None) -> dict[str, dict]:
    """The Vega-Lite spec of every chart in a built page, ``{div id: spec}``, its datasets filled in.

    The inverse of :meth:`Page.chart`, for tests and for analysts who want a chart's data back. Map
    shapes live in files beside the pages (``<script src=... data-llr-geo=...>``): given the page's
    ``folder`` they are read and joined to their attributes again (TopoJSON with ``properties``, as
    the chart was made); without it they are left out.
    """
    import html as _h

    from llr_analysis.report.charts import join_geometry

    blocks: dict[str, dict] = {"data-llr-spec": {}, "data-llr-dataset": {}}
    for kind, name, text in _JSON_BLOCK.findall(page_html):
        blocks[kind][_h.unescape(name)] = json.loads(text)
    if folder is not None:
        for src, name in re.findall(r'<script src="([^"]+)" data-llr-geo="([^"]+)"></script>', page_html):
            text = (Path(folder) / _h.unescape(src)).read_text(encoding="utf-8")
            blocks["data-llr-dataset"][name] = json.loads(text[text.index("]=") + 2 :].rstrip().rstrip(";"))
    names = dict(re.findall(r'<div id="([^"]+)" class="vega-chart"[^>]*data-llr-datasets="([^"]*)"', page_html))
    out = {}
    for div_id, spec in blocks["data-llr-spec"].items():
        datasets = blocks["data-llr-dataset"]
        spec["datasets"] = {n: datasets[n] for n in names.get(div_id, "").split() if n in datasets}
        join_geometry(spec)
        out[div_id] = spec
    return out
