"""Console output and missing screenshots fold into collapsed blocks; nothing else changes.

Inputs are snippets of the seed notes (``notes/``) run through the body normalizer exactly as
a page part is, with every image missing; negatives are study tables and code a reader needs
to see. Properties: folding never loses a word and is idempotent; Python-Markdown with the
site's extensions still renders a folded table as a table and a folded fence as code.
"""

from __future__ import annotations

import re
from collections import Counter

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studysite.model import Line
from studysite.render.console import CONSOLE_TITLE, SCREENSHOT_TITLE, fold_console
from studysite.render.markdown import normalize

C, S = CONSOLE_TITLE, SCREENSHOT_TITLE


def body(text: str) -> str:
    """``text`` (note lines) as the normalized body of a page part, every image missing."""
    lines = [Line(k + 1, t) for k, t in enumerate(text.split("\n"))]
    out, _ = normalize(lines, resolve_image=lambda src: None)
    return out


def folds(md: str) -> list[str]:
    return re.findall(r'^\?\?\? note "([^"]+)"$', md, re.M)


# -- snippets from the seed notes (tabs as in the Notion export) ----------------------------

ALARMS = (  # 001 lines 1508-1511: a panel title, then its table
    "Alarms (2)\t\t\t\t\t\n"
    "\tName\tState\tLast state update\tConditions\tActions\n"
    '<input type="checkbox"/>\tTargetTracking-my-demo-asg-AlarmHigh-7d52774d-add9-43c2-a876-'
    "2274e3092280\tOK\t2022-03-17 19:54:20\tCPUUtilization > 50 for 3 datapoints within 3 "
    "minutes\tActions enabled\n"
    '<input type="checkbox"/>\tTargetTracking-my-demo-asg-AlarmLow-5ca7df5d-d177-463b-a198-'
    "c348ae5056ed\tOK\t2022-03-17 19:50:19\tCPUUtilization < 35 for 15 datapoints within 15 "
    "minutes\tActions enabled"
)
ENIS = (  # 001 lines 481-487: prose, then the network interfaces list
    "Once created, the ENI will appear as available. The other two ENIs shown below are in "
    "use and they were created by default when two EC2 instances were started.\n"
    "\n"
    "Network interfaces (3) Info\t\t\t\t\t\t\n"
    "\tInterface Type\tDescription\tInstance ID\tStatus\tPublic IPv4 address\tPrimary private "
    "IPv4 ad\n"
    "\tElastic network interface\t-\ti-0303cd20dbbda2792\t"
    '<input checked="" type="checkbox"/> In-use\t52.66.212.29\t172.31.33.30\n'
    "\tElastic network interface\t-\ti-099ee63b660eb48bf\t"
    '<input checked="" type="checkbox"/> In-use\t3.110.94.241\t172.31.42.134\n'
    "\tElastic network interface\tecc2-tutorial\t-\t"
    '<input type="checkbox"/> Available\t-\t172.31.45.208'
)
ROUTES = (  # 001 lines 7125-7127
    "Destination\tTarget\tStatus\n10.0.0.0/16\tlocal\tActive\n0.0.0.0/0\tigw-067b6a16c0ee17ddc\t-"
)
ROUTES_NAT = (  # 001 lines 7173-7175
    "Destination\tTarget\tStatus\tPropagated\n"
    "10.0.0.0/16\tlocal\tActive\tNo\n"
    "0.0.0.0/0\teni-04532c69279fffc46\tActive\tNo"
)
KMS_KEYS = (  # 001: the AWS managed keys list
    "Alias\tKey ID\tStatus\n"
    "aws/s3\t0406e362-f560-4da9-b5ca-92ce6d6cfa86\tEnabled\n"
    "aws/acm\t27c589ca-e98d-4dd7-a3c4-48a6be9508ae\tEnabled\n"
    "aws/dynamodb\t7775c144-796d-4b4d-9a6d-d13ac00228b2\tEnabled"
)
TRANSCRIPT = (  # 001 lines 2943-2948
    "```\n"
    "[ec2-user@ip-172-31-44-172 ~]$ curl http://169.254.169.254/latest/meta-data/ami-launch-"
    "index/ami-manifest-path\n"
    "lock-device-mapping/events/hibernation/hostname/identity-credentials/instance-action/in\n"
    "ation-id/security-groups\n"
    "```"
)
CLI_JSON = (  # 001: an S3 event as received, pasted from the console
    "```\n"
    '{ "Records": [ { "eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": '
    '"ap-south-1", "eventTime": "2022-03-27T14:41:35.322Z", "s3": { "bucket": { "name": '
    '"demo-arkalim" }, "arn": "arn:aws:s3:::demo-arkalim" } } ] }\n'
    "```"
)
SCREENSHOTS = (  # 003 lines 158-161: four screenshots in a row
    "![](./images/EC2_IAM_1.png)\n"
    "![](./images/EC2_IAM_2.png)\n"
    "![](./images/EC2_IAM_3.png)\n"
    "![](./images/EC2_IAM_4.png)"
)
CAPTIONED = "Amazon Machine Image\n![](./images/AMI_Overview.png)"  # 003 lines 276-277
HTML_IMAGE = '<p align="center"><img src="images/aws/kinesis.png" width="60%"></p>'

