"""The hub's operational records: pilots, specialists and certifications, knowledge signals and
consultations with the national partners."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable
from wagtail.search import index

from operations.choices import (
    DECIDED_SIGNAL_STATUSES,
    CertificationRole,
    OrganisationKind,
    PilotOutcome,
    PilotPhase,
    SignalStatus,
)


class Pilot(index.Indexed, models.Model):
    """A test of a product in one or more regions or SOB's, with its evaluation and lessons."""

    product = models.ForeignKey(
        "content.ProductPage",
        verbose_name="product",
        on_delete=models.CASCADE,
        related_name="pilots",
    )
    title = models.CharField(
        "naam van de pilot",
        max_length=200,
        help_text="Bijvoorbeeld 'Pilot Werkfit-scan in Twente en Drechtsteden'.",
    )
    regions = models.ManyToManyField(
        "content.Region",
        verbose_name="arbeidsmarktregio's",
        blank=True,
        related_name="pilots",
    )
    organisations = models.TextField(
        "deelnemende organisaties",
        blank=True,
        help_text="Gemeenten, SOB's en andere organisaties die meedoen, één per regel.",
    )
    start_date = models.DateField("startdatum", null=True, blank=True)
    end_date = models.DateField("einddatum", null=True, blank=True)
    phase = models.CharField(
        "fase",
        max_length=20,
        choices=PilotPhase.choices,
        default=PilotPhase.GEPLAND,
        db_index=True,
    )
    evaluation = models.TextField(
        "evaluatie",
        blank=True,
        help_text="Wat de evaluatie liet zien: deelnemers, resultaten, oordeel van de regio.",
    )
    evaluated_on = models.DateField(
        "geëvalueerd op",
        null=True,
        blank=True,
        help_text="De datum waarop de evaluatie is vastgesteld.",
    )
    outcome = models.CharField(
        "uitkomst",
        max_length=20,
        choices=PilotOutcome.choices,
        blank=True,
        db_index=True,
        help_text="Alleen bij een geëvalueerde pilot: doorgaan (positief), bijstellen of stoppen.",
    )
    lessons = models.TextField("geleerde lessen", blank=True)
    created_at = models.DateTimeField("aangemaakt op", auto_now_add=True)
    updated_at = models.DateTimeField("gewijzigd op", auto_now=True)

    panels = [
        FieldPanel("product"),
        FieldPanel("title"),
        FieldPanel("regions", widget=forms.CheckboxSelectMultiple),
        FieldPanel("organisations"),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")], heading="Periode"),
        FieldPanel("phase"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("evaluated_on"), FieldPanel("outcome")]),
                FieldPanel("evaluation"),
                FieldPanel("lessons"),
            ],
            heading="Evaluatie",
        ),
    ]

    search_fields = [
        index.SearchField("title"),
        index.SearchField("organisations"),
        index.AutocompleteField("title"),
        index.FilterField("phase"),
        index.FilterField("outcome"),
    ]

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = "pilot"
        verbose_name_plural = "pilots"
        permissions = [
            ("view_hub_reports", "Mag het dashboard en de kwartaalrapportages van de hub bekijken")
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = "De einddatum ligt vóór de startdatum."
        if self.phase == PilotPhase.GEEVALUEERD:
            if not self.outcome:
                errors["outcome"] = (
                    "Een geëvalueerde pilot heeft een uitkomst: positief, bijstellen of stoppen."
                )
            if not self.evaluated_on:
                errors["evaluated_on"] = "Vul in wanneer de evaluatie is vastgesteld."
            if not (self.evaluation or "").strip():
                errors["evaluation"] = "Beschrijf wat de evaluatie liet zien."
        else:
            if self.outcome:
                errors["outcome"] = (
                    "Een uitkomst hoort pas bij een geëvalueerde pilot; zet de fase op "
                    "'Geëvalueerd' of maak de uitkomst leeg."
                )
            if self.evaluated_on:
                errors["evaluated_on"] = "Een evaluatiedatum hoort pas bij een geëvalueerde pilot."
        if errors:
            raise ValidationError(errors)


class Specialist(index.Indexed, models.Model):
    """A maatwerkspecialist who may deliver (or train others in) the hub's products."""

    name = models.CharField("naam", max_length=200)
    organisation = models.CharField("organisatie", max_length=200)
    region = models.ForeignKey(
        "content.Region",
        verbose_name="arbeidsmarktregio",
        on_delete=models.PROTECT,
        related_name="specialists",
    )
    email = models.EmailField("e-mailadres", blank=True)
    phone = models.CharField("telefoonnummer", max_length=40, blank=True)
    public_listing = models.BooleanField(
        "openbaar vermelden",
        default=False,
        help_text="Vink alleen aan als de specialist ermee instemt dat naam, organisatie en regio "
        "op de productpagina's staan.",
    )
    notes = models.TextField("aantekeningen", blank=True, help_text="Alleen zichtbaar in beheer.")
    created_at = models.DateTimeField("aangemaakt op", auto_now_add=True)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("organisation")]),
        FieldPanel("region"),
        FieldRowPanel([FieldPanel("email"), FieldPanel("phone")], heading="Contact"),
        FieldPanel("public_listing"),
        FieldPanel("notes"),
    ]

    search_fields = [
        index.SearchField("name"),
        index.SearchField("organisation"),
        index.AutocompleteField("name"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = "maatwerkspecialist"
        verbose_name_plural = "maatwerkspecialisten"

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"


class CertificationQuerySet(models.QuerySet):
    def valid_on(self, date: datetime.date) -> "CertificationQuerySet":
        """Certifications in force on `date` (from certified_on up to and including valid_until)."""
        return self.filter(certified_on__lte=date, valid_until__gte=date)

    def valid(self) -> "CertificationQuerySet":
        """Certifications in force today."""
        return self.valid_on(timezone.localdate())


class Certification(models.Model):
    """A specialist's certification to deliver a product (uitvoerder) or to train others (trainer)."""

    specialist = models.ForeignKey(
        Specialist,
        verbose_name="maatwerkspecialist",
        on_delete=models.CASCADE,
        related_name="certifications",
    )
    product = models.ForeignKey(
        "content.ProductPage",
        verbose_name="product",
        on_delete=models.CASCADE,
        related_name="certifications",
    )
    role = models.CharField(
        "rol",
        max_length=20,
        choices=CertificationRole.choices,
        default=CertificationRole.UITVOERDER,
        help_text="Een uitvoerder mag het product uitvoeren; een trainer mag daarnaast anderen "
        "ervoor certificeren.",
    )
    certified_on = models.DateField("gecertificeerd op", default=timezone.localdate)
    valid_until = models.DateField("geldig tot en met")
    certified_by = models.ForeignKey(
        Specialist,
        verbose_name="gecertificeerd door (trainer)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certifications_given",
        help_text="Een specialist die op de certificeringsdatum geldig trainer is voor dit product. "
        "Laat alleen leeg voor de eerste trainer van een product, die de hub zelf certificeert.",
    )
    created_at = models.DateTimeField("aangemaakt op", auto_now_add=True)

    objects = CertificationQuerySet.as_manager()

    panels = [
        FieldPanel("specialist"),
        FieldPanel("product"),
        FieldPanel("role"),
        FieldRowPanel([FieldPanel("certified_on"), FieldPanel("valid_until")]),
        FieldPanel("certified_by"),
    ]

    class Meta:
        ordering = ["-certified_on"]
        verbose_name = "certificering"
        verbose_name_plural = "certificeringen"

    def __str__(self) -> str:
        specialist = self.specialist.name if self.specialist_id else "?"
        product = self.product.title if self.product_id else "?"
        return f"{specialist}: {self.get_role_display().lower()} {product}"

    def is_valid_on(self, date: datetime.date) -> bool:
        return self.certified_on <= date <= self.valid_until

    @property
    def is_valid(self) -> bool:
        return self.is_valid_on(timezone.localdate())

    def clean(self) -> None:
        super().clean()
        from operations.services import validate_certification

        validate_certification(
            specialist=self.specialist if self.specialist_id else None,
            product=self.product if self.product_id else None,
            certified_on=self.certified_on,
            valid_until=self.valid_until,
            certified_by=self.certified_by if self.certified_by_id else None,
            exclude_pk=self.pk,
        )


class KnowledgeSignal(index.Indexed, models.Model):
    """A need or insight from a region, triaged by the coordinator into the hub's work."""

    region = models.ForeignKey(
        "content.Region",
        verbose_name="arbeidsmarktregio",
        on_delete=models.PROTECT,
        related_name="knowledge_signals",
    )
    organisation_kind = models.CharField(
        "soort organisatie", max_length=30, choices=OrganisationKind.choices
    )
    topic = models.CharField("onderwerp", max_length=200)
    description = models.TextField("omschrijving")
    contact_name = models.CharField("naam contactpersoon", max_length=200, blank=True)
    contact_email = models.EmailField("e-mailadres contactpersoon", blank=True)
    received_at = models.DateTimeField("ontvangen op", default=timezone.now, db_index=True)
    status = models.CharField(
        "status",
        max_length=20,
        choices=SignalStatus.choices,
        default=SignalStatus.NIEUW,
        db_index=True,
    )
    status_reason = models.TextField(
        "toelichting bij de status",
        blank=True,
        help_text="Waarom is het signaal zo beoordeeld? Verplicht bij 'Afgewezen' en 'Verwerkt'.",
    )
    decided_at = models.DateTimeField(
        "besloten op",
        null=True,
        blank=True,
        help_text="Wordt ingevuld zodra het signaal verwerkt of afgewezen is.",
    )
    development_line = models.ForeignKey(
        "content.DevelopmentLinePage",
        verbose_name="ontwikkellijn",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="knowledge_signals",
    )
    products = models.ManyToManyField(
        "content.ProductPage",
        verbose_name="producten waartoe het leidde",
        blank=True,
        related_name="knowledge_signals",
    )
    notification_sent_at = models.DateTimeField("melding verstuurd op", null=True, blank=True)

    panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("region"), FieldPanel("organisation_kind")]),
                FieldPanel("topic"),
                FieldPanel("description"),
                FieldRowPanel([FieldPanel("contact_name"), FieldPanel("contact_email")]),
                FieldPanel("received_at"),
            ],
            heading="Het signaal",
        ),
        MultiFieldPanel(
            [
                FieldPanel("status"),
                FieldPanel("status_reason"),
                FieldPanel("development_line"),
                FieldPanel("products"),
                FieldPanel("decided_at", read_only=True),
            ],
            heading="Beoordeling",
        ),
    ]

    search_fields = [
        index.SearchField("topic", boost=2),
        index.SearchField("description"),
        index.AutocompleteField("topic"),
        index.FilterField("status"),
    ]

    class Meta:
        ordering = ["-received_at"]
        verbose_name = "kennissignaal"
        verbose_name_plural = "kennissignalen"

    def __str__(self) -> str:
        return self.topic

    def save(self, *args, **kwargs) -> None:
        # The decision time is derived from the status, so intake-to-decision figures stay true
        # whichever path (admin, service, shell) changes the status.
        if self.status in DECIDED_SIGNAL_STATUSES and self.decided_at is None:
            self.decided_at = timezone.now()
        elif self.status not in DECIDED_SIGNAL_STATUSES:
            self.decided_at = None
        super().save(*args, **kwargs)

    @property
    def is_decided(self) -> bool:
        return self.status in DECIDED_SIGNAL_STATUSES

    def clean(self) -> None:
        super().clean()
        if self.status in DECIDED_SIGNAL_STATUSES and not (self.status_reason or "").strip():
            label = SignalStatus(self.status).label.lower()
            raise ValidationError({"status_reason": f"Licht toe waarom het signaal '{label}' is."})


