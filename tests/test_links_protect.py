"""Cross-links never touch code, links, HTML, headings and the other protected constructs."""

from __future__ import annotations

from pathlib import Path

import pytest

from studysite.links import Linker, PageLinks
from studysite.links.protect import inline_protected, layout

ROOT = Path(__file__).resolve().parents[1]


def _unlinked(result: PageLinks) -> str:
    """The page with the inserted links taken out again."""
    out = result.markdown
    # Undo the insertions in order: each undone one puts the next back at its offset.
    for link in sorted(result.links, key=lambda k: k.start):
        inserted = f"[{link.text}]({link.href})"
        at = link.start
        assert out[at : at + len(inserted)] == inserted, f"{link} is not where it was placed"
        out = out[:at] + link.text + out[at + len(inserted) :]
    return out


# Each case: the protected construct mentions SNS (or Simple Notification Service); the
# prose around it mentions EKS, which must still link: proof that the page was linked at all.
PROTECTED = [
    ("backtick fence", "```\naws sns publish  # SNS\n```"),
    ("fence with info string", "```python\nclient = SNS()\n```"),
    ("tilde fence", "~~~\nSNS topic\n~~~"),
    ("four-backtick fence around a three-backtick one", "````\n```\nSNS\n```\n````"),
    ("indented code", "Text before.\n\n    SNS in indented code"),
    ("indented code in a list item", "- item\n\n        SNS in code inside the item"),
    ("fence in a list item", "- item\n\n    ```\n    SNS\n    ```"),
    ("fence in an admonition", "!!! note\n\n    ```\n    SNS\n    ```"),
    ("indented code in an admonition", "!!! note\n\n    Body.\n\n        SNS in code"),
    ("code in an admonition after a list", "- item\n\n!!! note\n\n        SNS in code"),
    ("code in an admonition in a list", "- item\n\n    !!! note\n\n            SNS in code"),
    ("inline code", "Use `SNS` here."),
    ("double-backtick inline code", "Use ``SNS `topic` `` here."),
    ("inline code across lines", "Use `aws\nSNS publish` here."),
    ("link text", "See [SNS docs](https://example.com/x) now."),
    ("link destination", "See [the docs](https://example.com/SNS) now."),
    ("link title", 'See [the docs](https://example.com "SNS") now.'),
    ("image", "![SNS diagram](sns.png)"),
    ("reference link", "See [SNS][1].\n\n[1]: https://example.com"),
    ("shortcut reference link", "See [SNS].\n\n[SNS]: https://example.com"),
    ("link reference definition", '[x]: https://example.com "SNS"'),
    ("footnote reference", "A claim[^SNS]."),
    ("autolink", "<https://aws.amazon.com/SNS/>"),
    ("email autolink", "<SNS@example.com>"),
    ("bare URL", "Docs at https://docs.aws.amazon.com/SNS/latest/dg/welcome.html today."),
    ("www URL", "Docs at www.example.com/SNS today."),
    ("raw HTML block", '<div class="x">\nSNS inside\n</div>'),
    ("raw HTML block across blank lines", "<div>\n\nSNS inside\n\n</div>"),
    ("source line (raw HTML)", '<p class="ss-source" markdown>Source: `f.txt` line 3 SNS</p>'),
    ("inline HTML element", "A <span>SNS</span> label."),
    ("inline HTML attribute", 'A <img alt="SNS" src="x.png"> picture.'),
    ("HTML comment", "<!-- SNS -->"),
    ("HTML comment across lines", "<!--\nSNS\n-->"),
    ("ATX heading", "## SNS topics { #sns-topics }"),
    ("closed ATX heading", "### SNS topics ###"),
    ("setext heading", "SNS topics\n----------"),
    ("hash heading without a space (Python-Markdown)", "#SNS topics"),
    ("heading in a list item", "- #SNS"),
    ("abbreviation definition", "*[SNS]: Simple Notification Service"),
    ("admonition title", '!!! note "SNS"\n\n    Body text.'),
    ("collapsible title", '??? tip "Simple Notification Service"\n\n    Body text.'),
    ("content tab title", '=== "SNS"\n\n    Body text.'),
    ("attribute list", "Paragraph.\n{: .sns title='SNS' }"),
    ("image preceded by !", "Wow!SNS"),
    ("path segment", "The key aws/SNS is managed."),
    ("math formula", "Cost \\(\\text{SNS} = 2 * n\\) per month."),
]


@pytest.mark.parametrize(("name", "construct"), PROTECTED, ids=[c[0] for c in PROTECTED])
def test_protected_construct(linker: Linker, name: str, construct: str) -> None:
    md = f"Intro about EKS.\n\n{construct}\n\nOutro.\n"
    result = linker.link(md, "notes/page.md")
    assert [(k.text, k.target) for k in result.links] == [("EKS", "eks")], name
    assert _unlinked(result) == md


