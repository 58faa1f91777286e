"""Lesson heartbeats at the rate of 2,000 learners (200 beats/s), with every check of
the play session (server-opened session bound to worker, lesson and device; rising beat
numbers; one active playback; the session's real-time clock; presence prompts; the
daily cap; questions inside the video), against a trivial view in the same run.

Builds its own PostgreSQL database (LOAD_DB, default lms_heartbeat_load) with a demo
city and 2,000 signed-in learners who each have a play session of a video lesson open
(load/prepare.py), starts gunicorn (deploy/gunicorn.conf.py: sync workers, as many as
its production default for this machine, 2 × cores + 1, or --web-workers) on
LOAD_HOST (default 127.0.0.1:8016) with Redis as cache, then, in two phases of the same
run:

1. the baseline: N clients, each requesting a trivial view (a JSON 404 under /api/v1/:
   the whole middleware stack, no view work) once every 10 s;
2. the heartbeats: N signed-in learners, each sending the lesson player's heartbeat
   (POST /learn/lessons/<id>/heartbeat/, session and device cookies and CSRF, the
   play session, the next beat number, the 10 s just played) once every 10 s, as
   the player does. Each starts at a random point of the
   lesson and plays on (from the start again after the end), so many complete it
   during the run: their heartbeat also writes the ledger credit.

The clients are coroutines on one event loop (a thread per client would measure
the client's own lock contention), one connection per request, started spread over
the period (an open loop: a slow answer does not slow the arrivals). Rate limits stay
on (each learner is counted as themself, far under the limit). Prints requests,
p50/p95/p99 and errors per phase, then the heartbeat p95 against the goal (< 50 ms
with no errors) and as a ratio to the trivial view's p95.

    LOAD_DB=lms_player_heartbeat .venv/bin/python benchmarks/heartbeats.py \
        [--learners 2000] [--seconds 60] [--reuse-db]

Needs PostgreSQL and Redis on 127.0.0.1 (see docs/deployment.md).
"""

import argparse
import asyncio
import json
import os
import random
import secrets
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "load"))
os.environ.setdefault("LOAD_DB", "lms_heartbeat_load")

from server import DB, HOST, build_database, gunicorn, server_env  # noqa: E402

PERIOD = 10  # seconds between one learner's heartbeats
WARM_UP = PERIOD + 5
P95_GOAL_MS = 50


def phase(requests, seconds: int) -> dict:
    """Run each client's request (a coroutine function → None or why it failed)
    every PERIOD seconds for WARM_UP + `seconds`; keep what started in the
    measured window."""
    return asyncio.run(_phase(requests, seconds))


async def _phase(requests, seconds: int) -> dict:
    started = time.monotonic()
    window = (started + WARM_UP, started + WARM_UP + seconds)
    samples, errors = [], {}

    async def client(request):
        await asyncio.sleep(random.uniform(0, PERIOD))
        while (t0 := time.monotonic()) < window[1]:
            try:
                error = await asyncio.wait_for(request(), timeout=30)
            except (OSError, TimeoutError) as exc:
                error = repr(exc)
            elapsed = time.monotonic() - t0
            if t0 >= window[0]:
                samples.append(elapsed)
                if error:
                    errors[error] = errors.get(error, 0) + 1
            await asyncio.sleep(max(0.0, PERIOD - elapsed))

    await asyncio.gather(*(client(r) for r in requests))
    samples.sort()

    def pct(q):
        return samples[min(len(samples) - 1, int(len(samples) * q))] * 1000

    return {
        "requests": len(samples),
        "rps": len(samples) / seconds,
        "p50": pct(0.50),
        "p95": pct(0.95),
        "p99": pct(0.99),
        "max": samples[-1] * 1000,
        "failures": sum(errors.values()),
        "errors": errors,
    }


async def call(method: str, path: str, body=b"", headers=None, expect=200):
    """One HTTP/1.1 request on a new connection; None when the status is
    `expect`, else why."""
    host, port = HOST.rsplit(":", 1)
    reader, writer = await asyncio.open_connection(host, int(port))
    try:
        head = {
            "Host": HOST,
            "Connection": "close",
            "Content-Length": str(len(body)),
            **(headers or {}),
        }
        lines = [f"{method} {path} HTTP/1.1"] + [f"{k}: {v}" for k, v in head.items()]
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        await writer.drain()
        response = await reader.read()
    finally:
        writer.close()
    status = int(response.split(b" ", 2)[1]) if response else 0
    if status != expect:
        payload = response.partition(b"\r\n\r\n")[2]
        return f"HTTP {status}: {payload[:100]!r}"
    return None