# Negatives: what an exam asks about, or code a reader runs.
GSI_LSI = (  # 004 line 320: a comparison table
    "| | Global Secondary Index | Local Secondary Index |\n"
    "| --- | --- | --- |\n"
    "| Definition | Anytime | During table creation only |\n"
    "| Structure | Allows for alternate partition and sort keys | Allows for alternate sort key "
    "only |\n"
    "| Consistency | Eventual consistency only | Allows for strong consistency |"
)
NAT_COMPARISON = (  # 001 line 7210
    "\tNAT Gateway\tNAT Instance\n"
    "Availability\tHighly available within AZ (create in another AZ)\tUse a script to manage "
    "failover between instances\n"
    "Public IPv4\t✓\t✓\n"
    "Security Groups\t✗\t✓\n"
    "Bandwidth\tUp to 45 Gbps\tDepends on EC2 instance type"
)
CIDR_TABLE = (  # 001: a table of CIDR blocks and the ranges they allow
    "192 . 168 . 0 . 0 /32 => allows for 1 IP (2^0)\t→ 192.168.0.0\n"
    "192 . 168 . 0 . 0 /31 => allows for 2 IP (2^1)\t→ 192.168.0.0 -> 192.168.0.1\n"
    "192 . 168 . 0 . 0 /24 => allows for 256 IP (2^8)\t→ 192.168.0.0 -> 192.168.0.255"
)
NACL_RULES = (  # 001: the default NACL, worth remembering
    "Rule #\tType\tProtocol\tPort Range\tSource\tAllow/Deny\n"
    "100\tAll IPv4 Traffic\tAll\tAll\t0.0.0.0/0\tALLOW\n"
    "*\tAll IPv4 Traffic\tAll\tAll\t0.0.0.0/0\tDENY"
)
POLICY = (  # 000: a bucket policy with ARNs
    "```json\n"
    "{\n"
    '  "Version": "2012-10-17",\n'
    '  "Statement": [\n'
    '    {"Effect": "Allow", "Action": ["s3:ListBucket"], "Resource": ["arn:aws:s3:::test"]},\n'
    '    {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::test/*"]}\n'
    "  ]\n"
    "}\n"
    "```"
)
CLI_COMMAND = (  # 001: commands without output
    "```\n"
    "aws ssm get-parameters --names /my-app/dev/db-url /my-app/dev/db-password --with-decryption\n"
    "aws ssm get-parameters-by-path --path /my-app/ --recursive --with-decryption\n"
    "```"
)
PROMPT_ONLY = "```\n$ aws s3 ls s3://my-bucket\n```"
USER_DATA = (  # 003: a script, comments and all
    "```\n#!/bin/bash\n# install httpd (Linux 2 version)\nyum update -y\nyum install -y httpd\n```"
)
PROSE = "EC2 instances are launched into a subnet-0abc1234 style subnet; status is Running."

CASES = [
    ("alarms list with its panel title", ALARMS, [C]),
    ("network interfaces list", ENIS, [C]),
    ("route table", ROUTES, [C]),
    ("route table through a NAT instance", ROUTES_NAT, [C]),
    ("KMS managed keys", KMS_KEYS, [C]),
    ("terminal transcript", TRANSCRIPT, [C]),
    ("CLI JSON output", CLI_JSON, [C]),
    ("four screenshots", SCREENSHOTS, [S]),
    ("captioned screenshot", CAPTIONED, [S]),
    ("HTML screenshot", HTML_IMAGE, [S]),
    ("console tables in a row", f"{ROUTES}\n\n{ROUTES_NAT}", [C]),
    ("screenshot between tables", f"{ROUTES}\n\n{SCREENSHOTS}\n\n{ROUTES_NAT}", [C, S, C]),
    ("comparison table", GSI_LSI, []),
    ("comparison tab table with ticks", NAT_COMPARISON, []),
    ("CIDR study table", CIDR_TABLE, []),
    ("default NACL rules", NACL_RULES, []),
    ("JSON policy", POLICY, []),
    ("CLI commands without output", CLI_COMMAND, []),
    ("prompt without output", PROMPT_ONLY, []),
    ("user data script", USER_DATA, []),
    ("prose naming ids", PROSE, []),
]


