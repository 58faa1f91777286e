"""Fail when the Chinese interface would show a string in English.

Runs ``makemessages -l zh_Hans`` over the project (the committed catalogues are put
back afterwards, so the working tree is left as it was) and lists every string marked
in the code that has no Chinese text, neither in its own catalogue nor in any other
the running site loads (another app's, Django's or Wagtail's). It also fails when a
committed ``.mo`` file does not hold exactly the translations of its ``.po`` file.

    .venv/bin/python scripts/check_translations.py
"""

import os
import shutil
import sys
import tempfile
from pathlib import Path

import django
import polib

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import translation  # noqa: E402

IGNORE = [".venv", "tests", "benchmarks", "scripts", "var", "node_modules"]


def catalogues() -> list[Path]:
    return [
        p
        for p in ROOT.rglob("zh_Hans/LC_MESSAGES/django.po")
        if not any(part in IGNORE for part in p.relative_to(ROOT).parts)
    ]


def translated(entries) -> set[tuple]:
    return {
        (e.msgctxt, e.msgid, e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in entries
        if e.msgid
        and not e.obsolete
        and "fuzzy" not in e.flags
        and (e.msgstr or any(e.msgstr_plural.values()))
    }


def stale_mo(po_paths: list[Path]) -> list[str]:
    problems = []
    for po in po_paths:
        mo = po.with_suffix(".mo")
        if not mo.exists() or translated(polib.pofile(str(po))) != translated(
            polib.mofile(str(mo))
        ):
            problems.append(
                f"{mo.relative_to(ROOT)} does not match its .po (compilemessages)"
            )
    return problems


def shown_in_english(entry: polib.POEntry) -> bool:
    with translation.override("zh-hans"):
        if entry.msgid_plural:
            if entry.msgctxt:
                text = translation.npgettext(
                    entry.msgctxt, entry.msgid, entry.msgid_plural, 1
                )
            else:
                text = translation.ngettext(entry.msgid, entry.msgid_plural, 1)
        elif entry.msgctxt:
            text = translation.pgettext(entry.msgctxt, entry.msgid)
        else:
            text = translation.gettext(entry.msgid)
    return text == entry.msgid


def main() -> int:
    committed = catalogues()
    problems = stale_mo(committed)
    with tempfile.TemporaryDirectory() as backup:
        for i, po in enumerate(committed):
            shutil.copy2(po, Path(backup) / str(i))
        try:
            os.chdir(ROOT)
            call_command(
                "makemessages", locale=["zh_Hans"], ignore_patterns=IGNORE, verbosity=0
            )
            for po in catalogues():
                for entry in polib.pofile(str(po)):
                    if entry.obsolete or (entry.translated() and not entry.fuzzy):
                        continue
                    if shown_in_english(entry):
                        where = ", ".join(f"{f}:{n}" for f, n in entry.occurrences[:2])
                        problems.append(f"untranslated: {entry.msgid!r} ({where})")
        finally:
            for i, po in enumerate(committed):
                shutil.copy2(Path(backup) / str(i), po)
    for line in problems:
        print(line)
    if problems:
        print(f"{len(problems)} translation problem(s).")
        return 1
    print("Every marked string has a Chinese translation; the .mo files are current.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
