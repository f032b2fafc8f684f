"""A stand-in for :class:`llr_analysis.report.page.Page` that records what a report section writes."""

from __future__ import annotations

from contextlib import contextmanager


class RecordingPage:
    """Stands in for :class:`llr_analysis.report.page.Page`: keeps what a section writes, in order."""

    def __init__(self):
        self.outputs: list[tuple[str, str, dict]] = []

    def chart(self, chart, name, title, description, data=None):
        self.outputs.append(("chart", name, {"title": title, "description": description, "data": data}))

    def table(self, frame, name, caption="", download=None, **kw):
        self.outputs.append(("table", name, {"frame": frame, "caption": caption, "download": download}))

    def markdown(self, text):
        self.outputs.append(("markdown", "", {"text": text}))

    def note(self, text, kind="note", title=None, collapse=False):
        self.outputs.append(("note", "", {"text": text, "kind": kind, "title": title, "collapse": collapse}))

    def html(self, text):
        self.outputs.append(("html", "", {"text": text}))

    @contextmanager
    def tabset(self):
        yield self

    @contextmanager
    def tab(self, title):
        self.outputs.append(("tab", title, {"title": title}))
        yield

    def tabs(self) -> list[str]:
        return [n for k, n, _ in self.outputs if k == "tab"]

    def named(self, name):
        return next(o for kind, n, o in self.outputs if n == name)

    def texts(self, kind):
        return [o["text"] for k, _, o in self.outputs if k == kind]
