"""The Vietnamese catalogue is complete and its compiled .mo matches the .po."""

import ast
import re
from pathlib import Path

from django.utils import translation

PO = Path(__file__).resolve().parents[1] / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def _entries() -> list[tuple[list[str], str, str, str, str]]:
    """(flags, msgid, msgstr, msgid_plural, msgctxt) for each entry of the .po, strings
    unescaped; a plural entry's msgstr is its one form (Vietnamese has nplurals=1)."""
    entries = []
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
        flags = [line for line in block.splitlines() if line.startswith("#,")]
        parts: dict[str, str] = {}
        key = ""
        for line in block.splitlines():
            match = re.match(r"^(msgctxt|msgid|msgstr|msgid_plural|msgstr\[0\]) (\".*\")$", line)
            if match:
                key = match.group(1)
                parts[key] = ast.literal_eval(match.group(2))
            elif line.startswith('"') and key:
                parts[key] += ast.literal_eval(line)
        if "msgid" in parts:
            msgstr = parts.get("msgstr", parts.get("msgstr[0]", ""))
            plural, context = parts.get("msgid_plural", ""), parts.get("msgctxt", "")
            entries.append((flags, parts["msgid"], msgstr, plural, context))
    return entries


def test_every_message_is_translated_and_none_is_fuzzy() -> None:
    entries = [e for e in _entries() if e[1]]
    assert len(entries) > 200
    assert [msgid for _, msgid, msgstr, _, _ in entries if not msgstr] == []
    assert [msgid for flags, msgid, *_ in entries if any("fuzzy" in f for f in flags)] == []


def _compiled(msgid: str, plural: str, context: str) -> str:
    """The translation of one entry as the compiled catalogue gives it, in the active language."""
    if plural:
        if context:
            return translation.npgettext(context, msgid, plural, 2)
        return translation.ngettext(msgid, plural, 2)
    return translation.pgettext(context, msgid) if context else translation.gettext(msgid)


def test_the_compiled_catalogue_matches_the_source() -> None:
    """A stale .mo (the .po edited without compilemessages) fails here."""
    with translation.override("vi"):
        stale = [
            msgid
            for _, msgid, msgstr, plural, context in _entries()
            if msgid and _compiled(msgid, plural, context) != msgstr
        ]
    assert stale == []