def test_front_matter_is_protected(linker: Linker) -> None:
    md = '---\ntitle: "SNS"\ndescription: SNS fan-out\n---\n\nEKS page.\n'
    result = linker.link(md, "notes/page.md")
    assert [k.text for k in result.links] == ["EKS"]
    assert result.markdown.startswith('---\ntitle: "SNS"\ndescription: SNS fan-out\n---\n')


LINKED = [
    ("paragraph", "SNS fans out.", ["SNS"]),
    ("emphasis", "**SNS** and *SQS* and __EKS__ and _ECS_.", ["SNS", "SQS", "EKS", "ECS"]),
    ("table cells", "| a | b |\n|---|---|\n| SNS | SQS |", ["SNS", "SQS"]),
    ("nested list (4 spaces)", "- SNS\n    - SQS\n        - EKS", ["SNS", "SQS", "EKS"]),
    ("blockquote", "> SNS fans out\n> to SQS", ["SNS", "SQS"]),
    ("admonition body", '!!! note "Title"\n\n    SNS fans out to SQS.', ["SNS", "SQS"]),
    ("nested admonition", "!!! note\n\n    !!! tip\n\n        SNS inside.", ["SNS"]),
    ("admonition in a list item", "- item\n\n    !!! note\n\n        SNS inside.", ["SNS"]),
    ("definition list", "Fan-out\n:   SNS to SQS", ["SNS", "SQS"]),
    ("text after inline code", "`x` then SNS", ["SNS"]),
    ("text after a link", "[x](y.md) then SNS", ["SNS"]),
    ("text after an HTML block", "<div>\nx\n</div>\n\nSNS after.", ["SNS"]),
    ("text after a fence", "```\nx\n```\n\nSNS after.", ["SNS"]),
    ("list item after indented code", "    code\n\n- SNS item", ["SNS"]),
    ("longest match", "Lambda@Edge and Lambda", ["Lambda@Edge", "Lambda"]),
]


@pytest.mark.parametrize(("name", "md", "expected"), LINKED, ids=[c[0] for c in LINKED])
def test_prose_is_linked(linker: Linker, name: str, md: str, expected: list[str]) -> None:
    result = linker.link(md + "\n", "notes/page.md")
    assert [k.text for k in result.links] == expected, name
    assert _unlinked(result) == md + "\n"


def test_links_are_relative_markdown_links(linker: Linker) -> None:
    result = linker.link("SNS and SQS.\n", "compute/ec2/index.md")
    assert result.markdown == "[SNS](../../svc/sns.md) and [SQS](../../svc/sqs.md).\n"


def test_inline_scanner_spans() -> None:
    s = "a `b` [c](d) <e>f</e> https://g.h/i {: .j }"
    spans = [s[a:b] for a, b in inline_protected(s)]
    assert spans == ["`b`", "[c](d)", "<e>f</e>", "https://g.h/i", "{: .j }"]


def test_layout_headings_and_blocks() -> None:
    md = "# Title { #t }\n\nPara one.\n\n## Sec\n\n- item\n\n```\ncode\n```\n"
    lay = layout(md)
    assert [(h.level, h.text) for h in lay.headings] == [(1, "Title"), (2, "Sec")]
    assert [md[a:b] for a, b in lay.spans] == ["Para one.", "- item"]


def test_a_code_span_in_link_text_does_not_end_the_link() -> None:
    text = "See [the `x]` SQS docs](https://example.com) and SQS."
    # The whole link is protected, the "]" inside the code span included.
    assert inline_protected(text) == [(4, text.index(")") + 1)]


def test_a_reference_link_is_protected_with_its_label() -> None:
    text = "See [the docs][sqs] and SQS."
    assert inline_protected(text) == [(4, text.index("]", 14) + 1)]


def test_an_html_comment_is_protected_to_its_own_end() -> None:
    # An arrow ("-->") in prose above the comment is not where the comment ends; the
    # comment goes on across its blank line, as Python-Markdown reads it.
    md = "A --> B names SQS.\n\n<!-- SQS\n\nstill SQS -->\n\nSQS after.\n"
    lay = layout(md)
    assert [md[a:b] for a, b in lay.spans] == ["A --> B names SQS.", "SQS after."]


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("a <!-- SQS never closed", [(2, 23)]),  # an unclosed comment runs to the end
        ("[[x] SQS](u) z", [(0, 12)]),  # a link whose text opens with a bracket
        ("![[x] SQS](u) z", [(0, 13)]),
    ],
)
def test_protected_spans_run_to_their_real_end(text: str, spans: list[tuple[int, int]]) -> None:
    assert inline_protected(text) == spans


def test_an_html_block_right_above_a_rule_makes_no_heading() -> None:
    # "---" under a raw HTML block is a rule, not the underline of a heading.
    md = "# T\n\n<div>\nx\n</div>\n---\n\nSQS text.\n"
    lay = layout(md)
    assert [(h.level, h.text) for h in lay.headings] == [(1, "T")]
    assert [md[a:b] for a, b in lay.spans] == ["SQS text."]
