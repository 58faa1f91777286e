"""Drawing and grading a 50-question test from a bank of 5,000: server time of one
attempt (draw the paper, submit 50 answers, grade, credit a pass), against the same
attempt on a fixed 50-question paper (a bank of exactly 50: the per-lesson test of
before) in the same run. Goal: under 50 ms.

    .venv/bin/python benchmarks/drawn_tests.py [--bank 5000] [--questions 50] [--runs 30]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lms_banks .venv/bin/python …

The bank holds single, multiple, true/false and fill-in questions in four categories;
the test draws by four rules (e.g. 20 single-choice from 社区治理). Each run is a new
worker, so every attempt draws, saves and grades (and a pass writes its credit).
"""

import argparse
import random
import statistics
import time

from _bench import bench_database

CATEGORIES = ["社区治理", "政策法规", "党建引领", "社会工作"]
KINDS = ["single", "multiple", "true_false", "fill_in"]


def build_bank(org, size: int):
    from courses.models import Question, QuestionBank

    bank = QuestionBank.objects.create(title=f"题库{size}", org=org)
    rows = []
    for i in range(size):
        kind = KINDS[i % 4]
        rows.append(
            Question(
                bank=bank,
                kind=kind,
                prompt=f"第{i}题：社区工作者培训相关问题{i}",
                options="" if kind in ("true_false", "fill_in") else "甲\n乙\n丙\n丁",
                answer={"single": "2", "multiple": "1,3", "true_false": "1"}.get(
                    kind, "网格"
                ),
                category=CATEGORIES[(i // 4) % 4],
                explanation="解析",
            )
        )
    Question.objects.bulk_create(rows, batch_size=1000)
    return bank


def one_attempt(test, worker):
    """Server time of drawing the paper and of grading 49 right answers and one
    wrong (the worker's answering is not timed; a pass mark of 100 keeps the
    ledger write and the certificate task, both outside grading, out of it)."""
    from courses.services import exams
    from tests.courses.factories import right_answers

    start = time.perf_counter()
    attempt = exams.test_attempt_start(worker=worker, lesson=test)
    drawn = time.perf_counter() - start
    answers = right_answers(attempt, wrong={attempt.questions[0][0]})
    start = time.perf_counter()
    attempt = exams.test_attempt_submit(worker=worker, lesson=test, answers=answers)
    graded = time.perf_counter() - start
    assert attempt.score == 98 and len(attempt.questions) == test.n
    return drawn + graded


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bank", type=int, default=5000)
    parser.add_argument("--questions", type=int, default=50)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    with bench_database() as vendor:
        from courses.services import course_library_ensure
        from tests.courses.factories import make_course, make_test
        from tests.org.factories import make_tree
        from tests.people.factories import WorkerFactory

        tree = make_tree()
        course_library_ensure()
        course = make_course(tree["city"])
        big = build_bank(tree["city"], args.bank)
        small = build_bank(tree["city"], args.questions)
        per_rule = args.questions // 4
        rules = [
            {"bank": big, "count": per_rule, "kind": k, "category": c}
            for k, c in zip(KINDS, CATEGORIES, strict=True)
        ]
        rules[0]["count"] += args.questions - 4 * per_rule
        drawn = make_test(course, [], rules=rules, title="抽题测验", pass_mark=100)
        fixed = make_test(
            course,
            [],
            rules=[{"bank": small, "count": args.questions}],
            title="固定",
            pass_mark=100,
        )
        drawn.n = fixed.n = args.questions
        rng_workers = [
            WorkerFactory(community=tree["community11"]) for _ in range(2 * args.runs)
        ]
        random.shuffle(rng_workers)
        times = {"drawn": [], "fixed": []}
        for i in range(args.runs):  # interleaved, so both see the same machine
            times["fixed"].append(one_attempt(fixed, rng_workers[2 * i]))
            times["drawn"].append(one_attempt(drawn, rng_workers[2 * i + 1]))
        fixed_ms = statistics.median(times["fixed"]) * 1000
        drawn_ms = statistics.median(times["drawn"]) * 1000
        print(f"database: {vendor}; {args.runs} attempts each, median server time")
        print(f"baseline: fixed {args.questions}-question paper: {fixed_ms:.1f} ms")
        print(
            f"drawn {args.questions} from a bank of {args.bank}: {drawn_ms:.1f} ms "
            f"(p95 {sorted(times['drawn'])[int(0.95 * args.runs) - 1] * 1000:.1f} ms)"
        )
        print(
            f"ratio drawn/fixed: {drawn_ms / fixed_ms:.2f}; goal < 50 ms: "
            f"{'met' if drawn_ms < 50 else 'NOT met'}"
        )


if __name__ == "__main__":
    main()
