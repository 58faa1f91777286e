"""Mentoring reminders: in the portal and by e-mail."""

from django.conf import settings
from django.core.mail import send_mail

from lms.compliance.models import Notification


def notifications_send(
    *, users, kind: str, title: str, body: str, link: str, period: str, org
):
    """A portal notification to each of `users` (shown on their home) and the same
    by e-mail to those with an address."""
    Notification.objects.bulk_create(
        [
            Notification(
                recipient=user,
                kind=kind,
                org=org,
                period=period,
                title=title[:200],
                body=body,
                link=link,
                emailed=bool(user.email),
            )
            for user in users
        ]
    )
    emails = [u.email for u in users if u.email]
    if emails:
        send_mail(
            title,
            f"{body}\n\n{settings.SITE_URL}{link}",
            None,
            emails,
            fail_silently=True,
        )
