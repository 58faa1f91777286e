"""Mentoring: studios, mentors and shadowing placements, ask an expert, pairs, the
pool; one module a concern, mounted here.

Administrators read their subtree; a worker reads their own placements; a mentor reads
the placements they host and records and signs them off (`/me/mentoring`)."""

from ninja import Router

from . import pairs, placements, pool, questions

router = Router(tags=["mentoring"])
me_router = Router(tags=["me"])
for part in (placements, questions, pairs, pool):
    router.add_router("", part.router)
for part in (placements, questions, pairs):
    me_router.add_router("", part.me_router)
