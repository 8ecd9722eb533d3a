"""The one Markdown renderer: what editors may write, and what never reaches readers."""

import pytest
from django.conf import settings

from mhsite.markdown import render_article_body, render_markdown
from tests.html_elements import active_markup, elements


def test_renderer_is_markdownx_preview_function():
    assert settings.MARKDOWNX_MARKDOWNIFY_FUNCTION == "mhsite.markdown.render_markdown"


def test_ordinary_markdown_renders():
    html = render_markdown(
        "Some *emphasis* and **strong** text.\n\n"
        "- one\n- two\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        "> A quote.\n\n"
        "[A study](https://example.com/study) and [us](/articles/) and "
        "[mail](mailto:editors@example.com)\n"
    )
    assert "<em>emphasis</em>" in html
    assert "<strong>strong</strong>" in html
    assert "<li>one</li>" in html
    assert "<table>" in html and "<td>1</td>" in html
    assert "<blockquote>" in html
    assert '<a href="https://example.com/study" rel="noopener noreferrer">A study</a>' in html
    assert 'href="/articles/"' in html
    assert 'href="mailto:editors@example.com"' in html


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        "<SCRIPT SRC=/static/x.js></SCRIPT>",
        "<img src=x onerror=alert(1)>",
        '<img src="/media/a.png" onerror="alert(1)">',
        "<svg onload=alert(1)><script>alert(1)</script></svg>",
        '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
        "<math><mtext><script>alert(1)</script></mtext></math>",
        '<iframe src="https://example.com/"></iframe>',
        '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
        '<object data="javascript:alert(1)"></object>',
        '<embed src="javascript:alert(1)">',
        '<p style="background:url(javascript:alert(1))">styled</p>',
        "<style>body{display:none}</style>",
        '<div onclick="alert(1)" onmouseover="alert(1)">hover</div>',
        "<body onload=alert(1)>",
        '<details open ontoggle="alert(1)">x</details>',
        '<form action="javascript:alert(1)"><button>go</button></form>',
        '<input autofocus onfocus="alert(1)">',
        '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
        '<base href="javascript:alert(1)//">',
        '<link rel="stylesheet" href="https://example.com/x.css">',
        "<template><script>alert(1)</script></template>",
        '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
        "<!-- <script>alert(1)</script> -->",
        '## Heading {: onclick="alert(1)" style="color:red" }',
        'Paragraph\n{: onmouseover="alert(1)" }',
    ],
)
def test_script_and_event_handlers_never_survive(payload):
    html = render_markdown(payload)
    assert "<script" not in html.lower()
    assert active_markup(html) == [], (payload, html)


@pytest.mark.parametrize(
    "markdown_text",
    [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](  javascript:alert(1))",
        "[x](java\tscript:alert(1))",
        '<a href="java&#x09;script:alert(1)">x</a>',
        '<a href="&#106;avascript:alert(1)">x</a>',
        '<a href="jav&#x0A;ascript:alert(1)">x</a>',
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        '<a href="data:text/html,<script>alert(1)</script>">x</a>',
        '<a href="vbscript:msgbox(1)">x</a>',
        '<a href="VBScript:msgbox(1)">x</a>',
        "[x](file:///etc/passwd)",
        "<javascript:alert(1)>",
    ],
)
def test_dangerous_link_schemes_are_removed(markdown_text):
    html = render_markdown(markdown_text)
    # The text may stay, shown as typed; it is never a link.
    assert [attrs for _tag, attrs in elements(html) if "href" in attrs] == [], html


@pytest.mark.parametrize(
    "src",
    [
        "x",
        "https://tracker.example.net/pixel.gif",
        "http://127.0.0.1/media/a.png",
        "//evil.example.net/a.png",
        "/\\evil.example.net/a.png",
        "/media/../admin/logout/",
        "/media/%2e%2e/admin/",
        "data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+",
        "javascript:alert(1)",
        "/articles/some-page/",
    ],
)
def test_images_from_elsewhere_lose_their_source(src):
    html = render_markdown(f"![Alt text]({src})")
    assert "src=" not in html, html


@pytest.mark.parametrize("src", ["/media/markdownx/a1b2.png", "/static/img/diagram.png"])
def test_images_from_our_media_and_static_files_are_kept(src):
    html = render_markdown(f"![A diagram]({src})")
    assert f'src="{src}"' in html
    assert 'alt="A diagram"' in html


def test_images_from_allowlisted_host_are_kept_only_over_https(settings):
    settings.MARKDOWN_IMAGE_HOSTS = ["images.example.com"]
    ok = render_markdown("![a](https://images.example.com/a.png)")
    assert 'src="https://images.example.com/a.png"' in ok
    for src in (
        "http://images.example.com/a.png",
        "https://images.example.com.evil.example.net/a.png",
        "https://images.example.com@evil.example.net/a.png",
    ):
        assert "src=" not in render_markdown(f"![a]({src})"), src


def test_heading_ids_and_footnote_anchors_are_kept():
    html = render_markdown("## Getting help\n\nText[^1]\n\n[^1]: A note.\n")
    assert '<h2 id="getting-help">' in html
    assert 'href="#fn:1"' in html
    assert 'id="fn:1"' in html


def test_ids_that_could_clobber_globals_are_dropped():
    html = render_markdown('<h2 id="x y">A</h2><h3 id="&quot;onload">B</h3>')
    assert "id=" not in html


def test_article_body_toc_lists_h2_with_nested_h3_and_matching_anchors():
    rendered = render_article_body(
        "Intro.\n\n## What it is\n\n### Signs\n\n### Causes\n\n## Getting help\n\n#### Deep\n"
    )
    assert rendered.toc == [
        {
            "id": "what-it-is",
            "name": "What it is",
            "children": [{"id": "signs", "name": "Signs"}, {"id": "causes", "name": "Causes"}],
        },
        {"id": "getting-help", "name": "Getting help", "children": []},
    ]
    for entry in ("what-it-is", "signs", "causes", "getting-help"):
        assert f'id="{entry}"' in rendered.html


def test_toc_names_are_plain_text_without_markup():
    rendered = render_article_body("## Help for AT&T staff <img src=x onerror=alert(1)>\n")
    assert rendered.toc[0]["name"].strip() == "Help for AT&T staff"
    assert "onerror" not in rendered.html


def test_empty_and_missing_text_render_to_empty_string():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""
