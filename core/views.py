from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from cooperations.models import Cooperation
from structures.models import Structure


def home(request):
    published = Cooperation.objects.published()
    context = {
        "cooperation_count": published.count(),
        "structure_count": Structure.objects.count(),
        "latest": published.order_by("-published_at")[:6],
    }
    return render(request, "core/home.html", context)


@never_cache
def healthz(request):
    """For the load balancer: 200 when this server can reach the database, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
