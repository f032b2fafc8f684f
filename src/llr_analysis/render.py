"""Render a Quarto website project (``_quarto.yml`` + notebooks + ``.qmd`` pages) to a static site.

Two engines produce the same page tree (``<topic>/<place>.ipynb`` -> ``<topic>/<place>.html``):

* ``quarto``: runs the Quarto CLI (``quarto render <project> --output-dir <dir>``).
* ``nbconvert``: a self-contained fallback for machines where Quarto cannot be installed.
  It reads the same ``_quarto.yml`` (navbar, footer, css, resources, render list, lang),
  converts executed notebooks with nbconvert (outputs only, like Quarto's ``echo: false``)
  and ``.qmd`` pages with markdown-it-py, and wraps every page in ``templates/page.html.j2``.

``render_site(project_dir, output_dir, engine="auto")`` picks Quarto when it is on PATH.

The nbconvert engine is deterministic: the same project gives byte-identical files, and
files whose content has not changed are not rewritten (their mtime is kept), so the build
can cache.  It never deletes anything from ``output_dir``.
"""

from __future__ import annotations

import copy
import html
import os
import posixpath
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from importlib import resources as importlib_resources
from pathlib import Path
from typing import Any

import yaml

from llr_analysis.errors import BuildError

__all__ = [
    "SITE_CSS",
    "RenderError",
    "RenderResult",
    "local_references",
    "quarto_available",
    "render_site",
]

#: Where the packaged stylesheet lands in the site (and where pages link it from).
SITE_CSS = "assets/site.css"

ENGINES = ("auto", "quarto", "nbconvert")
PAGE_EXTS = (".ipynb", ".qmd")          # rendered by default (Quarto also renders .md; see _discover)
EXPLICIT_PAGE_EXTS = (".ipynb", ".qmd", ".md")  # accepted when listed in project.render
CONFIG_NAMES = ("_quarto.yml", "_quarto.yaml")

# Output mimetypes in order of preference (Quarto/Jupyter-like; scripts and widgets are dropped).
DISPLAY_PRIORITY = (
    "text/html",
    "image/svg+xml",
    "image/png",
    "image/jpeg",
    "text/markdown",
    "text/plain",
)

CALLOUT_TITLES = {
    "note": "Note",
    "tip": "Tip",
    "warning": "Warning",
    "important": "Important",
    "caution": "Caution",
}

# Keys of _quarto.yml that the nbconvert engine understands; everything else is reported as ignored.
_KNOWN_KEYS: dict[str, set[str]] = {
    "": {"project", "website", "format", "lang", "execute"},
    # The renderer never executes and always hides code and warnings: only these values are honoured.
    "execute": {"enabled", "echo", "warning"},
    "project": {"type", "render", "resources", "output-dir"},
    "website": {"title", "navbar", "page-footer", "favicon", "description"},
    "website.navbar": {"left", "right", "title", "logo", "logo-alt"},
    "format": {"html"},
    "format.html": {"css", "lang", "toc", "toc-depth", "toc-title",
                    "include-in-header", "include-before-body", "include-after-body"},
}

_SCHEME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:")


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


class RenderError(BuildError):
    """Rendering failed; ``file`` names the file (config, notebook or page) at fault."""

    def __init__(self, file: str | Path, problem: str):
        self.file = str(file)
        self.problem = problem
        super().__init__("render", f"{self.file}: {problem}")


@dataclass
class RenderResult:
    """What a render produced.

    ``pages`` are the HTML pages written, relative to the output directory, sorted.
    ``ignored`` lists the ``_quarto.yml`` keys the nbconvert engine does not implement
    (always empty for the Quarto engine).
    """

    engine: str
    pages: list[Path]
    ignored: list[str] = field(default_factory=list)


def quarto_available() -> bool:
    """True when the ``quarto`` CLI is on PATH."""
    return shutil.which("quarto") is not None


def render_site(project_dir: Path, output_dir: Path, *, engine: str = "auto") -> RenderResult:
    """Render the Quarto website project in ``project_dir`` into ``output_dir``.

    ``engine`` is ``"auto"`` (Quarto if on PATH, else nbconvert), ``"quarto"`` or ``"nbconvert"``.
    Raises :class:`RenderError` (a :class:`~llr_analysis.errors.BuildError`) naming the file at fault.
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}; got {engine!r}")
    project_dir = Path(project_dir).resolve()
    output_dir = Path(output_dir).resolve()
    config_path = _find_config(project_dir)
    if output_dir == project_dir:
        raise RenderError(output_dir, "the output directory must differ from the project directory")
    if engine == "auto":
        engine = "quarto" if quarto_available() else "nbconvert"
    if engine == "quarto":
        return _render_with_quarto(project_dir, output_dir, config_path)
    return _NbconvertSite(project_dir, output_dir, config_path).render()


def local_references(page_html: str) -> list[tuple[str, str, str]]:
    """``(tag, attribute, value)`` for every ``src``/``href`` attribute in ``page_html``.

    Script bodies are not parsed, so URLs inside inline chart specs are not reported.
    """
    parser = _RefCollector()
    parser.feed(page_html)
    parser.close()
    return parser.refs


# --------------------------------------------------------------------------------------------
# Quarto engine
# --------------------------------------------------------------------------------------------


def _render_with_quarto(project_dir: Path, output_dir: Path, config_path: Path) -> RenderResult:
    quarto = shutil.which("quarto")
    if quarto is None:
        raise RenderError(project_dir, "engine 'quarto' requested but the quarto CLI is not on PATH")
    _ensure_packaged_css_for_quarto(project_dir, config_path)
    # `quarto render <dir> --output-dir DIR` is valid for projects ("path is project relative"),
    # so no temporary _quarto.yml is needed.  Quarto empties its output directory before a full
    # render, so render into a scratch directory and copy the result over output_dir: that keeps
    # unrelated files in output_dir (e.g. a tracked site/README.md), like the nbconvert engine.
    scratch = Path(tempfile.mkdtemp(prefix="llr-quarto-"))
    target = scratch / "site"
    try:
        try:
            out_arg = os.path.relpath(target, project_dir)
        except ValueError:  # different drives on Windows: Quarto >= 1.5 accepts absolute paths
            out_arg = str(target)
        cmd = [quarto, "render", str(project_dir), "--output-dir", out_arg]
        proc = subprocess.run(cmd, cwd=project_dir, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            detail = (proc.stderr or proc.stdout or "").strip()
            if len(detail) > 6000:
                detail = "...\n" + detail[-6000:]
            raise RenderError(
                project_dir,
                f"quarto render failed (exit {proc.returncode}): {' '.join(cmd)}\n{detail}",
            )
        if not target.is_dir():
            raise RenderError(project_dir, f"quarto render succeeded but wrote nothing to {out_arg}")
        pages: list[Path] = []
        for src in sorted(target.rglob("*")):
            if src.is_dir():
                continue
            rel = src.relative_to(target)
            _copy_if_changed(src, output_dir / rel)
            if src.suffix == ".html" and rel.parts[0] != "site_libs":
                pages.append(rel)
        if not pages:
            raise RenderError(project_dir, "quarto render produced no HTML pages")
        return RenderResult(engine="quarto", pages=pages)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _ensure_packaged_css_for_quarto(project_dir: Path, config_path: Path) -> None:
    """If _quarto.yml lists assets/site.css but the project lacks it, stage the packaged copy."""
    config = _load_config(config_path)
    css = _as_list(_dig(config, "format", "html", "css"))
    if SITE_CSS in css and not (project_dir / SITE_CSS).is_file():
        dest = project_dir / SITE_CSS
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(_packaged_css())


# --------------------------------------------------------------------------------------------
# Helpers shared by the engines
# --------------------------------------------------------------------------------------------


def _find_config(project_dir: Path) -> Path:
    if not project_dir.is_dir():
        raise RenderError(project_dir, "project directory does not exist")
    for name in CONFIG_NAMES:
        if (project_dir / name).is_file():
            return project_dir / name
    raise RenderError(project_dir / "_quarto.yml", "missing: not a Quarto project (no _quarto.yml)")


def _load_config(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise RenderError(path, f"invalid YAML: {exc}") from None
    except OSError as exc:
        raise RenderError(path, f"cannot be read: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise RenderError(path, "must be a YAML mapping")
    return data


def _dig(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _as_list(value: Any) -> list:
    if value is None or value is False:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def _packaged_css() -> bytes:
    return importlib_resources.files("llr_analysis").joinpath("assets/site.css").read_bytes()


def _packaged_template() -> str:
    return importlib_resources.files("llr_analysis").joinpath("templates/page.html.j2").read_text(
        encoding="utf-8"
    )


def _write_if_changed(path: Path, data: bytes) -> None:
    if path.is_file() and path.read_bytes() == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _copy_if_changed(src: Path, dest: Path) -> None:
    if dest.is_file() and dest.stat().st_size == src.stat().st_size and dest.read_bytes() == src.read_bytes():
        return
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dest)


def _rel_link(target: str, page: str) -> str:
    """Relative URL from output page ``page`` to output path ``target`` (both posix, project-relative)."""
    start = posixpath.dirname(page) or "."
    return posixpath.relpath(target, start)


def _split_url(href: str) -> tuple[str, str]:
    """Split ``path?query#frag`` into (path, suffix)."""
    for i, ch in enumerate(href):
        if ch in "?#":
            return href[:i], href[i:]
    return href, ""


