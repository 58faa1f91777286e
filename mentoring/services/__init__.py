"""Every write of mentoring, one module a concern: placements, questions, pairs,
pool, and the reminders they send (notifications)."""
