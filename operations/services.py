"""Writes of the hub's operations: certifying specialists, receiving and triaging knowledge signals."""

import datetime
import logging
from typing import cast

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core import roles
from core.mail import one_line_subject
from operations.choices import (
    DECIDED_SIGNAL_STATUSES,
    CertificationRole,
    OrganisationKind,
    SignalStatus,
)
from operations.models import Certification, KnowledgeSignal, Specialist
from products.models import ProductPage, Region

logger = logging.getLogger(__name__)

TOPIC_MAX_LENGTH = 200
DESCRIPTION_MIN_LENGTH = 20
DESCRIPTION_MAX_LENGTH = 5000
CONTACT_NAME_MAX_LENGTH = 200
# The column's own length (an EmailField's is 254).
CONTACT_EMAIL_MAX_LENGTH = cast(int, KnowledgeSignal._meta.get_field("contact_email").max_length)


def validate_certification(
    *,
    specialist: Specialist | None,
    product: ProductPage | None,
    certified_on: datetime.date | None,
    valid_until: datetime.date | None,
    certified_by: Specialist | None,
    exclude_pk: int | None = None,
) -> None:
    """Raise a Dutch ValidationError unless this certification may be granted (train-de-trainer).

    The certifier must hold a trainer certification for the same product that is valid on the
    certification date. Only when a product has no valid trainer at all may the hub itself
    certify its first trainer (certified_by left empty).
    """
    errors: dict[str, str] = {}
    if certified_on and valid_until and valid_until < certified_on:
        errors["valid_until"] = "De einddatum van de geldigheid ligt vóór de certificeringsdatum."
    if specialist is not None and certified_by is not None and specialist.pk == certified_by.pk:
        errors["certified_by"] = "Een specialist kan zichzelf niet certificeren."
    if product is not None and certified_on is not None and "certified_by" not in errors:
        trainers = Certification.objects.filter(
            product=product, role=CertificationRole.TRAINER
        ).valid_on(certified_on)
        if exclude_pk is not None:
            trainers = trainers.exclude(pk=exclude_pk)
        if certified_by is not None:
            if not trainers.filter(specialist=certified_by).exists():
                errors["certified_by"] = (
                    f"{certified_by.name} is op {certified_on:%d-%m-%Y} geen geldige trainer voor "
                    f"'{product.title}'. Alleen een specialist met een geldige trainerscertificering "
                    "voor dit product mag anderen ervoor certificeren (train-de-trainer)."
                )
        elif trainers.exists():
            errors["certified_by"] = (
                f"'{product.title}' heeft al een geldige trainer. Kies de trainer die deze "
                "certificering heeft gegeven; alleen de eerste trainer van een product certificeert "
                "de hub zelf."
            )
    if errors:
        raise ValidationError(errors)


def certify_specialist(
    *,
    specialist: Specialist,
    product: ProductPage,
    role: str,
    certified_on: datetime.date,
    valid_until: datetime.date,
    certified_by: Specialist | None,
) -> Certification:
    """Record that `certified_by` certified `specialist` for `product`; refuse unless allowed."""
    if role not in CertificationRole.values:
        raise ValidationError({"role": "Kies als rol 'uitvoerder' of 'trainer'."})
    certification = Certification(
        specialist=specialist,
        product=product,
        role=role,
        certified_on=certified_on,
        valid_until=valid_until,
        certified_by=certified_by,
    )
    certification.full_clean()
    certification.save()
    return certification


def _signal_errors(
    *,
    region_code: str,
    organisation_kind: str,
    topic: str,
    description: str,
    contact_name: str,
    contact_email: str,
) -> tuple[dict[str, str], Region | None]:
    errors: dict[str, str] = {}
    region = None
    if not region_code:
        errors["region_code"] = "Kies de arbeidsmarktregio waar het signaal vandaan komt."
    else:
        region = Region.objects.filter(code=region_code).first()
        if region is None:
            errors["region_code"] = (
                f"'{region_code}' is geen bekende arbeidsmarktregio. Kies een van de 35 regio's."
            )
    if organisation_kind not in OrganisationKind.values:
        *others, last = [str(label) for label in OrganisationKind.labels]
        kinds = f"{', '.join(others)} of {last}"
        errors["organisation_kind"] = f"Kies het soort organisatie: {kinds}."
    if not topic:
        errors["topic"] = "Geef het signaal een onderwerp."
    elif len(topic) > TOPIC_MAX_LENGTH:
        errors["topic"] = f"Het onderwerp is te lang: hoogstens {TOPIC_MAX_LENGTH} tekens."
    if len(description) < DESCRIPTION_MIN_LENGTH:
        errors["description"] = (
            f"Beschrijf de behoefte of het inzicht in ten minste {DESCRIPTION_MIN_LENGTH} tekens."
        )
    elif len(description) > DESCRIPTION_MAX_LENGTH:
        errors["description"] = (
            f"De omschrijving is te lang: hoogstens {DESCRIPTION_MAX_LENGTH} tekens."
        )
    if len(contact_name) > CONTACT_NAME_MAX_LENGTH:
        errors["contact_name"] = f"De naam is te lang: hoogstens {CONTACT_NAME_MAX_LENGTH} tekens."
    if len(contact_email) > CONTACT_EMAIL_MAX_LENGTH:
        errors["contact_email"] = (
            f"Het e-mailadres is te lang: hoogstens {CONTACT_EMAIL_MAX_LENGTH} tekens."
        )
    elif contact_email:
        try:
            validate_email(contact_email)
        except ValidationError:
            errors["contact_email"] = "Vul een geldig e-mailadres in, of laat het veld leeg."
    return errors, region


