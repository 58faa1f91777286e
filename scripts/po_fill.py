"""Fill a .po catalogue's empty msgstr from a JSON dict {msgid: msgstr}; list the rest.

A plural entry (ngettext, blocktranslate count) is keyed by its singular msgid.

Usage: python scripts/po_fill.py CATALOGUE.po TRANSLATIONS.json
"""

import json
import sys

import polib


def main(po_path: str, json_path: str) -> int:
    catalogue = polib.pofile(po_path)
    table = json.load(open(json_path, encoding="utf-8"))
    missing = []
    for entry in catalogue:
        if entry.msgid in table:
            if entry.msgid_plural:  # one form in Chinese: every form the same
                forms = entry.msgstr_plural or {0: ""}
                entry.msgstr_plural = {i: table[entry.msgid] for i in forms}
            else:
                entry.msgstr = table[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        elif not (entry.msgstr or any(entry.msgstr_plural.values())):
            missing.append(entry.msgid)
    catalogue.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    catalogue.save(po_path)
    for msgid in missing:
        print(f"untranslated: {msgid!r}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