def _is_external(href: str) -> bool:
    return bool(_SCHEME_RE.match(href)) or href.startswith("//")


def _plain_text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def _glob_body(pattern: str) -> str:
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif c == "*":
            out.append("[^/]*")
            i += 1
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[":
            j = pattern.find("]", i + 1)
            if j == -1:
                out.append(re.escape(c))
                i += 1
            else:
                body = pattern[i + 1 : j]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append("[" + body.replace("\\", "\\\\") + "]")
                i = j + 1
        elif c == "{":
            j = pattern.find("}", i + 1)
            if j == -1:
                out.append(re.escape(c))
                i += 1
            else:
                out.append("(?:" + "|".join(_glob_body(a) for a in pattern[i + 1 : j].split(",")) + ")")
                i = j + 1
        else:
            out.append(re.escape(c))
            i += 1
    return "".join(out)


def _glob_regex(pattern: str) -> re.Pattern:
    """Translate a glob (``*``, ``?``, ``**``, ``[...]``, ``{a,b}``) on posix paths into a regex."""
    return re.compile("(?s:" + _glob_body(pattern) + ")\\Z")


def _smart_glob(glob: str, project_dir: Path) -> str:
    """Quarto's 'smart' globs: ``dir/`` or a literal directory means everything in it, and a
    glob that does not start with ``/`` matches at any depth."""
    glob = re.sub(r"^\./+", "", glob)
    if glob.endswith("/"):
        glob += "**/*"
    elif (project_dir / glob.lstrip("/")).is_dir():
        glob = glob.rstrip("/") + "/**/*"
    if glob.startswith("/"):
        return glob[1:]
    return "**/" + glob


def _resolve_globs(globs: Iterable[str], files: list[str], project_dir: Path) -> list[str]:
    """Files (posix, project-relative) matched by Quarto-style globs, honouring ``!exclusions``."""
    include: list[re.Pattern] = []
    exclude: list[re.Pattern] = []
    for glob in globs:
        glob = str(glob)
        if glob.startswith("!"):
            exclude.append(_glob_regex(_smart_glob(glob[1:], project_dir)))
        else:
            if glob.startswith("\\!"):
                glob = glob[1:]
            include.append(_glob_regex(_smart_glob(glob, project_dir)))
    return [
        f for f in files
        if any(p.match(f) for p in include) and not any(p.match(f) for p in exclude)
    ]


class _RefCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href") and value is not None:
                self.refs.append((tag, name, value))

    handle_startendtag = handle_starttag


# --------------------------------------------------------------------------------------------
# Markdown (qmd pages, notebook markdown cells, text/markdown outputs)
# --------------------------------------------------------------------------------------------

_DIV_OPEN_RE = re.compile(r"^(:{3,})[ \t]*(\{[^}]*\}|[^\s{}:]+)[ \t]*:*[ \t]*$")
_DIV_CLOSE_RE = re.compile(r"^:{3,}[ \t]*$")
_FENCE_RE = re.compile(r"^(`{3,}|~{3,})")
_ATTR_TOKEN_RE = re.compile(
    r"""\s*(?:
        \#(?P<id>[^\s}]+)
      | \.(?P<cls>[^\s}]+)
      | (?P<key>[A-Za-z_:][\w:.\-]*)=(?:"(?P<dq>(?:[^"\\]|\\.)*)"|'(?P<sq>(?:[^'\\]|\\.)*)'|(?P<bare>[^\s}]+))
      | (?P<word>[^\s}=]+)
    )""",
    re.VERBOSE,
)
_HEADING_ATTRS_RE = re.compile(r"\s*\{([^{}]*)\}\s*$")
_SHORTCODE_RE = re.compile(r"\{\{<\s*(/\*)?\s*([\w-]+)((?:(?!>\}\}).)*?)\s*(\*/)?\s*>\}\}", re.DOTALL)
_PASS_ATTRS = {"title", "lang", "dir", "role", "style"}
# Undo the typographer's curly quotes inside heading attribute blocks.
_STRAIGHT_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"})


def _parse_attrs(text: str) -> tuple[str | None, list[str], list[tuple[str, str]]]:
    """Parse a Pandoc attribute block body (``#id .class key="value"``)."""
    ident: str | None = None
    classes: list[str] = []
    kvs: list[tuple[str, str]] = []
    text = text.strip()
    if text.startswith("{") and text.endswith("}"):
        text = text[1:-1]
    pos = 0
    while pos < len(text):
        m = _ATTR_TOKEN_RE.match(text, pos)
        if not m or m.end() == pos:
            break
        pos = m.end()
        if m.group("id"):
            ident = m.group("id")
        elif m.group("cls"):
            classes.append(m.group("cls"))
        elif m.group("key"):
            value = next(v for v in (m.group("dq"), m.group("sq"), m.group("bare"), "") if v is not None)
            kvs.append((m.group("key"), re.sub(r"\\(.)", r"\1", value)))
        elif m.group("word"):
            classes.append(m.group("word"))
    return ident, classes, kvs


def _slugify(text: str) -> str:
    """Pandoc-style auto identifier."""
    text = text.strip().lower()
    text = re.sub(r"[^\w\s.\-]", "", text)
    text = re.sub(r"\s+", "-", text)
    text = re.sub(r"^[^a-z]+", "", text)
    return text or "section"


def _inline_text(token: Any) -> str:
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content if child.type != "html_inline" else "")
        elif child.children:
            parts.append(_inline_text(child))
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


