"""A learner's player driven through the services, on a clock the test controls."""

import datetime as dt

from courses.services import (
    checkpoint_answer,
    checkpoint_show,
    play_session_beat,
    play_session_open,
    play_token_issue,
    presence_prompt_confirm,
)

# A Monday, 10:00 in Shanghai: tests never read the wall clock.
START = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)


class Player:
    """One play session of `worker` on `lesson`; `now` advances with each call."""

    def __init__(self, worker, lesson, *, now=START, device="device-one-0001"):
        self.worker, self.lesson, self.device, self.now = worker, lesson, device, now
        self.seq = 0
        self.session = self.open()

    def open(self, token=None):
        token = token or play_token_issue(
            worker=self.worker, lesson=self.lesson, device=self.device
        )
        self.seq = 0
        self.session = play_session_open(
            user_id=self.worker.user_id,
            lesson_id=self.lesson.pk,
            token=token,
            device=self.device,
            ip_address="10.0.0.8",
            now=self.now,
        )
        return self.session

    def beat(self, played, *, after=10, seq=None, position=None, **flags):
        if position is None:
            last = played[-1] if isinstance(played, list) and played else [0, 0]
            position = last[-1] if isinstance(last, list) else 0
        self.now += dt.timedelta(seconds=after)
        self.seq = self.seq + 1 if seq is None else seq
        return play_session_beat(
            user_id=self.worker.user_id,
            lesson_id=self.lesson.pk,
            session_id=self.session.pk,
            seq=self.seq,
            position=position,
            played=played,
            device=self.device,
            now=self.now,
            **flags,
        )

    def watch(self, start, end, *, step=10, stop=True, present=True):
        """Play [start, end) in real time, a beat every `step` seconds, confirming
        each presence prompt 3 s after it shows (unless not `present`); pause at
        the end (which commits what was played)."""
        beat = None
        for s in range(start, end, step):
            e = min(end, s + step)
            last = e == end
            beat = self.beat([[s, e]], after=e - s, paused=last and stop)
            if present and beat.prompt_deadline is not None:
                self.confirm(after=3)
        return beat

    def confirm(self, *, after=5):
        self.now += dt.timedelta(seconds=after)
        return presence_prompt_confirm(
            user_id=self.worker.user_id,
            lesson_id=self.lesson.pk,
            session_id=self.session.pk,
            device=self.device,
            now=self.now,
        )

    def show(self, checkpoint):
        """`checkpoint`: a VideoCheckpoint, or the key of a question drawn from
        the bank ("b<id>")."""
        return checkpoint_show(
            user_id=self.worker.user_id,
            lesson_id=self.lesson.pk,
            session_id=self.session.pk,
            checkpoint_id=getattr(checkpoint, "pk", checkpoint),
            device=self.device,
            now=self.now,
        )

    def answer(self, checkpoint, chosen=None, *, text=None):
        return checkpoint_answer(
            user_id=self.worker.user_id,
            lesson_id=self.lesson.pk,
            session_id=self.session.pk,
            checkpoint_id=getattr(checkpoint, "pk", checkpoint),
            chosen=chosen,
            text=text,
            device=self.device,
            now=self.now,
        )
