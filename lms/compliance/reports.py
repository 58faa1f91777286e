"""The compliance report of a subtree as a file: JSON, CSV, XLSX, or the appraisal
form (PDF) of one street or community; ID numbers masked."""

import orjson
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms.accounts.exports import write_table
from lms.org.models import OrgLevel, OrgNode
from lms.people.models import Post

from . import rules
from .errors import ComplianceError
from .models import ComplianceStatus
from .pdf import AppraisalForm, render_appraisal_pdf
from .selectors import WorkerCompliance, compliance_rows, no_gc


def report_rows(rows: list[WorkerCompliance], gettext=None) -> list[dict]:
    """The report's plain rows (JSON/CSV/XLSX/PDF): masked ID numbers only."""
    translated: dict = {}
    # Workers of the same shape share one result object: format each result once.
    formatted: dict = {}

    def render(reason) -> str:
        text = translated.get(reason.msgid)
        if text is None:
            text = translated[reason.msgid] = (
                gettext(reason.msgid) if gettext else reason.msgid
            )
        return text % reason.params if reason.params else text

    def fields(result) -> dict:
        done = formatted.get(id(result))
        if done is None:
            done = formatted[id(result)] = {
                "required_days": str(result.required_days),
                "achieved_days": str(result.achieved_days),
                "online_days": str(result.counted_online_days),
                "shortfall_days": str(result.shortfall_days),
                "status": result.status,
                "reasons": [render(r) for r in result.reasons],
            }
        return done

    with no_gc():
        return [
            {
                "name": row.name,
                "id_number": row.id_number_masked,
                "org_code": row.org_code,
                "org_name": row.org_name,
                "post": row.post,
                **fields(row.result),
            }
            for row in rows
        ]


REPORT_FORMATS = ("json", "csv", "xlsx", "pdf")

REPORT_HEADERS = {
    "name": gettext_lazy("Name"),
    "id_number": gettext_lazy("ID number"),
    "org_code": gettext_lazy("Organisation code"),
    "org_name": gettext_lazy("Community"),
    "post": gettext_lazy("Post"),
    "required_days": gettext_lazy("Required days"),
    "achieved_days": gettext_lazy("Achieved days"),
    "online_days": gettext_lazy("Online study days counted (after the cap)"),
    "shortfall_days": gettext_lazy("Shortfall"),
    "status": gettext_lazy("Status"),
    "reasons": gettext_lazy("Reasons"),
    "page": gettext_lazy("Page {page} of {pages}"),
    "sign_reviewer": gettext_lazy("Reviewed by (signature)"),
    "sign_head": gettext_lazy("Head of the organisation (signature, seal)"),
    "sign_date": gettext_lazy("Date"),
}


def report_build(
    *,
    year: int,
    root: OrgNode,
    fmt: str,
    post: str = "",
    status: str = "",
    progress=None,
) -> tuple[str, bytes, int]:
    """(file name, bytes, rows) of the compliance report of `root`'s subtree."""
    if fmt not in REPORT_FORMATS:
        raise ComplianceError(_("Unknown report format: %(fmt)s") % {"fmt": fmt})
    if fmt == "pdf" and root.level not in (OrgLevel.STREET, OrgLevel.COMMUNITY):
        raise ComplianceError(
            _("The appraisal form (PDF) is made for one street or community.")
        )
    rows = compliance_rows(year=year, root=root, post=post)
    if status:
        rows = [r for r in rows if r.status == status]
    if progress:
        progress(len(rows) // 2)
    plain = report_rows(rows, gettext=_)
    name = f"compliance-{year}-{root.code}.{fmt}"
    if fmt == "json":
        # The report's fields in order, less the community's name (the code says it).
        for row in plain:
            del row["org_name"]
        return name, orjson.dumps(plain), len(rows)
    statuses = dict(ComplianceStatus.choices)

    posts = dict(Post.choices)
    for row in plain:
        row["status"] = str(statuses.get(row["status"], row["status"]))
        row["post"] = str(posts.get(row["post"], row["post"]))
    if fmt in ("csv", "xlsx"):
        columns = [
            c for c in REPORT_HEADERS if c not in ("page",) and not c.startswith("sign")
        ]
        content = write_table(
            fmt,
            [str(REPORT_HEADERS[c]) for c in columns],
            (
                ["；".join(r[c]) if c == "reasons" else r[c] for c in columns]
                for r in plain
            ),
        )
        return name, content, len(rows)
    met = sum(1 for r in rows if r.status == rules.MET)
    form = AppraisalForm(
        title=_("Annual training appraisal form %(year)s") % {"year": year},
        org_name=root.name,
        org_code=root.code,
        year=year,
        generated=timezone.localdate().isoformat(),
        labels={k: str(v) for k, v in REPORT_HEADERS.items()},
        rows=plain,
        summary=_("%(met)s of %(total)s workers met the annual minimum.")
        % {"met": met, "total": len(rows)},
    )
    return name, render_appraisal_pdf(form), len(rows)
