"""Find web boilerplate inside an article's text without changing the text.

Scraped pages carry share buttons, breadcrumbs, "read more" teasers and sign-offs.
They must yield neither quotes nor speakers, but offsets must keep pointing into the
exact text, so this module returns spans to ignore instead of editing the text.
"""

from __future__ import annotations

import re

_DATE_LINE = re.compile(r"\A\s*date\s+(\d{4}-\d{2}-\d{2})\b[ \t]*")

# Whole lines that are page furniture (case-insensitive, matched on the stripped line).
_FURNITURE = re.compile(
    r"""^(?:
        (?:follow|like|share|subscribe|join)\b.{0,30}\b(?:on|us|to|with|now)\b.{0,20}
      | (?:share|tweet|email|print|comments?|reply|advertisement|advertising|sponsored)(?:\s+this)?
      | (?:related|more|latest|top|trending|recommended)\s+(?:news|stories|articles|posts|videos|from\b.*)
      | (?:also\s+(?:read|watch|see)|read\s+(?:more|also|next)|watch|sequel\s+after\s+announcement)\b.*
      | leave\s+a\s+(?:comment|reply)
      | (?:posted|published|updated|last\s+updated)\s*(?:on|:)?\s*.{0,40}
      | by\s+\w+(?:\s+\w+)?
      | (?:home|news)\s*(?:[>›»|/]\s*\w+\s*){0,3}
      | watch\s+\w+\s+live(?:\s+here)?
      | (?:photo|image|video|file\s+photo|credit)s?\s*[:|].{0,80}
      | [\W_]*(?:google[- ]news|whatsapp|telegram|facebook|twitter|x|linkedin|reddit|pinterest|instagram|youtube|email)[\W_]*
      | \(?with\s+(?:inputs\s+from\s+agencies|(?:reuters|afp|ap|agencies)(?:\s+and\s+[\w\- ]+)?)\)?
      | (?:AFP|AP|Reuters|PTI|IANS|ANI|UNB|Xinhua)
      | all\s+rights\s+reserved.*
      | ©.*
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
# A parenthesised teaser: "(Also read: Headline ...)", "(We recommend: ...)".
_TEASER = re.compile(r"^\(\s*[A-Z][\w ,'’]{0,40}:\s.*\)\s*$")
# Breadcrumbs glued to a headline: "Home News Headline text".
_BREADCRUMB = re.compile(r"^(?:home\s+(?:news|world|politics|sport|business)\b)", re.IGNORECASE)
# A label with an arrow or bar: "Also read> ...", "ALSO WATCH | ...".
_LABELLED = re.compile(r"^[A-Za-z][A-Za-z ]{2,25}\s*[>|›»]\s+\S")


def leading_date(text: str) -> tuple[str | None, int]:
    """The ISO date of a leading ``date YYYY-MM-DD`` marker and where the body starts.

    >>> leading_date(" date 2023-06-19 The United States and China agreed")
    ('2023-06-19', 17)
    >>> leading_date("No date here")
    (None, 0)
    """
    match = _DATE_LINE.match(text)
    if not match:
        return None, 0
    return match.group(1), match.end()


def is_boilerplate_line(line: str) -> bool:
    """True for a line that is page furniture rather than article prose.

    >>> is_boilerplate_line("  • Follow us on")
    True
    >>> is_boilerplate_line("(Also read: Blinken will raise his concern)")
    True
    >>> is_boilerplate_line('"This was a real conversation," he said.')
    False
    """
    stripped = line.strip()
    if not stripped:
        return False
    unbulleted = stripped.lstrip("•·▪●◦-* ").strip()
    if unbulleted != stripped and len(unbulleted.split()) <= 4:
        return True
    if _FURNITURE.match(stripped) or _TEASER.match(stripped) or _BREADCRUMB.match(stripped):
        return True
    if _LABELLED.match(stripped) and not stripped.endswith((".", '"', "”")):
        return True
    return False


def boilerplate_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of `text` to ignore: a leading date marker and furniture lines.

    >>> t = " date 2023-06-18 Body.\\nFollow us on\\nMore."
    >>> [t[s:e] for s, e in boilerplate_spans(t)]
    [' date 2023-06-18 ', 'Follow us on']
    """
    spans: list[tuple[int, int]] = []
    _, body = leading_date(text)
    if body:
        spans.append((0, body))
    pos = 0
    for line in text.splitlines(keepends=True):
        content = line.rstrip("\r\n")
        if pos >= body and is_boilerplate_line(content):
            lead = len(content) - len(content.lstrip())
            spans.append((pos + lead, pos + len(content.rstrip())))
        pos += len(line)
    return spans