def _fenced_div_rule(state: Any, start_line: int, end_line: int, silent: bool) -> bool:
    """Pandoc fenced divs (``::: {.callout-note}`` ... ``:::``), nestable with equal-length fences."""
    if state.is_code_block(start_line):
        return False
    start = state.bMarks[start_line] + state.tShift[start_line]
    line = state.src[start : state.eMarks[start_line]]
    m = _DIV_OPEN_RE.match(line)
    if not m:
        return False
    if silent:
        return True
    depth = 1
    fence: str | None = None
    next_line = start_line
    closed = False
    while True:
        next_line += 1
        if next_line >= end_line:
            break
        pos = state.bMarks[next_line] + state.tShift[next_line]
        maximum = state.eMarks[next_line]
        if pos < maximum and state.sCount[next_line] < state.blkIndent:
            break
        text = state.src[pos:maximum]
        if fence is not None:
            if text.startswith(fence) and not text[len(fence):].lstrip(fence[0]).strip():
                fence = None
            continue
        fm = _FENCE_RE.match(text)
        if fm and not state.is_code_block(next_line):
            fence = fm.group(1)
            continue
        if state.is_code_block(next_line):
            continue
        if _DIV_CLOSE_RE.match(text):
            depth -= 1
            if depth == 0:
                closed = True
                break
        elif _DIV_OPEN_RE.match(text):
            depth += 1

    old_parent, old_line_max = state.parentType, state.lineMax
    state.parentType = "fenced_div"
    state.lineMax = next_line
    token = state.push("fenced_div_open", "div", 1)
    token.markup = m.group(1)
    token.info = m.group(2)
    token.block = True
    token.map = [start_line, next_line]
    state.md.block.tokenize(state, start_line + 1, next_line)
    token = state.push("fenced_div_close", "div", -1)
    token.markup = m.group(1)
    token.block = True
    state.parentType, state.lineMax = old_parent, old_line_max
    state.line = next_line + (1 if closed else 0)
    return True


def _as_render_rule(method: Any) -> Any:
    def rule(renderer: Any, tokens: list, idx: int, options: Any, env: dict) -> str:
        return method(renderer, tokens, idx, options, env)

    return rule


class _Markdown:
    """markdown-it-py (CommonMark + tables) with the Pandoc/Quarto extensions the site uses."""

    def __init__(self) -> None:
        from markdown_it import MarkdownIt
        from mdit_py_plugins.attrs import attrs_plugin
        from mdit_py_plugins.deflist import deflist_plugin
        from mdit_py_plugins.footnote import footnote_plugin

        md = MarkdownIt("commonmark", {"html": True, "typographer": True})
        md.enable(["table", "strikethrough", "replacements", "smartquotes"])
        md.use(footnote_plugin)
        md.use(deflist_plugin)
        md.use(attrs_plugin, spans=True)
        md.block.ruler.before("fence", "fenced_div", _fenced_div_rule)
        md.core.ruler.push("llr_quarto", self._core_rule)
        for token_type, method in (
            ("fenced_div_open", self._render_div_open),
            ("fenced_div_close", self._render_div_close),
            ("table_open", self._render_table_open),
            ("table_close", self._render_table_close),
            ("link_open", self._render_link_open),
            ("fence", self._render_fence),
        ):
            # add_render_rule binds a plain function to the renderer (its first argument)
            md.add_render_rule(token_type, _as_render_rule(method))
        self.md = md

    # -- public ------------------------------------------------------------------------------
    def render(self, text: str, env: dict) -> str:
        return self.md.render(self._shortcodes(text, env), env)

    def render_inline(self, text: str, env: dict) -> str:
        return self.md.renderInline(self._shortcodes(str(text), env), env)

    # -- shortcodes --------------------------------------------------------------------------
    def _shortcodes(self, text: str, env: dict) -> str:
        if "{{<" not in text:
            return text

        def repl(m: re.Match) -> str:
            name, args = m.group(2), m.group(3).strip()
            if m.group(1):  # escaped: {{</* meta title */>}}
                return "{{< " + f"{name} {args}".strip() + " >}}"
            if name == "pagebreak":
                return ""
            if name in ("meta", "var"):
                key = args.strip().strip("\"'")
                source = env.get("meta", {}) if name == "meta" else env.get("variables", {})
                value: Any = source
                for part in key.split("."):
                    value = value.get(part) if isinstance(value, dict) else None
                if value is None and name == "meta":
                    value = _dig(env.get("site_config", {}), *key.split("."))
                if value is None:
                    raise RenderError(env.get("source", "?"), f"shortcode {m.group(0)!r}: {key!r} is not defined")
                return str(value)
            raise RenderError(
                env.get("source", "?"),
                f"shortcode {m.group(0)!r} is not supported by the nbconvert renderer "
                "(supported: meta, var, pagebreak)",
            )

        return _SHORTCODE_RE.sub(repl, text)

    # -- core post-processing ----------------------------------------------------------------
    def _core_rule(self, state: Any) -> None:
        tokens = state.tokens
        ids: set[str] = state.env.setdefault("ids", set())
        div_stack: list[Any] = []
        table_count = state.env.setdefault("table_count", [0])
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            if tok.type == "fenced_div_open":
                ident, classes, kvs = _parse_attrs(tok.info)
                tok.meta.update(id=ident, classes=classes, kvs=kvs)
                kinds = [c[len("callout-"):] for c in classes if c.startswith("callout-")]
                if "callout" in classes and not kinds:
                    kinds = ["note"]
                if kinds:
                    kind = kinds[0]
                    kv = dict(kvs)
                    tok.meta["callout"] = kind
                    tok.meta["title"] = kv.get("title")
                    tok.meta["collapse"] = kv.get("collapse")
                    if tok.meta["title"] is None and i + 2 < len(tokens) and tokens[i + 1].type == "heading_open":
                        tok.meta["title_token"] = tokens[i + 2]
                        del tokens[i + 1 : i + 4]
                div_stack.append(tok)
            elif tok.type == "fenced_div_close":
                opener = div_stack.pop() if div_stack else None
                tok.meta["opener"] = opener
            elif tok.type == "heading_open" and i + 1 < len(tokens) and tokens[i + 1].type == "inline":
                inline = tokens[i + 1]
                ident = None
                m = _HEADING_ATTRS_RE.search(inline.content)
                if m and inline.children and inline.children[-1].type == "text":
                    last = inline.children[-1]
                    lm = _HEADING_ATTRS_RE.search(last.content)
                    if lm:
                        ident, classes, kvs = _parse_attrs(lm.group(1).translate(_STRAIGHT_QUOTES))
                        last.content = last.content[: lm.start()]
                        inline.content = inline.content[: m.start()]
                        for c in classes:
                            tok.attrJoin("class", c)
                        for k, v in kvs:
                            tok.attrSet(k, v)
                if ident is None:
                    base = _slugify(_inline_text(inline))
                    ident, n = base, 0
                    while ident in ids:
                        n += 1
                        ident = f"{base}-{n}"
                ids.add(ident)
                tok.attrSet("id", ident)
            elif tok.type == "table_close":
                table_count[0] += 1
                # Pandoc table caption: a paragraph right after the table starting with ": ".
                if (
                    i + 3 < len(tokens)
                    and tokens[i + 1].type == "paragraph_open"
                    and tokens[i + 2].type == "inline"
                    and tokens[i + 2].content.startswith(": ")
                ):
                    cap = tokens[i + 2]
                    if cap.children and cap.children[0].type == "text":
                        cap.children[0].content = cap.children[0].content[2:]
                    opener = next(t for t in reversed(tokens[:i]) if t.type == "table_open")
                    opener.meta["caption"] = cap
                    del tokens[i + 1 : i + 4]
            i += 1

    # -- renderers ---------------------------------------------------------------------------
    def _render_div_open(self, renderer: Any, tokens: list, idx: int, options: Any, env: dict) -> str:
        tok = tokens[idx]
        meta = tok.meta
        ident = meta.get("id")
        id_attr = f' id="{html.escape(ident)}"' if ident else ""
        kind = meta.get("callout")
        if kind:
            classes = ["callout", f"callout-{kind}"] + [
                c for c in meta["classes"] if c not in ("callout", f"callout-{kind}")
            ]
            if meta.get("title_token") is not None:
                title = renderer.renderInline(meta["title_token"].children or [], options, env)
            else:
                title = html.escape(meta.get("title") or CALLOUT_TITLES.get(kind, kind.title()))
            out = f'<div class="{html.escape(" ".join(classes))}"{id_attr}>\n'
            collapse = str(meta.get("collapse")).lower() if meta.get("collapse") is not None else None
            if collapse in ("true", "false"):
                opened = " open" if collapse == "false" else ""
                out += f'<details{opened}>\n<summary class="callout-title">{title}</summary>\n'
            else:
                out += f'<p class="callout-title">{title}</p>\n'
            return out + '<div class="callout-body">\n'
        attrs = ""
        if meta["classes"]:
            attrs += f' class="{html.escape(" ".join(meta["classes"]))}"'
        attrs += id_attr
        for key, value in meta["kvs"]:
            name = key if (key in _PASS_ATTRS or key.startswith(("data-", "aria-"))) else f"data-{key}"
            attrs += f' {html.escape(name)}="{html.escape(value)}"'
        return f"<div{attrs}>\n"

    def _render_div_close(self, renderer: Any, tokens: list, idx: int, options: Any, env: dict) -> str:
        opener = tokens[idx].meta.get("opener")
        if opener is not None and opener.meta.get("callout"):
            collapse = opener.meta.get("collapse")
            if collapse is not None and str(collapse).lower() in ("true", "false"):
                return "</div>\n</details>\n</div>\n"
            return "</div>\n</div>\n"
        return "</div>\n"

    def _render_table_open(self, renderer: Any, tokens: list, idx: int, options: Any, env: dict) -> str:
        cap = tokens[idx].meta.get("caption")
        caption_html = renderer.renderInline(cap.children or [], options, env) if cap is not None else ""
        label = _plain_text(caption_html) if caption_html else "Table"
        out = f'<div class="table-wrap" role="region" tabindex="0" aria-label="{html.escape(label)}">\n'
        out += renderer.renderToken(tokens, idx, options, env)
        if caption_html:
            out += f"<caption>{caption_html}</caption>\n"
        return out

    def _render_table_close(self, renderer: Any, tokens: list, idx: int, options: Any, env: dict) -> str:
        return renderer.renderToken(tokens, idx, options, env) + "</div>\n"

    def _render_link_open(self, renderer: Any, tokens: list, idx: int, options: Any, env: dict) -> str:
        tok = tokens[idx]
        href = tok.attrGet("href")
        if isinstance(href, str):
            tok.attrSet("href", _rewrite_local_href(href, env.get("page", "")))
        return renderer.renderToken(tokens, idx, options, env)

    def _render_fence(self, renderer: Any, tokens: list, idx: int, options: Any, env: dict) -> str:
        tok = tokens[idx]
        info = tok.info.strip()
        if info.startswith("{=html}"):
            return tok.content
        m = re.match(r"^\{([A-Za-z][\w+-]*)(?:[\s,}]|$)", info)
        if m:
            raise RenderError(
                env.get("source", "?"),
                f"executable code cell ```{{{m.group(1)}}} (line {_line(tok, env)}) "
                "cannot be run by the nbconvert renderer; move the code into a notebook",
            )
        if info.startswith("{"):
            _, classes, _ = _parse_attrs(info)
            lang = classes[0] if classes else ""
            tok.info = lang
        return renderer.fence(tokens, idx, options, env)


