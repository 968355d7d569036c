"""Public views of the hub's operations: the knowledge signal form."""

import logging

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core.ratelimit import allow
from operations.forms import KnowledgeSignalForm
from operations.services import submit_knowledge_signal

logger = logging.getLogger(__name__)

SIGNAL_RATE_LIMIT = 5
SIGNAL_RATE_WINDOW_SECONDS = 60 * 60
RATE_LIMIT_MESSAGE = (
    "U heeft het afgelopen uur al {limit} signalen verstuurd. Dat is het maximum per uur, om "
    "misbruik te voorkomen. Probeer het over een uur opnieuw, of mail ons op "
    "innovatiehub@vng.example."
)


@require_http_methods(["GET", "HEAD", "POST"])
def knowledge_signal(request: HttpRequest) -> HttpResponse:
    """Show the form; on POST check spam and the rate limit, then hand over to the service."""
    if request.method in ("GET", "HEAD"):
        return render(
            request, "operations/knowledge_signal_form.html", {"form": KnowledgeSignalForm()}
        )
    form = KnowledgeSignalForm(request.POST)
    if not allow(
        request,
        scope="knowledge-signal",
        limit=SIGNAL_RATE_LIMIT,
        window_seconds=SIGNAL_RATE_WINDOW_SECONDS,
    ):
        context = {"form": form, "rate_limited": RATE_LIMIT_MESSAGE.format(limit=SIGNAL_RATE_LIMIT)}
        return render(request, "operations/knowledge_signal_form.html", context, status=429)
    if form.is_valid():
        if form.is_spam():
            logger.info("Kennissignaal genegeerd: het verborgen veld was ingevuld.")
            return redirect("operations:knowledge_signal_thanks")
        try:
            submit_knowledge_signal(**form.service_arguments())
        except ValidationError as error:
            form.add_service_errors(error.message_dict)
        else:
            return redirect("operations:knowledge_signal_thanks")
    return render(request, "operations/knowledge_signal_form.html", {"form": form}, status=400)


def knowledge_signal_thanks(request: HttpRequest) -> HttpResponse:
    """The page a sender lands on after a signal was received."""
    return render(request, "operations/knowledge_signal_thanks.html")
