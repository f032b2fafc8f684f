"""Page HTML from Jinja2 templates (``report/templates/``), always autoescaped.

Report modules never build HTML by concatenation: they hand plain values (text, numbers, links) to a
template, and every value is escaped unless a template marks it ``|safe`` for HTML that another
template already rendered.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2
from markupsafe import Markup

TEMPLATES = Path(__file__).with_name("templates")


@cache
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,  # every template, whatever its name
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
    )


def render(template: str, /, **context) -> str:
    """The template ``template`` rendered with ``context`` (escaped), with blank lines removed so that the
    HTML stays one block when it is written into Markdown."""
    text = environment().get_template(template).render(**context)
    return "\n".join(line for line in text.splitlines() if line.strip())


def safe(text: str) -> Markup:
    """HTML that a template already rendered (for nesting one template's output in another)."""
    return Markup(text)
