"""Load test: the requests per second held at p95 < 200 ms with zero errors.

Builds its own PostgreSQL database (lms_api_load) with a demo city, starts gunicorn
(deploy/gunicorn.conf.py, GUNICORN_WORKERS, default 3) on 127.0.0.1:8016 with Redis
as cache, then drives locust in-process in steps of concurrent users for two user
classes in the same run:

- the realistic mix (locustfile.PortalWorker): portal pages (my file, my classes, my
  training days, the course catalogue), lesson heartbeats through the API, QR
  check-ins through the API, public certificate verification, API reads by token;
- the baseline (locustfile.Baseline): a trivial view through the same stack.

For each it prints every step and the highest requests/s whose p95 stayed under
200 ms with zero errors, and the ratio mix/baseline. Rate limits are switched off for
the run (they would count all simulated users as one address).

    .venv/bin/python benchmarks/load/run.py [--workers 2000] [--steps 4,8,16,24,32,48,64,96] [--seconds 20]

Needs PostgreSQL and Redis on 127.0.0.1 (see docs/deployment.md).
"""

from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402
from locust.env import Environment  # noqa: E402
from server import DB, HOST, build_database, gunicorn, server_env  # noqa: E402

P95_LIMIT_MS = 200


def measure(user_class, steps, seconds) -> list[dict]:
    results = []
    for users in steps:
        env = Environment(user_classes=[user_class], host=f"http://{HOST}")
        runner = env.create_local_runner()
        import locustfile

        locustfile.ready["count"] = 0
        runner.start(users, spawn_rate=max(users, 1))
        deadline = time.monotonic() + 120
        while locustfile.ready["count"] < users and time.monotonic() < deadline:
            gevent.sleep(0.2)  # sign-ins are not part of the measured mix
        gevent.sleep(1)
        env.stats.reset_all()
        started = time.monotonic()
        gevent.sleep(seconds)
        elapsed = time.monotonic() - started
        total = env.stats.total
        row = {
            "users": users,
            "requests": total.num_requests,
            "rps": total.num_requests / elapsed,
            "p95_ms": total.get_response_time_percentile(0.95) or 0,
            "p50_ms": total.get_response_time_percentile(0.5) or 0,
            "failures": total.num_failures,
            "by_name": {
                name: (s.num_requests, s.get_response_time_percentile(0.95))
                for (name, _method), s in env.stats.entries.items()
            },
        }
        runner.quit()
        results.append(row)
        print(
            f"  {user_class.__name__:>12} users={users:>3}  {row['rps']:7.1f} req/s  "
            f"p50={row['p50_ms']:.0f} ms  p95={row['p95_ms']:.0f} ms  "
            f"failures={row['failures']}",
            flush=True,
        )
        if row["p95_ms"] >= P95_LIMIT_MS or row["failures"]:
            break
    return results


def held(results) -> dict | None:
    ok = [r for r in results if r["p95_ms"] < P95_LIMIT_MS and r["failures"] == 0]
    return max(ok, key=lambda r: r["rps"]) if ok else None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=2000, help="demo city size")
    parser.add_argument("--steps", default="4,8,16,24,32,48,64,96")
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--reuse-db", action="store_true")
    parser.add_argument(
        "--think", default="0.1,0.3", help="seconds between a user's requests"
    )
    args = parser.parse_args()
    think_min, think_max = args.think.split(",")
    os.environ["LOAD_THINK_MIN"], os.environ["LOAD_THINK_MAX"] = think_min, think_max
    steps = [int(s) for s in args.steps.split(",")]
    plan_path = str(Path(tempfile.gettempdir()) / f"{DB}-plan.json")
    env = server_env(plan_path)
    os.environ["LOAD_PLAN"] = plan_path
    if not (args.reuse_db and Path(plan_path).exists()):
        build_database(env, args.workers, plan_path, users=max(steps))
    with gunicorn(env):
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from locustfile import Baseline, PortalWorker

        print(
            f"gunicorn {env['GUNICORN_WORKERS']} workers, PostgreSQL, Redis; "
            f"{args.seconds}s per step; p95 limit {P95_LIMIT_MS} ms"
        )
        baseline = measure(Baseline, steps, args.seconds)
        mix = measure(PortalWorker, steps, args.seconds)
    best_mix, best_base = held(mix), held(baseline)
    if best_mix:
        print("\nRealistic mix at its best step, per request kind (requests, p95 ms):")
        for name, (n, p95) in sorted(best_mix["by_name"].items()):
            print(f"  {name:<32} {n:>6} {p95:>6.0f}")
    print()
    if best_mix and best_base:
        print(
            f"HELD: {best_mix['rps']:.1f} req/s of the realistic mix at p95 "
            f"{best_mix['p95_ms']:.0f} ms (< {P95_LIMIT_MS} ms), 0 errors, "
            f"{best_mix['users']} users; baseline trivial view {best_base['rps']:.1f} "
            f"req/s at p95 {best_base['p95_ms']:.0f} ms; ratio mix/baseline "
            f"{best_mix['rps'] / best_base['rps']:.2f}"
        )
    else:
        print("No step held p95 < 200 ms with zero errors:", json.dumps(mix)[:500])
        sys.exit(1)


if __name__ == "__main__":
    main()