def trivial():
    return call("GET", "/api/v1/baseline", expect=404)


def learner(session_key: str, play: dict, lesson_id: int, duration: int):
    csrf = secrets.token_hex(16)  # a 32-character secret, as Django's cookie holds
    headers = {
        "Cookie": (
            f"sessionid={session_key}; csrftoken={csrf}; lms_device={play['device']}"
        ),
        "X-CSRFToken": csrf,
        "Content-Type": "application/json",
    }
    position = random.randrange(0, max(duration, PERIOD), PERIOD)
    # Beat numbers keep rising across runs on a reused database (one a second at
    # most, fewer than the seconds since the previous run started).
    seq = int(time.time()) - 1_700_000_000

    def heartbeat():
        nonlocal position, seq
        if position >= duration:  # watched to the end: again from the start
            position = 0
        start, position = position, position + PERIOD
        seq += 1
        body = json.dumps(
            {
                "session": play["session"],
                "seq": seq,
                "position": position,
                "played": [[start, position]],
            }
        ).encode()
        return call("POST", f"/learn/lessons/{lesson_id}/heartbeat/", body, headers)

    return heartbeat


def report(name: str, row: dict) -> None:
    print(
        f"  {name:>10}: {row['requests']:,} requests ({row['rps']:.1f}/s)  "
        f"p50={row['p50']:.1f} ms  p95={row['p95']:.1f} ms  p99={row['p99']:.1f} ms  "
        f"max={row['max']:.0f} ms  errors={row['failures']}",
        flush=True,
    )
    for error, n in row["errors"].items():
        print(f"      {n} × {error}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=2000)
    parser.add_argument("--seconds", type=int, default=60, help="measured per phase")
    parser.add_argument("--workers", type=int, default=2500, help="demo city size")
    parser.add_argument("--reuse-db", action="store_true")
    parser.add_argument(
        "--web-workers",
        type=int,
        default=os.cpu_count() * 2 + 1,
        help="gunicorn sync workers (default: deploy/gunicorn.conf.py's own)",
    )
    args = parser.parse_args()
    plan_path = Path(tempfile.gettempdir()) / f"{DB}-plan.json"
    env = server_env(str(plan_path))
    env.pop("RATE_LIMIT_HEARTBEAT")  # the real limit, counted per learner
    env.update(GUNICORN_WORKERS=str(args.web_workers), GUNICORN_THREADS="1")
    if not (args.reuse_db and plan_path.exists()):
        build_database(env, args.workers, str(plan_path), users=args.learners)
    plan = json.loads(plan_path.read_text())
    if plan["lesson_id"] is None:
        sys.exit("The demo has no video lesson to play.")
    sessions = plan["sessions"][: args.learners]
    if len(sessions) < args.learners:
        sys.exit(f"The plan has {len(sessions)} learners; rebuild without --reuse-db.")
    with gunicorn(env):
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(
            f"gunicorn {args.web_workers} sync workers, PostgreSQL, Redis; "
            f"{args.learners} clients, one "
            f"request each every {PERIOD}s; {WARM_UP}s warm-up, {args.seconds}s "
            f"measured per phase; load average {load} on {os.cpu_count()} cores",
            flush=True,
        )
        base = phase([trivial] * args.learners, args.seconds)
        report("trivial", base)
        lesson = plan["lesson_id"], plan["lesson_seconds"]
        plays = plan["plays"][: args.learners]
        beats = phase(
            [learner(s, p, *lesson) for s, p in zip(sessions, plays, strict=True)],
            args.seconds,
        )
        report("heartbeat", beats)
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"load average at the end: {load}", flush=True)
    ok = beats["p95"] < P95_GOAL_MS and beats["failures"] == 0
    print(
        f"\nheartbeats: p95 {beats['p95']:.1f} ms at {beats['rps']:.1f} req/s with "
        f"{beats['failures']} errors; trivial view p95 {base['p95']:.1f} ms; ratio "
        f"{beats['p95'] / base['p95']:.2f}x; goal p95 < {P95_GOAL_MS} ms with no "
        f"errors: {'OK' if ok else 'MISSED'}"
    )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