@pytest.mark.parametrize(("text", "titles"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_folds(text: str, titles: list[str]) -> None:
    md = body(text)
    out = fold_console(md)
    assert folds(out) == titles
    if not titles:
        assert out == md
    assert fold_console(out) == out


def test_fold_keeps_the_text_around_it_byte_for_byte() -> None:
    md = body(f"Intro line.\n\n{ROUTES}\n\n- after 1\n- after 2")
    out = fold_console(md)
    table = md.split("\n\n")[1]
    assert out == "\n\n".join(
        [
            "Intro line.",
            f'??? note "{C}"',
            "\n".join("    " + ln for ln in table.split("\n")),
            "- after 1\n- after 2",
        ]
    )


def test_panel_title_and_caption() -> None:
    # A console panel title goes into the fold with its table; a caption above a missing
    # screenshot stays visible.
    out = fold_console(body(ALARMS))
    assert out.startswith(f'??? note "{C}"\n\n    Alarms (2)\n\n    |')
    out = fold_console(body(CAPTIONED))
    assert out.startswith(f'Amazon Machine Image\n\n??? note "{S}"\n\n    *(image not')


def test_nested_blocks_stay() -> None:
    # Only top-level blocks fold: a quote or list item keeps its screenshot in place.
    md = body("> Translates Private IPs to Public IPs\n> ![](./images/NAT3.png)")
    assert "image not available" in md
    assert fold_console(md) == md


def test_empty_and_plain() -> None:
    assert fold_console("") == ""
    assert fold_console("Just text.") == "Just text."


# -- properties -----------------------------------------------------------------------------

SNIPPETS = [c[1] for c in CASES] + ["Some prose.", "- a\n- b", "## Heading"]


def _unfold(md: str) -> str:
    out: list[str] = []
    inside = False
    for ln in md.split("\n"):
        if re.match(r'\?\?\? note "', ln):
            inside = True
        elif inside and (ln.startswith("    ") or not ln):
            out.append(ln[4:])
        else:
            inside = False
            out.append(ln)
    return "\n".join(out)


def _words(md: str) -> Counter[str]:
    return Counter(md.split())


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(SNIPPETS), min_size=1, max_size=6))
def test_never_loses_a_word_and_is_idempotent(parts: list[str]) -> None:
    md = body("\n\n".join(parts))
    out = fold_console(md)
    assert not _words(md) - _words(out)
    assert fold_console(out) == out
    # Unfolding gives the input back, up to the blank line split off a captioned screenshot.
    assert re.sub(r"\n+", "\n", _unfold(out).strip()) == re.sub(r"\n+", "\n", md.strip())


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('ab|-` \n\t$[]{}*()!i:0123456789?"')), max_size=120))
def test_arbitrary_text_keeps_its_words(text: str) -> None:
    out = fold_console(text)
    assert not _words(text) - _words(out)
    assert fold_console(out) == out


# -- rendering ------------------------------------------------------------------------------

_SITE_EXTENSIONS = [
    "attr_list",
    "admonition",
    "md_in_html",
    "sane_lists",
    "tables",
    "pymdownx.details",
    "pymdownx.superfences",
]


def _html(md: str) -> str:
    return markdown.Markdown(extensions=_SITE_EXTENSIONS).convert(md)


def test_folded_blocks_render_inside_details() -> None:
    out = fold_console(body(f"Intro.\n\n{ALARMS}\n\n{TRANSCRIPT}\n\n{SCREENSHOTS}\n\nOutro."))
    html = _html(out)
    details = re.findall(r'<details class="note">(.*?)</details>', html, re.S)
    assert len(details) == 2
    console, screenshots = details
    assert f"<summary>{C}</summary>" in console
    assert "<table>" in console
    assert "<td>OK</td>" in console
    assert re.search(r"<pre>(<span></span>)?<code>\[ec2-user@ip-172-31-44-172 ~\]\$ curl", console)
    assert f"<summary>{S}</summary>" in screenshots
    assert screenshots.count("<em>(image not available: <code>") == 4
    assert html.startswith("<p>Intro.</p>")
    assert html.endswith("<p>Outro.</p>")


def test_an_empty_fence_is_not_console_output() -> None:
    md = "Before.\n\n```\n```\n\nAfter."
    assert fold_console(md) == md
