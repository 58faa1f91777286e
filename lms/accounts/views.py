from celery import current_app
from django.contrib.auth import views as auth_views
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


def landing(request):
    """The front door at /: what the platform is, sign in, verify a certificate."""
    return render(request, "landing.html")


@never_cache
def healthz(request):
    """200 when the database and the broker answer, 503 otherwise, with each state."""
    state = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        state["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - report any failure as a state
        state["database"] = f"error: {type(exc).__name__}"
    try:
        with current_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        state["broker"] = "ok"
    except Exception as exc:  # noqa: BLE001
        state["broker"] = f"error: {type(exc).__name__}"
    healthy = all(value == "ok" for value in state.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **state},
        status=200 if healthy else 503,
    )