def _line(tok: Any, env: dict) -> str:
    return str(tok.map[0] + 1 + env.get("line_offset", 0)) if tok.map else "?"


def _rewrite_local_href(href: str, page: str) -> str:
    """Quarto-style link rewriting: ``x.qmd``/``x.ipynb`` -> ``x.html``; ``/x`` is project-root relative."""
    if not href or href.startswith("#") or _is_external(href):
        return href
    path, suffix = _split_url(href)
    if not path:
        return href
    stem, ext = posixpath.splitext(path)
    if ext.lower() in EXPLICIT_PAGE_EXTS:
        path = stem + ".html"
    if path.startswith("/"):
        path = _rel_link(posixpath.normpath(path.lstrip("/")) or ".", page)
    return path + suffix


# --------------------------------------------------------------------------------------------
# Notebooks
# --------------------------------------------------------------------------------------------

_NB_TEMPLATE_NAME = "llr_notebook.html.j2"

# Body-only nbconvert template: no prompts, no inputs, no require.js/MathJax/widget state,
# nothing that references the network.  Blocks come from nbconvert's base display_priority.j2.
_NB_TEMPLATE = r"""
{%- extends 'display_priority.j2' -%}

{%- block header -%}{%- endblock header -%}
{%- block footer -%}{%- endblock footer -%}

{%- block codecell -%}
{%- if cell.outputs %}
<div class="cell"{{ cell | llr_cell_id }}>
{{- super() }}
</div>
{%- endif -%}
{%- endblock codecell -%}

{%- block markdowncell -%}
{{ '\n' }}{{ cell.source | llr_markdown(resources) }}
{%- endblock markdowncell -%}

{%- block rawcell -%}
{{ '\n' }}{{ cell | llr_rawcell(resources) }}
{%- endblock rawcell -%}

{%- block unknowncell -%}{%- endblock unknowncell -%}

{%- block execute_result -%}
{%- block data_priority scoped -%}
{{ super() }}
{%- endblock data_priority -%}
{%- endblock execute_result -%}

{%- block stream_stdout %}
<div class="cell-output cell-output-stdout"><pre><code>{{ output.text | strip_ansi | e }}</code></pre></div>
{%- endblock stream_stdout -%}
{%- block stream_stderr -%}{%- endblock stream_stderr -%}
{%- block stream_stdin -%}{%- endblock stream_stdin -%}

{%- block error %}
<div class="cell-output cell-output-error"><pre><code>{{ output.traceback | join('\n') | strip_ansi | e }}</code></pre></div>
{%- endblock error -%}

{%- block data_html %}
{{ output.data['text/html'] | llr_html_output }}
{%- endblock data_html -%}

{%- block data_svg %}
<div class="cell-output cell-output-display"><img src="data:image/svg+xml;base64,{{ output.data['image/svg+xml'] | text_base64 }}" alt="{{ cell | llr_alt }}"></div>
{%- endblock data_svg -%}

{%- block data_png %}
<div class="cell-output cell-output-display"><img src="data:image/png;base64,{{ output.data['image/png'] | replace('\n', '') | e }}" alt="{{ cell | llr_alt }}"></div>
{%- endblock data_png -%}

{%- block data_jpg %}
<div class="cell-output cell-output-display"><img src="data:image/jpeg;base64,{{ output.data['image/jpeg'] | replace('\n', '') | e }}" alt="{{ cell | llr_alt }}"></div>
{%- endblock data_jpg -%}

{%- block data_markdown %}
<div class="cell-output cell-output-display">
{{ output.data['text/markdown'] | llr_markdown(resources) }}</div>
{%- endblock data_markdown -%}

{%- block data_text %}
<div class="cell-output cell-output-display"><pre><code>{{ output.data['text/plain'] | strip_ansi | e }}</code></pre></div>
{%- endblock data_text -%}

{%- block data_latex -%}{%- endblock data_latex -%}
{%- block data_javascript -%}{%- endblock data_javascript -%}
{%- block data_widget_view -%}{%- endblock data_widget_view -%}
{%- block data_other -%}{%- endblock data_other -%}
"""