class NationalPartner(models.Model):
    """A national partner of the hub, e.g. a VNG domain, Cedris, Divosa or the ministry of SZW."""

    name = models.CharField("naam", max_length=120, unique=True)

    panels = [FieldPanel("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = "landelijke partner"
        verbose_name_plural = "landelijke partners"

    def __str__(self) -> str:
        return self.name


class PartnerConsultation(index.Indexed, ClusterableModel):
    """A meeting with the national partners, with its decisions and actions."""

    date = models.DateField("datum", default=timezone.localdate)
    title = models.CharField(
        "overleg", max_length=200, help_text="Bijvoorbeeld 'Partneroverleg Innovatiehub, maart'."
    )
    partners = ParentalManyToManyField(
        NationalPartner,
        verbose_name="aanwezige partners",
        blank=True,
        related_name="consultations",
    )
    attendees = models.TextField(
        "aanwezigen", blank=True, help_text="Namen van de aanwezigen, één per regel."
    )
    topics = models.TextField("onderwerpen", help_text="De besproken onderwerpen, één per regel.")
    notes = models.TextField("verslag", blank=True)

    panels = [
        FieldRowPanel([FieldPanel("date"), FieldPanel("title")]),
        FieldPanel("partners", widget=forms.CheckboxSelectMultiple),
        FieldPanel("attendees"),
        FieldPanel("topics"),
        FieldPanel("notes"),
        InlinePanel("decisions", label="Besluit", heading="Besluiten"),
        InlinePanel("actions", label="Actie", heading="Acties"),
    ]

    search_fields = [
        index.SearchField("title", boost=2),
        index.SearchField("topics"),
        index.SearchField("notes"),
        index.AutocompleteField("title"),
    ]

    class Meta:
        ordering = ["-date"]
        verbose_name = "partneroverleg"
        verbose_name_plural = "partneroverleggen"

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%d-%m-%Y})"

    @property
    def topic_list(self) -> list[str]:
        return [line.strip() for line in (self.topics or "").splitlines() if line.strip()]


