"""Ledger sources in words: "session:82" reads "第 3 次课 · 2026-09-01 培训班名".

`source_labels(keys)` resolves a page of source keys in one query per kind of source
(never one per row). This app reads its own sources (sessions, external training,
imports, reversals); the apps above it register theirs with `source_kind_register`
from their AppConfig.ready (courses: lessons and tests; mentoring: placements), so
that this module imports nothing from them.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable

from django.utils.translation import gettext as _

from .models import ClassSession, CreditEntry, ExternalTraining

# kind -> resolve(ids) -> {id: label}
Resolver = Callable[[list[int]], dict[int, str]]
_RESOLVERS: dict[str, Resolver] = {}


def source_kind_register(kind: str, resolve: Resolver) -> None:
    _RESOLVERS[kind] = resolve


def _sessions(ids: list[int]) -> dict[int, str]:
    classes = ClassSession.objects.filter(pk__in=ids).values("training_class_id")
    rows = (
        ClassSession.objects.filter(training_class_id__in=classes)
        .order_by("training_class_id", "date", "start_time", "id")
        .values_list("id", "training_class_id", "date", "training_class__title")
    )
    labels, number, current = {}, 0, None
    for pk, class_id, date, title in rows:
        number = number + 1 if class_id == current else 1
        current = class_id
        labels[pk] = _("Session %(n)s · %(date)s %(title)s") % {
            "n": number,
            "date": f"{date:%Y-%m-%d}",
            "title": title,
        }
    return labels


def _external(ids: list[int]) -> dict[int, str]:
    return {
        pk: _("External training recognised · %(title)s") % {"title": title}
        for pk, title in ExternalTraining.objects.filter(pk__in=ids).values_list(
            "id", "title"
        )
    }


def _reversals(ids: list[int]) -> dict[int, str]:
    return {
        pk: _("Correction of %(date)s %(title)s")
        % {"date": f"{date:%Y-%m-%d}", "title": title}
        for pk, date, title in CreditEntry.objects.filter(pk__in=ids).values_list(
            "id", "date", "title"
        )
    }


source_kind_register("session", _sessions)
source_kind_register("external", _external)
source_kind_register("reverse", _reversals)


def _id(key: str) -> tuple[str, int | None]:
    kind, _sep, rest = key.partition(":")
    number = rest.split(":", 1)[0]
    return kind, int(number) if number.isdigit() else None


def source_labels(keys: Iterable[str]) -> dict[str, str]:
    """{source key: its words} for `keys`; a key of no known kind reads as itself."""
    keys = set(keys)
    wanted = defaultdict(set)
    for key in keys:
        kind, pk = _id(key)
        if kind in _RESOLVERS and pk is not None:
            wanted[kind].add(pk)
    resolved = {kind: _RESOLVERS[kind](sorted(ids)) for kind, ids in wanted.items()}
    labels = {}
    for key in keys:
        kind, pk = _id(key)
        if kind == "import":
            labels[key] = _("Imported training record")
        else:
            labels[key] = resolved.get(kind, {}).get(pk, key)
    return labels


def sources_label(entries) -> None:
    """Set `source_label` on each of `entries` (ledger entries in memory)."""
    labels = source_labels(e.source_key for e in entries)
    for entry in entries:
        entry.source_label = labels[entry.source_key]