_CELL_OPTION_RE = re.compile(r"^#\|\s?(.*)$")


def _source(cell: Any) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def _cell_options(source: str) -> dict:
    """Quarto ``#| key: value`` cell options at the top of a code cell."""
    lines: list[str] = []
    for line in source.splitlines():
        m = _CELL_OPTION_RE.match(line)
        if not m:
            break
        lines.append(m.group(1))
    if not lines:
        return {}
    try:
        opts = yaml.safe_load("\n".join(lines))
    except yaml.YAMLError:
        return {}
    return opts if isinstance(opts, dict) else {}


def _select_output(output: Any) -> Any | None:
    """Keep what the page shows: stdout, errors and the preferred mimetype of rich outputs."""
    kind = output.get("output_type")
    if kind == "stream":
        return output if output.get("name") == "stdout" else None
    if kind == "error":
        return output
    if kind in ("display_data", "execute_result"):
        data = output.get("data", {})
        for mime in DISPLAY_PRIORITY:
            if mime in data:
                out = copy.deepcopy(output)
                value = data[mime]
                out["data"] = {mime: "".join(value) if isinstance(value, list) else value}
                return out
    return None


def _prepare_notebook(nb: Any, source: str) -> tuple[dict, Any]:
    """Split off the front matter and drop everything Quarto would not show with echo: false."""
    nb = copy.deepcopy(nb)
    cells = list(nb.cells)
    meta: dict = {}
    if cells and cells[0].cell_type == "raw" and _source(cells[0]).lstrip().startswith("---"):
        meta, _ = _split_front_matter(_source(cells[0]), source)
        cells = cells[1:]
    kept = []
    for cell in cells:
        tags = set(cell.get("metadata", {}).get("tags", []) or [])
        if "remove-cell" in tags:
            continue
        if cell.cell_type == "code":
            opts = _cell_options(_source(cell))
            if opts.get("include") is False:
                continue
            outputs: list = []
            if "remove-output" not in tags and opts.get("output") is not False:
                for output in cell.get("outputs", []):
                    selected = _select_output(output)
                    if selected is None:
                        continue
                    if (
                        outputs
                        and selected.get("output_type") == "stream"
                        and outputs[-1].get("output_type") == "stream"
                    ):
                        outputs[-1]["text"] = _source({"source": outputs[-1]["text"]}) + _source(
                            {"source": selected["text"]}
                        )
                        continue
                    outputs.append(copy.deepcopy(selected))
            for out in outputs:
                if out.get("output_type") == "stream":
                    out["text"] = _source({"source": out["text"]})
            cell.outputs = outputs
            cell.metadata["llr_options"] = opts
        elif cell.cell_type == "markdown":
            source_text = _source(cell)
            for name, bundle in (cell.get("attachments") or {}).items():
                for mime, data in bundle.items():
                    if mime.startswith("image/"):
                        uri = f"data:{mime};base64,{''.join(data) if isinstance(data, list) else data}"
                        source_text = source_text.replace(f"attachment:{name}", uri)
                        break
            cell.source = source_text
        kept.append(cell)
    nb.cells = kept
    return meta, nb


def _split_front_matter(text: str, source: str) -> tuple[dict, str]:
    """YAML front matter between ``---`` lines at the start of ``text`` -> (meta, rest)."""
    lines = text.lstrip("\ufeff").splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return {}, text
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            block = "".join(lines[1:i])
            try:
                meta = yaml.safe_load(block) if block.strip() else {}
            except yaml.YAMLError as exc:
                raise RenderError(source, f"invalid YAML front matter: {exc}") from None
            if meta is None:
                meta = {}
            if not isinstance(meta, dict):
                raise RenderError(source, "front matter must be a YAML mapping")
            return meta, "".join(lines[i + 1 :])
    raise RenderError(source, "front matter starts with '---' but has no closing '---' line")


def _body_exporter_class() -> type:
    """HTMLExporter whose result is the template output as is.

    ``HTMLExporter.from_notebook_node`` re-serialises the page through BeautifulSoup (adding
    alt text and tabindex to JupyterLab classes); that would rewrite the raw text/html outputs
    that carry the charts, so this subclass renders the template directly.
    """
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters import DataTypeFilter

    class BodyExporter(HTMLExporter):
        def from_notebook_node(self, nb: Any, resources: dict | None = None, **kw: Any) -> tuple[str, dict]:
            resources = self._init_resources(resources)
            self.register_filter("filter_data_type", DataTypeFilter(parent=self))
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    return BodyExporter


class _TableCaptionFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.in_caption = False
        self.caption: list[str] = []
        self.done = False

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag == "caption" and not self.done:
            self.in_caption = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption" and self.in_caption:
            self.in_caption = False
            self.done = True

    def handle_data(self, data: str) -> None:
        if self.in_caption:
            self.caption.append(data)


# An output that brings its own scroll container (e.g. llr_analysis.page's <div class="table-wrap">).
_OWN_SCROLL_RE = re.compile(r"""class\s*=\s*["'][^"']*\btable-wrap\b|\brole\s*=\s*["']region["']""", re.IGNORECASE)
_ID_ATTR_RE = re.compile(r"""<[a-zA-Z][^<>]*?\sid\s*=\s*(?:"([^"]+)"|'([^']+)')""")


def _html_ids(fragments: Iterable[str]) -> set[str]:
    """ids already used by raw HTML (outputs, raw cells), so heading ids do not collide with them."""
    ids: set[str] = set()
    for fragment in fragments:
        for m in _ID_ATTR_RE.finditer(fragment):
            ids.add(m.group(1) or m.group(2))
    return ids


def _html_output(value: str) -> str:
    """A text/html output, raw.  A bare table gets a keyboard-focusable horizontal scroll region."""
    value = value.strip("\n")
    if (
        re.search(r"<table\b", value, re.IGNORECASE)
        and not re.search(r"<script\b", value, re.IGNORECASE)
        and not _OWN_SCROLL_RE.search(value)
    ):
        finder = _TableCaptionFinder()
        finder.feed(value)
        label = " ".join("".join(finder.caption).split()) or "Table"
        return (
            f'<div class="cell-output cell-output-display table-wrap" role="region" tabindex="0" '
            f'aria-label="{html.escape(label)}">\n{value}\n</div>'
        )
    return f'<div class="cell-output cell-output-display">\n{value}\n</div>'


def _cell_id(cell: Any) -> str:
    label = cell.get("metadata", {}).get("llr_options", {}).get("label")
    return f' id="{html.escape(str(label))}"' if label else ""


def _cell_alt(cell: Any) -> str:
    opts = cell.get("metadata", {}).get("llr_options", {})
    return html.escape(str(opts.get("fig-alt") or opts.get("fig-cap") or ""))


_HEADING_RE = re.compile(r"<h([2-6])\b[^>]*?\sid=\"([^\"]+)\"[^>]*>(.*?)</h\1>", re.DOTALL | re.IGNORECASE)


