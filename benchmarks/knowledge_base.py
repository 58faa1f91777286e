"""The knowledge base (常见问题) search over 20,000 threads: server time of
/mentoring/faq/?q= through the whole Django stack, against the same search without
the word index (a LIKE scan of every thread) and a trivial view, in the same run.

    .venv/bin/python benchmarks/knowledge_base.py [--threads 20000] [--runs 20]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lms_mentoring .venv/bin/python …

Goal on PostgreSQL: under 100 ms, and any two-character word of a thread's title or
body finds it (checked for a sample of threads below).
"""

import argparse
import random
import statistics
import time

from _bench import bench_database

# Two-character words of community work; threads are drawn from them.
WORDS = (
    "小区 物业 议事 居民 协商 党建 网格 楼栋 院落 改造 更新 空间 营造 组织 培育 社企 食堂 养老 "
    "托育 就业 调解 纠纷 矛盾 法律 志愿 服务 活动 阵地 报表 台账 减负 增效 社工 专业 个案 小组 "
    "资源 链接 基金 公益 创投 项目 申报 评估 绩效 考核 培训 学习 跟班 导师 带教 经验 案例 方法 "
    "安全 消防 应急 防汛 卫生 环境 垃圾 分类 停车 充电 加装 电梯 老旧 管线 绿化 文化 教育 青少 "
    "儿童 老人 残疾 困难 救助 低保 医保 社保 人口 流动 租户 商户 业委 业主 选举 换届 两委 书记"
).split()


def build(count: int, rng: random.Random) -> list[tuple[int, str]]:
    from mentoring.models import Question
    from mentoring.rules import bigrams
    from tests.org.factories import make_tree
    from tests.people.factories import WorkerFactory

    tree = make_tree()
    asker = WorkerFactory(community=tree["community11"])
    rows, probes = [], []
    for n in range(count):
        title = "".join(rng.sample(WORDS, 4)) + f"第{n}号"
        body = "，".join("".join(rng.sample(WORDS, 3)) for _ in range(5)) + "。"
        q = Question(
            asker=asker,
            title=title,
            body=body,
            tags="、".join(rng.sample(WORDS, 2)),
            status="answered",
            in_knowledge_base=True,
        )
        q.search_text = " ".join(sorted(bigrams(f"{title} {body}")))
        rows.append(q)
    Question.objects.bulk_create(rows, batch_size=2000)
    for q in rng.sample(list(Question.objects.all()), 20):
        words = sorted(bigrams(q.title + q.body))
        probes.append((q.pk, rng.choice(words)))
    return probes


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with bench_database() as vendor:
        from django.db import connection
        from django.db.models import Q
        from django.test import Client

        from mentoring import selectors
        from mentoring.models import Question
        from tests.people.factories import UserFactory

        rng = random.Random(2026)
        t0 = time.perf_counter()
        probes = build(args.threads, rng)
        if vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE mentoring_question")
        print(
            f"{vendor}: {args.threads} threads built in {time.perf_counter() - t0:.1f}s"
        )

        # Any two-character word of a thread finds it.
        for pk, word in probes:
            found = selectors.knowledge_base_search(word, limit=100000)[0]
            assert pk in {q.pk for q in found}, (pk, word)
        print(f"found {len(probes)} sampled threads each by one of their words")

        from django.core.signals import request_finished, request_started
        from django.db import close_old_connections

        # Keep the connection across requests, so that queries are counted.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        client = Client()
        client.force_login(UserFactory(username="bench"))
        queries = ["物业", "老旧小区", "议事协商", "志愿服务活动", "电梯第1234号"]

        def median_ms(fn) -> float:
            times = []
            for _ in range(args.runs):
                start = time.perf_counter()
                fn()
                times.append((time.perf_counter() - start) * 1000)
            return statistics.median(times)

        def count_queries(fn) -> int:
            # A wrapper around every query (CaptureQueriesContext reads
            # connection.queries, which each request resets: it counted 0).
            calls = []

            def wrapper(execute, sql, params, many, context):
                calls.append(sql)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(wrapper):
                fn()
            return len(calls)

        def search(q):
            response = client.get("/mentoring/faq/", {"q": q})
            assert response.status_code == 200

        def scan(q):
            # The plain search without the index: a LIKE test of every thread.
            qs = Question.objects.filter(in_knowledge_base=True).filter(
                Q(title__contains=q) | Q(body__contains=q)
            )
            list(qs.order_by("-created_at")[:20]), qs.count()

        client.get("/healthz")
        trivial = median_ms(lambda: client.get("/healthz"))
        print(f"trivial view /healthz: {trivial:.1f} ms")
        for q in queries:
            queries_per_search = count_queries(lambda q=q: search(q))
            indexed = median_ms(lambda q=q: search(q))
            naive = median_ms(lambda q=q: scan(q))
            count = selectors.knowledge_base_search(q)[1]
            print(
                f"q={q!r}: {count} threads, {indexed:.1f} ms server time "
                f"({queries_per_search} queries); unindexed scan {naive:.1f} ms "
                f"(x{naive / indexed:.1f}); x{indexed / trivial:.1f} the trivial view"
            )


if __name__ == "__main__":
    main()