class ConsultationDecision(Orderable):
    """A decision taken in a partner consultation."""

    consultation = ParentalKey(
        PartnerConsultation, on_delete=models.CASCADE, related_name="decisions"
    )
    text = models.TextField("besluit")

    panels = [FieldPanel("text")]

    class Meta(Orderable.Meta):
        verbose_name = "besluit"
        verbose_name_plural = "besluiten"

    def __str__(self) -> str:
        return self.text


class ConsultationAction(Orderable):
    """An action agreed in a partner consultation, with its owner and due date."""

    consultation = ParentalKey(
        PartnerConsultation, on_delete=models.CASCADE, related_name="actions"
    )
    description = models.TextField("actie")
    owner = models.CharField("eigenaar", max_length=200, help_text="Persoon en organisatie.")
    due_date = models.DateField("uiterlijk op")
    done = models.BooleanField("afgerond", default=False)

    panels = [
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("owner"), FieldPanel("due_date"), FieldPanel("done")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "actie"
        verbose_name_plural = "acties"

    def __str__(self) -> str:
        return self.description


__all__ = [
    "Certification",
    "ConsultationAction",
    "ConsultationDecision",
    "KnowledgeSignal",
    "NationalPartner",
    "PartnerConsultation",
    "Pilot",
    "Specialist",
]


class ReviewReminder(models.Model):
    """That the owner of a product was reminded of one review date (so a reminder goes once)."""

    product = models.ForeignKey(
        "content.ProductPage",
        verbose_name="product",
        on_delete=models.CASCADE,
        related_name="review_reminders",
    )
    review_date = models.DateField("herzieningsdatum")
    sent_to = models.EmailField("verstuurd aan")
    sent_at = models.DateTimeField("verstuurd op", default=timezone.now)

    class Meta:
        verbose_name = "herinnering herziening"
        verbose_name_plural = "herinneringen herziening"
        constraints = [
            models.UniqueConstraint(
                fields=["product", "review_date"], name="one_reminder_per_review_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.product} ({self.review_date:%d-%m-%Y})"