def _toc(body: str, depth: int) -> str:
    """A nested list of links to the page's h2..h<depth> headings (those with an id)."""
    entries = [
        (int(level), ident, _plain_text(inner))
        for level, ident, inner in _HEADING_RE.findall(body)
        if int(level) <= depth
    ]
    if not entries:
        return ""
    out: list[str] = []
    stack: list[int] = []
    for level, ident, text in entries:
        if not stack or level > stack[-1]:
            out.append("<ul>")
            stack.append(level)
        else:
            out.append("</li>")
            while len(stack) > 1 and level < stack[-1]:
                out.append("</ul></li>")
                stack.pop()
        out.append(f'<li><a href="#{html.escape(ident)}">{html.escape(text)}</a>')
    out.append("</li>")
    while stack:
        stack.pop()
        out.append("</ul>" + ("</li>" if stack else ""))
    return "\n".join(out)


# --------------------------------------------------------------------------------------------
# nbconvert engine
# --------------------------------------------------------------------------------------------


@dataclass
class _Page:
    source: str            # posix path relative to the project, e.g. "deprivation/leicester.ipynb"
    output: str            # e.g. "deprivation/leicester.html"
    kind: str              # "notebook" | "markdown"
    meta: dict
    content: Any           # prepared NotebookNode, or Markdown body text
    title: str = ""        # plain-text title (for <title>, nav text fallbacks)
    line_offset: int = 0   # lines of front matter before the Markdown body (for error messages)


@dataclass
class _NavItem:
    kind: str                       # link | menu | header | separator | text
    text: str = ""
    target: str | None = None       # output path (project-relative) for internal links
    href: str | None = None         # external href, passed through
    suffix: str = ""                # ?query#fragment
    aria_label: str | None = None
    children: list[_NavItem] = field(default_factory=list)


