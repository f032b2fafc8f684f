"""``llr check``: the built site must work offline and hold together.

Fails when any page references an http(s) (or protocol-relative) script, stylesheet, font,
image or frame, when a CSS file imports or loads a remote URL, or when a link or resource
inside the site does not resolve to a file, or when a page is heavier than
:data:`MAX_PAGE_BYTES` (its own HTML, with the chart data it carries; the shared libraries in
``site_libs/`` and ``assets/`` are loaded once and cached). Links to other sites
(<a href="https://...">) are allowed: they are navigation, not page resources.

It also fails on script that is not the site's own: an inline ``<script>`` other than JSON data
blocks, Quarto's own ``quarto-html-after-body`` script and the site's ``llr-a11y`` script, an event-handler attribute other than
Quarto's navbar toggle, or a ``javascript:`` link (text from data or configuration is escaped
before it reaches a page, so none of these can come from it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

REMOTE = re.compile(r"^(https?:)?//", re.IGNORECASE)
#: Inline scripts the site may carry: Quarto 1.7's own (by id); JSON blocks are data, never run.
OWN_INLINE_SCRIPT_IDS = {"quarto-html-after-body", "llr-a11y"}  # llr-a11y: assets/a11y.html
DATA_SCRIPT_TYPES = {"application/json"}
QUARTO_HANDLER = re.compile(r"^if \(window\.quartoToggleHeadroom\)")

#: The heaviest a page may be (its HTML file), so it opens quickly on a phone.
MAX_PAGE_BYTES = 500_000
CSS_URL = re.compile(r"""(?:@import\s+(?:url\()?|url\()\s*['"]?([^'")\s]+)""", re.IGNORECASE)


@dataclass
class Problem:
    page: str
    kind: str
    detail: str

    def __str__(self) -> str:
        return f"{self.page}: {self.kind}: {self.detail}"


class _Refs(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.resources: list[tuple[str, str]] = []  # (tag, url) that the browser loads
        self.links: list[str] = []  # <a href>
        self.ids: set[str] = set()
        self.inline_styles: list[str] = []
        self.foreign_scripts: list[str] = []  # script that is not the site's own
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and not a.get("src"):
            kind = (a.get("type") or "").lower()
            if kind not in DATA_SCRIPT_TYPES and a.get("id") not in OWN_INLINE_SCRIPT_IDS:
                self.foreign_scripts.append(f"inline <script{' id=' + a['id'] if a.get('id') else ''}>")
        for name, value in attrs:
            if name.startswith("on") and not QUARTO_HANDLER.match(value or ""):
                self.foreign_scripts.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.foreign_scripts.append(f"<{tag} {name}={value!r}>")
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "script" and a.get("src"):
            self.resources.append((tag, a["src"]))
        elif tag == "link" and a.get("href"):
            rel = (a.get("rel") or "").lower()
            if any(r in rel for r in ("stylesheet", "preload", "icon", "modulepreload", "font")):
                self.resources.append((tag, a["href"]))
        elif tag in ("img", "iframe", "audio", "video", "source", "embed") and a.get("src"):
            self.resources.append((tag, a["src"]))
        elif tag == "object" and a.get("data"):
            self.resources.append((tag, a["data"]))
        elif tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if a.get("style"):
            self.inline_styles.append(a["style"])
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.inline_styles.append(data)


def _local_target(page: Path, url: str, site: Path) -> Path | None:
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
        return None
    if not parts.path:
        return None
    target = (page.parent / unquote(parts.path)).resolve()
    if parts.path.endswith("/"):
        target = target / "index.html"
    return target


def check_site(site: Path) -> list[Problem]:
    """All problems found in the site folder (empty list = pass)."""
    site = site.resolve()
    problems: list[Problem] = []
    pages = sorted(site.rglob("*.html"))
    if not pages:
        return [Problem(str(site), "empty site", "no HTML pages")]
    if not (site / "index.html").exists():
        problems.append(Problem("index.html", "missing page", "the site has no index.html"))
    for page in pages:
        rel = str(page.relative_to(site))
        size = page.stat().st_size
        if size > MAX_PAGE_BYTES and "site_libs" not in page.relative_to(site).parts:
            problems.append(
                Problem(
                    rel,
                    "page too large",
                    f"{size:,} bytes (at most {MAX_PAGE_BYTES:,}): simplify its maps or share data",
                )
            )
        parser = _Refs()
        parser.feed(page.read_text(encoding="utf-8", errors="replace"))
        for tag, url in parser.resources:
            if REMOTE.match(url.strip()):
                problems.append(Problem(rel, "external resource", f"<{tag}> loads {url}"))
                continue
            target = _local_target(page, url, site)
            if target is not None and not target.exists():
                problems.append(Problem(rel, "missing resource", f"<{tag}> {url}"))
        for what in parser.foreign_scripts:
            problems.append(Problem(rel, "script not the site's own", what))
        for css in parser.inline_styles:
            for url in CSS_URL.findall(css):
                if REMOTE.match(url):
                    problems.append(Problem(rel, "external resource", f"inline style loads {url}"))
        for url in parser.links:
            target = _local_target(page, url, site)
            if target is not None and not target.exists():
                problems.append(Problem(rel, "broken link", url))
    for sheet in sorted(site.rglob("*.css")):
        for url in CSS_URL.findall(sheet.read_text(encoding="utf-8", errors="replace")):
            if REMOTE.match(url):
                problems.append(Problem(str(sheet.relative_to(site)), "external resource", f"CSS loads {url}"))
    return problems
