"""``llr check``: the site must work offline, hold together and stay light."""

from __future__ import annotations

from llr_analysis.website.check import MAX_PAGE_BYTES, check_site


def _site(tmp_path, pages: dict[str, str]):
    for rel, text in pages.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    return tmp_path


def test_a_self_contained_site_passes(tmp_path):
    site = _site(
        tmp_path,
        {
            "index.html": '<script src="a.js"></script><a href="b/c.html">c</a>',
            "a.js": "",
            "b/c.html": '<a href="../index.html#top">home</a>',
        },
    )
    assert check_site(site) == []


def test_external_scripts_styles_and_fonts_fail(tmp_path):
    site = _site(
        tmp_path,
        {
            "index.html": '<script src="https://cdnjs.cloudflare.com/jquery.js"></script>'
            '<link rel="stylesheet" href="//fonts.googleapis.com/css">',
            "s.css": "@import url(https://fonts.googleapis.com/css2);",
        },
    )
    kinds = sorted((p.page, p.kind) for p in check_site(site))
    assert kinds == [
        ("index.html", "external resource"),
        ("index.html", "external resource"),
        ("s.css", "external resource"),
    ]


def test_broken_links_and_missing_resources_fail(tmp_path):
    site = _site(tmp_path, {"index.html": '<a href="nope.html">x</a><img src="pic.png" alt="">'})
    assert {(p.kind, p.detail) for p in check_site(site)} == {
        ("broken link", "nope.html"),
        ("missing resource", "<img> pic.png"),
    }


def test_a_page_over_500_kb_fails(tmp_path):
    site = _site(
        tmp_path,
        {
            "index.html": "<p>x</p>",
            "big.html": "x" * (MAX_PAGE_BYTES + 1),
            "site_libs/lib.html": "x" * (MAX_PAGE_BYTES + 1),
        },
    )
    problems = check_site(site)
    assert [(p.page, p.kind) for p in problems] == [("big.html", "page too large")]
    assert "500,001 bytes" in problems[0].detail


def test_script_that_is_not_the_sites_own_fails(tmp_path):
    site = _site(
        tmp_path,
        {
            "index.html": '<script type="application/json" data-llr-spec="c">{}</script>'
            '<script id="quarto-html-after-body" type="application/javascript">x()</script>'
            '<a onclick="if (window.quartoToggleHeadroom) { window.quartoToggleHeadroom(); }">m</a>',
            "bad.html": '<script>alert(1)</script><img src="x.png" onerror="alert(1)" alt="">'
            '<a href="javascript:alert(1)">x</a>',
            "x.png": "",
        },
    )
    problems = [(p.page, p.detail) for p in check_site(site) if p.kind == "script not the site's own"]
    assert problems == [
        ("bad.html", "inline <script>"),
        ("bad.html", "<img onerror=...>"),
        ("bad.html", "<a href='javascript:alert(1)'>"),
    ]


def test_shared_map_files_are_resources_a_page_must_find(tmp_path):
    """Map shapes live in assets/geo-<hash>.js beside the pages, loaded by relative <script src>."""
    tag = '<script src="../assets/geo-0123456789abcdef0123.js" data-llr-geo="geo-0123456789abcdef0123"></script>'
    site = _site(tmp_path, {"index.html": "<p>home</p>", "deprivation/rutland.html": tag})
    problems = [(p.page, p.kind, p.detail) for p in check_site(site)]
    assert problems == [
        ("deprivation/rutland.html", "missing resource", "<script> ../assets/geo-0123456789abcdef0123.js")
    ]
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "geo-0123456789abcdef0123.js").write_text("(window.LLR_DATA=window.LLR_DATA||{})")
    assert check_site(site) == []