def signal_notification_recipients() -> list[str]:
    """Who hears of a new signal: KNOWLEDGE_SIGNAL_RECIPIENTS, else the active coordinators."""
    configured = getattr(settings, "KNOWLEDGE_SIGNAL_RECIPIENTS", None)
    if configured:
        return list(configured)
    return list(
        get_user_model()
        .objects.filter(groups__name=roles.COORDINATOR, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )


def send_signal_notification(signal: KnowledgeSignal) -> None:
    """E-mail the coordinators about a new signal; a mail failure is logged and raised again.

    It runs in the background task `notify_coordinators_task`, so a failure is retried by the
    task queue (core.security.task_retries) while the stored signal stays untouched.
    """
    recipients = signal_notification_recipients()
    if not recipients:
        logger.warning("Kennissignaal %s: geen ontvangers voor de melding ingesteld.", signal.pk)
        return
    edit_path = reverse("wagtailsnippets_operations_knowledgesignal:edit", args=[signal.pk])
    admin_url = f"{settings.WAGTAILADMIN_BASE_URL}{edit_path}"
    body = (
        f"Er is een nieuw kennissignaal binnengekomen.\n\n"
        f"Regio: {signal.region.name}\n"
        f"Soort organisatie: {signal.get_organisation_kind_display()}\n"
        f"Onderwerp: {signal.topic}\n\n"
        f"{signal.description}\n\n"
        f"Beoordelen: {admin_url}\n"
    )
    try:
        send_mail(
            subject=one_line_subject(f"Nieuw kennissignaal: {signal.topic}"),
            message=body,
            from_email=None,
            recipient_list=recipients,
        )
    except Exception:  # the stored signal stays intact; the task queue retries the mail
        logger.exception(
            "Kennissignaal %s opgeslagen, maar de melding kon niet worden verstuurd.", signal.pk
        )
        raise
    KnowledgeSignal.objects.filter(pk=signal.pk).update(notification_sent_at=timezone.now())
    signal.notification_sent_at = timezone.now()


def submit_knowledge_signal(
    *,
    region_code: str,
    organisation_kind: str,
    topic: str,
    description: str,
    contact_name: str = "",
    contact_email: str = "",
) -> KnowledgeSignal:
    """Validate and store a knowledge signal, then notify the coordinators by e-mail.

    Raises ValidationError with a Dutch message per field. The signal is saved before the e-mail
    is sent; a failing e-mail is logged and never loses the signal.
    """
    region_code = (region_code or "").strip()
    organisation_kind = (organisation_kind or "").strip()
    topic = (topic or "").strip()
    description = (description or "").strip()
    contact_name = (contact_name or "").strip()
    contact_email = (contact_email or "").strip()
    errors, region = _signal_errors(
        region_code=region_code,
        organisation_kind=organisation_kind,
        topic=topic,
        description=description,
        contact_name=contact_name,
        contact_email=contact_email,
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        signal = KnowledgeSignal.objects.create(
            region=region,
            organisation_kind=organisation_kind,
            topic=topic,
            description=description,
            contact_name=contact_name,
            contact_email=contact_email,
        )
    from operations.tasks import notify_coordinators_task

    # The mail leaves the request: the worker sends it and retries it when the server is down.
    notify_coordinators_task.enqueue(signal.pk)
    return signal


def triage_signal(
    *,
    signal: KnowledgeSignal,
    status: str,
    reason: str = "",
    development_line=None,
    products: list[ProductPage] | None = None,
) -> KnowledgeSignal:
    """Move a signal to a triage status; a decided signal needs a reason."""
    if status not in SignalStatus.values:
        raise ValidationError(
            {"status": "Kies een status: nieuw, in_analyse, verwerkt of afgewezen."}
        )
    signal.status = status
    signal.status_reason = reason.strip() if reason else signal.status_reason
    if development_line is not None:
        signal.development_line = development_line
    signal.full_clean()
    signal.save()
    if products is not None:
        signal.products.set(products)
    if status in DECIDED_SIGNAL_STATUSES:
        logger.info("Kennissignaal %s: %s", signal.pk, status)
    return signal