class _NbconvertSite:
    def __init__(self, project_dir: Path, output_dir: Path, config_path: Path):
        self.project = project_dir
        self.output = output_dir
        self.config_path = config_path
        self.config = _load_config(config_path)
        self.markdown = _Markdown()
        self.extra_files: set[str] = set()  # project files to copy (resources, css, referenced files)
        self.variables = self._load_variables()

    # -- orchestration -----------------------------------------------------------------------
    def render(self) -> RenderResult:
        files = self._project_files()
        self.files = set(files)
        page_sources = self._discover(files)
        self.pages: dict[str, _Page] = {}
        by_output: dict[str, str] = {}
        for src in page_sources:
            page = self._load_page(src)
            if page.output in by_output:
                raise RenderError(
                    self.project / src,
                    f"renders to {page.output}, which {by_output[page.output]} also renders to",
                )
            by_output[page.output] = src
            self.pages[src] = page
        self.by_output = by_output
        if not self.pages:
            raise RenderError(self.config_path, "no pages to render (no .ipynb/.qmd files matched)")

        for rel in _resolve_globs([str(g) for g in _as_list(_dig(self.config, "project", "resources"))],
                                  files, self.project):
            if rel not in self.pages:
                self.extra_files.add(rel)

        self.css = self._stylesheets()
        self.favicon = self._config_file(_dig(self.config, "website", "favicon"), "website.favicon")
        self.logo = self._config_file(_dig(self.config, "website", "navbar", "logo"), "website.navbar.logo")
        self.includes = {
            key: self._includes(key)
            for key in ("include-in-header", "include-before-body", "include-after-body")
        }
        self.nav_left = self._nav_items(_dig(self.config, "website", "navbar", "left"), "website.navbar.left")
        self.nav_right = self._nav_items(_dig(self.config, "website", "navbar", "right"), "website.navbar.right")
        self.footer = self._footer_items()
        self.template = self._page_template()
        self.exporter = self._exporter()

        written: list[Path] = []
        for src in sorted(self.pages):
            page = self.pages[src]
            document = self._render_page(page)
            self._collect_references(page, document)
            _write_if_changed(self.output / page.output, document.encode("utf-8"))
            written.append(Path(page.output))

        self._copy_files()
        return RenderResult(engine="nbconvert", pages=sorted(written), ignored=self._ignored_keys())

    # -- discovery ---------------------------------------------------------------------------
    def _project_files(self) -> list[str]:
        """All files in the project (posix, relative, sorted), skipping hidden paths,
        virtualenvs, node_modules and the output directory."""
        out: list[str] = []
        for root, dirs, names in os.walk(self.project):
            root_path = Path(root)
            keep = []
            for d in sorted(dirs):
                full = root_path / d
                if d.startswith(".") or d == "node_modules" or (full / "pyvenv.cfg").exists():
                    continue
                if full.resolve() == self.output:
                    continue
                keep.append(d)
            dirs[:] = keep
            for name in sorted(names):
                if name.startswith("."):
                    continue
                out.append((root_path / name).relative_to(self.project).as_posix())
        return sorted(out)

    def _discover(self, files: list[str]) -> list[str]:
        render = _as_list(_dig(self.config, "project", "render"))
        if not render:
            return [
                f for f in files
                if f.endswith(PAGE_EXTS) and not any(p.startswith(("_", ".")) for p in f.split("/"))
            ]
        matched = _resolve_globs([str(g) for g in render], files, self.project)
        pages = []
        for f in matched:
            literal = f in [str(g).lstrip("/") for g in render]
            if any(p.startswith("_") for p in f.split("/")) and not literal:
                continue
            if f.endswith(EXPLICIT_PAGE_EXTS):
                pages.append(f)
            elif literal:
                raise RenderError(
                    self.config_path,
                    f"project.render lists {f!r}; the nbconvert renderer only renders "
                    f"{', '.join(EXPLICIT_PAGE_EXTS)} files",
                )
        for g in render:
            g = str(g)
            if not g.startswith("!") and not re.search(r"[*?\[{]", g) and g.lstrip("/") not in self.files:
                raise RenderError(self.config_path, f"project.render lists {g!r}, which does not exist")
        return pages

    def _load_page(self, src: str) -> _Page:
        path = self.project / src
        output = posixpath.splitext(src)[0] + ".html"
        if src.endswith(".ipynb"):
            import nbformat

            try:
                nb = nbformat.read(str(path), as_version=4)
            except Exception as exc:  # noqa: BLE001 - nbformat raises JSON, validation and OS errors
                raise RenderError(path, f"notebook cannot be read: {type(exc).__name__}: {exc}") from None
            meta, prepared = _prepare_notebook(nb, str(path))
            page = _Page(src, output, "notebook", meta, prepared)
        else:
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise RenderError(path, f"cannot be read: {exc}") from None
            meta, body = _split_front_matter(text, str(path))
            page = _Page(src, output, "markdown", meta, body)
            page.line_offset = text.count("\n") - body.count("\n")
        page.title = self._plain_title(page)
        return page

    def _plain_title(self, page: _Page) -> str:
        title = page.meta.get("title")
        if title:
            return _plain_text(self.markdown.render_inline(str(title), {"page": page.output}))
        if page.kind == "notebook":
            nb_title = page.content.metadata.get("title")
            if nb_title:
                return str(nb_title)
        else:
            tokens = self.markdown.md.parse(page.content, {"page": page.output})
            for i, tok in enumerate(tokens[:-1]):
                if tok.type == "heading_open" and tok.tag == "h1":
                    return _inline_text(tokens[i + 1]).strip() or "Untitled"
        stem = posixpath.splitext(posixpath.basename(page.source))[0]
        return stem.replace("-", " ").replace("_", " ").capitalize()

    # -- config-derived pieces ---------------------------------------------------------------
    def _load_variables(self) -> dict:
        path = self.project / "_variables.yml"
        return _load_config(path) if path.is_file() else {}

    def _config_file(self, value: Any, key: str) -> str | None:
        if not value or not isinstance(value, str):
            return None
        if _is_external(value):
            return value
        rel = posixpath.normpath(value.lstrip("/"))
        if not (self.project / rel).is_file():
            raise RenderError(self.config_path, f"{key} {value!r} does not exist in the project")
        self.extra_files.add(rel)
        return rel

    def _stylesheets(self) -> list[str]:
        """Output-relative stylesheet paths: the site's own css first, then format.html.css."""
        css = [SITE_CSS]
        for entry in _as_list(_dig(self.config, "format", "html", "css")):
            if not isinstance(entry, str):
                continue
            if _is_external(entry):
                raise RenderError(self.config_path, f"format.html.css {entry!r}: external stylesheets are not allowed")
            rel = posixpath.normpath(entry.lstrip("/"))
            if rel not in css:
                css.append(rel)
        for rel in css:
            if (self.project / rel).is_file():
                self.extra_files.add(rel)
            elif rel != SITE_CSS:
                raise RenderError(self.config_path, f"format.html.css {rel!r} does not exist in the project")
        return css

    def _includes(self, key: str) -> str:
        parts: list[str] = []
        for entry in _as_list(_dig(self.config, "format", "html", key)):
            if isinstance(entry, dict) and "text" in entry:
                parts.append(str(entry["text"]))
                continue
            name = entry.get("file") if isinstance(entry, dict) else entry
            if not isinstance(name, str):
                continue
            path = self.project / name
            if not path.is_file():
                raise RenderError(self.config_path, f"format.html.{key} {name!r} does not exist in the project")
            parts.append(path.read_text(encoding="utf-8"))
        return "\n".join(p.rstrip("\n") for p in parts)

    def _resolve_target(self, href: str, where: str, file: Path | str) -> tuple[str | None, str | None, str]:
        """Resolve a project-relative href -> (internal output path | None, external href | None, suffix).

        Raises RenderError naming ``file`` when an internal href does not point at a page or file.
        """
        href = str(href).strip()
        if href.startswith("#"):
            return None, href, ""
        if _is_external(href):
            return None, href, ""
        path, suffix = _split_url(href)
        rel = posixpath.normpath(path.lstrip("/")) if path.strip("/") else ""
        if rel in (".", ""):
            rel = ""
        if rel.startswith(".."):
            raise RenderError(file, f"{where}: href {href!r} points outside the project")
        if path.endswith("/") or rel == "" or (self.project / rel).is_dir():
            rel = posixpath.join(rel, "index.html") if rel else "index.html"
        ext = posixpath.splitext(rel)[1]
        ext = ext.lower()
        problem = f"{where}: href {href!r} points to a page that does not exist in the project"
        if ext in EXPLICIT_PAGE_EXTS or ext == ".rmd":
            if rel in self.pages:
                return self.pages[rel].output, None, suffix
            if rel in self.files:
                raise RenderError(file, f"{where}: href {href!r} points to a page excluded by project.render")
            raise RenderError(file, problem)
        if ext in (".html", ".htm"):
            if rel in self.by_output:
                return rel, None, suffix
            if rel in self.files:
                self.extra_files.add(rel)
                return rel, None, suffix
            raise RenderError(file, problem)
        if ext == "":
            for cand_ext in PAGE_EXTS + (".md",):
                if rel + cand_ext in self.pages:
                    return self.pages[rel + cand_ext].output, None, suffix
            raise RenderError(file, problem)
        if rel in self.files:
            self.extra_files.add(rel)
            return rel, None, suffix
        raise RenderError(file, f"{where}: href {href!r} points to a file that does not exist in the project")

    def _nav_items(self, items: Any, where: str) -> list[_NavItem]:
        out: list[_NavItem] = []
        for i, item in enumerate(_as_list(items)):
            loc = f"{where}[{i}]"
            if isinstance(item, str):
                item = {"href": item}
            if not isinstance(item, dict):
                raise RenderError(self.config_path, f"{loc}: expected a mapping with text/href/menu, got {item!r}")
            text = item.get("text")
            text = str(text) if text is not None else None
            if text is not None:
                loc += f" {text!r}"
            if "menu" in item:
                children = self._nav_items(item.get("menu"), f"{loc} > menu")
                out.append(_NavItem("menu", text=text or "Menu", children=children,
                                    aria_label=item.get("aria-label")))
                continue
            href = item.get("href") or item.get("file")
            if href is None:
                if text is not None and text.strip().startswith("---"):
                    out.append(_NavItem("separator"))
                elif text is not None:
                    out.append(_NavItem("header" if "menu" in where else "text", text=text))
                elif item.get("sidebar") is None:
                    raise RenderError(self.config_path, f"{loc}: item has neither text, href nor menu")
                continue
            target, external, suffix = self._resolve_target(href, loc, self.config_path)
            if text is None:
                if target is not None and target in self.by_output:
                    text = self.pages[self.by_output[target]].title
                else:
                    text = str(item.get("aria-label") or item.get("icon") or href)
            out.append(_NavItem("link", text=text, target=target, href=external, suffix=suffix,
                                aria_label=item.get("aria-label")))
        return out

    def _footer_items(self) -> dict[str, Any]:
        footer = _dig(self.config, "website", "page-footer")
        if footer is None:
            return {}
        if isinstance(footer, (str, int, float)):
            footer = {"center": str(footer)}
        if not isinstance(footer, dict):
            raise RenderError(self.config_path, "website.page-footer must be a string or a mapping")
        out: dict[str, Any] = {}
        for pos in ("left", "center", "right"):
            value = footer.get(pos)
            if value is None:
                continue
            if isinstance(value, list):
                out[pos] = self._nav_items(value, f"website.page-footer.{pos}")
            else:
                out[pos] = str(value)
        return out

    # -- per page ----------------------------------------------------------------------------
    def _raw_html_fragments(self, page: _Page) -> list[str]:
        if page.kind != "notebook":
            return [page.content]
        fragments: list[str] = []
        for cell in page.content.cells:
            if cell.cell_type != "code":
                fragments.append(_source(cell))
                continue
            for output in cell.get("outputs", []):
                value = output.get("data", {}).get("text/html")
                if value:
                    fragments.append(value)
        return fragments

    def _env(self, page: _Page) -> dict:
        return {
            "page": page.output,
            "source": str(self.project / page.source),
            "meta": page.meta,
            "site_config": self.config,
            "variables": self.variables,
            "ids": set(),
            "line_offset": page.line_offset,
        }

    def _exporter(self) -> Any:
        from jinja2 import DictLoader
        from traitlets.config import Config

        config = Config()
        config.HTMLExporter.exclude_input = True
        config.HTMLExporter.exclude_input_prompt = True
        config.HTMLExporter.exclude_output_prompt = True
        config.HTMLExporter.sanitize_html = False
        config.HTMLExporter.embed_images = False
        config.NbConvertBase.display_data_priority = list(DISPLAY_PRIORITY)
        exporter = _body_exporter_class()(
            config=config,
            extra_loaders=[DictLoader({_NB_TEMPLATE_NAME: _NB_TEMPLATE})],
            template_file=_NB_TEMPLATE_NAME,
        )
        markdown = self.markdown
        exporter.register_filter(
            "llr_markdown", lambda text, resources: markdown.render(str(text), resources["llr_env"])
        )
        exporter.register_filter("llr_rawcell", self._raw_cell)
        exporter.register_filter("llr_html_output", _html_output)
        exporter.register_filter("llr_cell_id", _cell_id)
        exporter.register_filter("llr_alt", _cell_alt)
        return exporter

    def _raw_cell(self, cell: Any, resources: dict) -> str:
        fmt = str(cell.get("metadata", {}).get("raw_mimetype")
                  or cell.get("metadata", {}).get("format") or "").lower()
        if fmt in ("text/html", "html"):
            return _source(cell)
        if fmt in ("text/markdown", "markdown"):
            return self.markdown.render(_source(cell), resources["llr_env"])
        return ""

    def _page_body(self, page: _Page, env: dict) -> str:
        if page.kind == "notebook":
            body, _ = self.exporter.from_notebook_node(page.content, resources={"llr_env": env})
        else:
            body = self.markdown.render(page.content, env)
        return body.strip("\n")

    def _render_page(self, page: _Page) -> str:
        from markupsafe import Markup

        env = self._env(page)
        env["ids"] = _html_ids(self._raw_html_fragments(page))
        body = self._page_body(page, env)
        here = page.output

        def link(target: str | None, external: str | None, suffix: str = "") -> str:
            return external if external is not None else _rel_link(target or "index.html", here) + suffix

        def nav_dict(item: _NavItem) -> dict:
            current = item.kind == "link" and item.target == here
            children = [nav_dict(c) for c in item.children]
            return {
                "kind": item.kind,
                "text": item.text,
                "href": link(item.target, item.href, item.suffix) if item.kind == "link" else None,
                "current": current or any(c["current"] for c in children),
                "aria_label": item.aria_label,
                "children": children,
            }

        meta = page.meta
        md_env = self._env(page)  # fresh: footnotes/ids of the body must not leak into titles
        title_src = meta.get("title")
        show_title = True
        if title_src:
            title_html = self.markdown.render_inline(str(title_src), md_env)
            plain_title = page.title
        else:
            h1 = re.search(r"<h1\b[^>]*>(.*?)</h1>", body, re.DOTALL | re.IGNORECASE)
            if h1:  # the content brings its own <h1>: do not add a second one
                show_title = False
                plain_title = _plain_text(h1.group(1))
                title_html = ""
            else:
                plain_title = page.title
                title_html = html.escape(plain_title)
        subtitle = meta.get("subtitle")
        subtitle_html = self.markdown.render_inline(str(subtitle), md_env) if subtitle else ""

        site_title = _dig(self.config, "website", "title")
        site_title = str(site_title) if site_title else ""
        head_title = str(meta.get("pagetitle") or plain_title)
        if site_title and head_title != site_title:
            head_title = f"{head_title} \u2013 {site_title}"
        elif not head_title:
            head_title = site_title

        breadcrumbs = []
        crumbs = meta.get("breadcrumbs")
        if crumbs is not None and not isinstance(crumbs, list):
            raise RenderError(self.project / page.source, "front matter 'breadcrumbs' must be a list of {text, href}")
        for i, crumb in enumerate(crumbs or []):
            if not isinstance(crumb, dict) or "text" not in crumb:
                raise RenderError(self.project / page.source, f"breadcrumbs[{i}] must be a mapping with 'text' (and 'href')")
            href = None
            if crumb.get("href"):
                target, external, suffix = self._resolve_target(
                    crumb["href"], f"breadcrumbs[{i}] {crumb['text']!r}", self.project / page.source
                )
                href = link(target, external, suffix)
            current = i == len(crumbs) - 1
            breadcrumbs.append({"text": str(crumb["text"]), "href": href, "current": current})

        footer: dict[str, Any] = {}
        for pos, value in self.footer.items():
            if isinstance(value, list):
                footer[pos] = {"items": [nav_dict(v) for v in value]}
            else:
                footer[pos] = {"html": Markup(self.markdown.render_inline(value, md_env))}

        toc_html = ""
        html_format = _dig(self.config, "format", "html")
        html_format = html_format if isinstance(html_format, dict) else {}
        if meta.get("toc", html_format.get("toc", False)) is True:
            depth = meta.get("toc-depth", html_format.get("toc-depth", 3))
            depth = depth if isinstance(depth, int) else 3
            toc_html = _toc(body, depth)
        toc_title = str(meta.get("toc-title", html_format.get("toc-title", "On this page")))

        navbar_title = _dig(self.config, "website", "navbar", "title")
        brand = "" if navbar_title is False else str(navbar_title or site_title)
        home = "index.html" if "index.html" in self.by_output else None
        lang = (meta.get("lang") or _dig(self.config, "format", "html", "lang")
                or self.config.get("lang") or "en")
        description = meta.get("description") or _dig(self.config, "website", "description")
        data_attrs = [(f"data-{k}", str(meta[k])) for k in ("topic", "place")
                      if isinstance(meta.get(k), (str, int, float))]

        context = {
            "lang": str(lang),
            "head_title": head_title,
            "description": _plain_text(str(description)) if description else "",
            "stylesheets": [_rel_link(css, here) if not _is_external(css) else css for css in self.css],
            "favicon": (_rel_link(self.favicon, here) if self.favicon and not _is_external(self.favicon)
                        else self.favicon),
            "include_in_header": Markup(self.includes["include-in-header"]),
            "include_before_body": Markup(self.includes["include-before-body"]),
            "include_after_body": Markup(self.includes["include-after-body"]),
            "body_attrs": data_attrs,
            "site_title": site_title,
            "brand": brand,
            "home_href": _rel_link(home, here) if home else None,
            "logo": (_rel_link(self.logo, here) if self.logo and not _is_external(self.logo) else self.logo),
            "logo_alt": str(_dig(self.config, "website", "navbar", "logo-alt") or ""),
            "nav_left": [nav_dict(i) for i in self.nav_left],
            "nav_right": [nav_dict(i) for i in self.nav_right],
            "breadcrumbs": breadcrumbs,
            "show_title": show_title,
            "title_html": Markup(title_html),
            "subtitle_html": Markup(subtitle_html),
            "body": Markup(body),
            "toc": Markup(toc_html),
            "toc_title": toc_title,
            "toc_id": "toc-title" if "toc-title" not in env["ids"] else "toc-title-page",
            "footer": footer,
            "page_kind": page.kind,
        }
        document = self.template.render(**context)
        return document.rstrip("\n") + "\n"

    def _page_template(self) -> Any:
        from jinja2 import Environment, StrictUndefined

        env = Environment(autoescape=True, keep_trailing_newline=True, undefined=StrictUndefined,
                          trim_blocks=True, lstrip_blocks=True)
        return env.from_string(_packaged_template())

    def _collect_references(self, page: _Page, document: str) -> None:
        """Like Quarto's resource discovery: local files a page links to are copied with it."""
        for _tag, _attr, value in local_references(document):
            if not value or value.startswith(("#", "data:")) or _is_external(value):
                continue
            path, _ = _split_url(value)
            if not path:
                continue
            if path.startswith("/"):
                rel = posixpath.normpath(path.lstrip("/"))
            else:
                rel = posixpath.normpath(posixpath.join(posixpath.dirname(page.output), path))
            if rel.startswith("..") or rel in self.pages or rel not in self.files:
                continue
            self.extra_files.add(rel)

    def _copy_files(self) -> None:
        for rel in sorted(self.extra_files):
            src = self.project / rel
            if src.is_file():
                _copy_if_changed(src, self.output / rel)
        if SITE_CSS not in self.extra_files:
            _write_if_changed(self.output / SITE_CSS, _packaged_css())

    def _ignored_keys(self) -> list[str]:
        ignored: list[str] = []
        for prefix, known in _KNOWN_KEYS.items():
            section = self.config if not prefix else _dig(self.config, *prefix.split("."))
            if not isinstance(section, dict):
                continue
            for key in section:
                unsupported_value = prefix == "execute" and section[key] is not False
                if key not in known or unsupported_value:
                    ignored.append(f"{prefix}.{key}" if prefix else str(key))
        return sorted(ignored)
