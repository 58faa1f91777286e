"""Question banks to and from the XLSX template (题型, 题干, 选项A–F, 答案, 解析, 分类,
难度): every row checked, each bad one reported, nothing written if any is bad."""

from django.db import transaction
from django.utils.translation import gettext_noop

from lms.accounts.exports import write_table
from lms.tabular import (
    ImportFailed,
    Row,
    choice_lookup,
    missing_columns,
    read_table,
)

from ..models import Difficulty, Question, QuestionBank, QuestionKind
from ..rules import question_problem

LETTERS = "ABCDEF"
OPTION_KEYS = [f"option_{letter}" for letter in LETTERS]
HEADERS = ["题型", "题干", *[f"选项{letter}" for letter in LETTERS]]
HEADERS += ["答案", "解析", "分类", "难度"]
COLUMNS = {
    "kind": ["题型", "kind", "type"],
    "prompt": ["题干", "question", "prompt"],
    **{key: [f"选项{key[-1]}", f"option {key[-1]}"] for key in OPTION_KEYS},
    "answer": ["答案", "answer"],
    "explanation": ["解析", "explanation"],
    "category": ["分类", "category"],
    "difficulty": ["难度", "difficulty"],
}
REQUIRED = ["kind", "prompt", "answer"]
KIND_ALIASES = {
    "单选": "single",
    "单选题": "single",
    "多选": "multiple",
    "多选题": "multiple",
    "判断": "true_false",
    "判断题": "true_false",
    "填空": "fill_in",
    "填空题": "fill_in",
}
TRUE_FALSE = {"对": "1", "正确": "1", "是": "1", "√": "1", "错": "2", "错误": "2"}
TRUE_FALSE |= {"否": "2", "×": "2", "a": "1", "b": "2"}
KIND_LABELS = {"single": "单选题", "multiple": "多选题", "true_false": "判断题"}
KIND_LABELS |= {"fill_in": "填空题"}
DIFFICULTY_LABELS = {"easy": "易", "medium": "中", "hard": "难"}
PROBLEM_MESSAGES = {
    "bad_answer": gettext_noop("The answer must be option letters such as B or ACD."),
    "too_few_options": gettext_noop("A choice question needs at least two options."),
    "too_many_options": gettext_noop("A question has at most six options (A–F)."),
    "out_of_range": gettext_noop("The answer names an option that is empty."),
    "single_needs_one": gettext_noop(
        "A single-choice or true/false question has one answer."
    ),
    "multiple_needs_two": gettext_noop(
        "A multiple-choice question has at least two answers."
    ),
    "fill_in_needs_answer": gettext_noop(
        "A fill-in question needs its accepted answers."
    ),
    "fill_in_no_options": gettext_noop("A fill-in question has no options."),
}


def _answer_text(kind: str, text: str) -> str:
    """The template's answer (letters, 对/错, or texts separated by |) as stored."""
    text = text.strip()
    if kind == QuestionKind.FILL_IN:
        return text
    if kind == QuestionKind.TRUE_FALSE:
        return TRUE_FALSE.get(text.lower(), text)
    letters = text.upper().replace(",", "").replace("，", "").replace(" ", "")
    if not letters or any(c not in LETTERS for c in letters):
        return text  # question_problem reports it as bad
    return ",".join(str(LETTERS.index(c) + 1) for c in sorted(set(letters)))


def _question(row: Row, bank, kinds, difficulties) -> Question | None:
    kind = kinds.get(row.get("kind").lower())
    if kind is None:
        row.error(
            "kind",
            gettext_noop("Unknown question kind: %(value)s"),
            value=row.get("kind"),
        )
    if not row.get("prompt"):
        row.error("prompt", gettext_noop("The question text is empty."))
    difficulty = Difficulty.MEDIUM
    if row.get("difficulty"):
        difficulty = difficulties.get(row.get("difficulty").lower())
        if difficulty is None:
            row.error(
                "difficulty",
                gettext_noop("Unknown difficulty: %(value)s"),
                value=row.get("difficulty"),
            )
    options = [row.get(key) for key in OPTION_KEYS]
    while options and not options[-1]:
        options.pop()
    if any(not o for o in options):
        row.error(
            "option_A", gettext_noop("Options must be filled from A without gaps.")
        )
    if kind is None or row.errors:
        return None
    if kind in (QuestionKind.TRUE_FALSE, QuestionKind.FILL_IN) and options:
        row.error("option_A", PROBLEM_MESSAGES["fill_in_no_options"])
        return None
    answer = _answer_text(kind, row.get("answer"))
    count = 2 if kind == QuestionKind.TRUE_FALSE else len(options)
    problem = question_problem(kind=kind, option_count=count, answer=answer)
    if problem:
        row.error("answer", PROBLEM_MESSAGES[problem])
        return None
    return Question(
        bank=bank,
        kind=kind,
        prompt=row.get("prompt"),
        options="\n".join(options),
        answer=answer,
        explanation=row.get("explanation"),
        category=row.get("category")[:100],
        difficulty=difficulty,
    )


@transaction.atomic
def question_bank_import(
    *, bank: QuestionBank, name: str, content: bytes, sheet: str = ""
) -> int:
    """Add the questions of a spreadsheet (its first sheet, or `sheet`) to `bank`;
    ImportFailed with every bad row (nothing written) if any is bad. Returns the
    number of questions added."""
    table = read_table(
        name,
        content,
        COLUMNS,
        identifying=["prompt", "kind"],
        sheet=sheet,
        identifies=bool,
    )
    rows = table.rows
    missing = missing_columns(table, REQUIRED)
    if not rows or missing:
        head = Row(number=1, values={})
        head.error(
            ",".join(missing) or "-",
            gettext_noop("Missing columns: %(columns)s")
            if missing
            else gettext_noop("The file has no rows."),
            **({"columns": ", ".join(missing)} if missing else {}),
        )
        raise ImportFailed(head.errors, table.ignored)
    kinds = choice_lookup(QuestionKind.choices, KIND_ALIASES)
    difficulties = choice_lookup(Difficulty.choices, {"简单": "easy", "困难": "hard"})
    questions = [_question(row, bank, kinds, difficulties) for row in rows]
    errors = [e for row in rows for e in row.errors]
    if errors:
        raise ImportFailed(errors, table.ignored)
    Question.objects.bulk_create(questions, batch_size=1000)
    return len(questions)


def question_bank_export(*, bank: QuestionBank) -> bytes:
    """The bank as the XLSX template (answers as letters, 对/错, or texts)."""

    def letters(answer: str) -> str:
        return "".join(LETTERS[int(n) - 1] for n in answer.split(","))

    def row(q: Question):
        options = q.options.splitlines() if q.kind in ("single", "multiple") else []
        if q.kind == QuestionKind.TRUE_FALSE:
            answer = "对" if q.answer.strip() == "1" else "错"
        elif q.kind == QuestionKind.FILL_IN:
            answer = q.answer
        else:
            answer = letters(q.answer)
        cells = [KIND_LABELS[q.kind], q.prompt]
        cells += [*options, *[""] * (len(LETTERS) - len(options))]
        cells += [answer, q.explanation, q.category, DIFFICULTY_LABELS[q.difficulty]]
        return cells

    questions = bank.questions.order_by("id").iterator(chunk_size=2000)
    return write_table("xlsx", HEADERS, (row(q) for q in questions))
