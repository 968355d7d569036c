"""The quality framework (kwaliteitskader) as data, and the assessments made against it.

A `QualityFrameworkVersion` holds criteria; once published it is never edited, only superseded by a
newer version. A `QualityAssessment` records that one exact page revision was judged against one
framework version, criterion by criterion; assessments are append-only.
"""

import datetime
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import GroupApprovalTask, Orderable, Task, TaskState

from products.choices import LifecycleStatus, ProductType
from products.validators import validate_version
from quality.checks import get_check

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager

# The page types the gate governs, as (model name, Dutch label). Other page types (the home page,
# the product library, the line overview, information pages) are the site's fixed structure: they
# hold no product content, `bootstrap_hub` creates them, and the framework has no criteria for them.
GOVERNED_PAGE_TYPES: list[tuple[str, str]] = [
    ("productpage", "Product"),
    ("developmentlinepage", "Ontwikkellijn"),
    ("innovationagendapage", "Innovatieagenda"),
]


class _ChoiceListField(models.JSONField):
    """A list of codes from a fixed vocabulary, edited as checkboxes; empty means "all"."""

    choice_list: list[tuple[str, str]] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs: Any) -> forms.Field:  # type: ignore[override]  # always a checkbox list
        return forms.MultipleChoiceField(
            choices=self.choice_list,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label=self.verbose_name.capitalize(),
            help_text=self.help_text,
        )

    def validate(self, value: Any, model_instance: models.Model | None) -> None:
        super().validate(value, model_instance)
        allowed = {code for code, _ in self.choice_list}
        unknown = [code for code in value or [] if code not in allowed]
        if unknown:
            raise ValidationError(f"Onbekende waarde(n): {', '.join(unknown)}.")


class PageTypeListField(_ChoiceListField):
    choice_list = GOVERNED_PAGE_TYPES


class ProductTypeListField(_ChoiceListField):
    choice_list = list(ProductType.choices)


class LifecycleStageListField(_ChoiceListField):
    choice_list = list(LifecycleStatus.choices)


class FrameworkStatus(models.TextChoices):
    DRAFT = "draft", "Concept"
    PUBLISHED = "published", "Gepubliceerd"
    SUPERSEDED = "superseded", "Vervangen"


class QualityFrameworkVersionQuerySet(models.QuerySet["QualityFrameworkVersion"]):
    def published(self) -> "QualityFrameworkVersionQuerySet":
        """Versions that were published at some point (in force now, later, or superseded)."""
        return self.exclude(status=FrameworkStatus.DRAFT)

    def in_force(self, *, on: datetime.date | None = None) -> "QualityFrameworkVersion | None":
        """The version in force on `on` (today): the newest published one already effective."""
        on = on or timezone.localdate()
        return (
            self.published()
            .filter(effective_date__lte=on)
            .order_by("-effective_date", "-published_at", "-pk")
            .first()
        )


# The plugin cannot resolve `criteria` (its model builds on Wagtail's untyped Orderable); the
# class declares the manager's type itself.
class QualityFrameworkVersion(ClusterableModel):  # type: ignore[django-manager-missing]
    """One version of the quality framework: its criteria, effective date and change note."""

    # QualityCriterion builds on Wagtail's untyped Orderable, so the type checker cannot see
    # this reverse relation by itself.
    criteria: "RelatedManager[QualityCriterion]"

    version = models.CharField(
        "versie",
        max_length=20,
        unique=True,
        validators=[validate_version],
        help_text="Bijvoorbeeld 1.0 of 1.1.",
    )
    effective_date = models.DateField(
        "geldig vanaf",
        help_text="Vanaf deze datum moet elke publicatie aan deze versie getoetst zijn.",
    )
    change_note = models.TextField(
        "wijzigingsnotitie", help_text="Wat is er veranderd ten opzichte van de vorige versie?"
    )
    status = models.CharField(
        "status",
        max_length=20,
        choices=FrameworkStatus.choices,
        default=FrameworkStatus.DRAFT,
        help_text="Zet een concept op 'Gepubliceerd' om het vast te stellen. Een gepubliceerde "
        "versie wijzigt niet meer; maak voor een wijziging een nieuwe versie.",
    )
    published_at = models.DateTimeField("gepubliceerd op", null=True, blank=True, editable=False)
    created_at = models.DateTimeField("aangemaakt op", auto_now_add=True)

    objects = QualityFrameworkVersionQuerySet.as_manager()

    panels = [
        FieldRowPanel([FieldPanel("version"), FieldPanel("effective_date"), FieldPanel("status")]),
        FieldPanel("change_note"),
        InlinePanel("criteria", heading="Criteria", label="Criterium"),
    ]

    class Meta:
        verbose_name = "versie van het kwaliteitskader"
        verbose_name_plural = "versies van het kwaliteitskader"
        ordering = ["-effective_date", "-pk"]
        permissions = [("publish_qualityframeworkversion", "Kan kwaliteitskader vaststellen")]

    def __str__(self) -> str:
        return f"Kwaliteitskader v{self.version}"

    @property
    def is_locked(self) -> bool:
        """True once the stored version has been published: it may then only be superseded."""
        if not self.pk:
            return False
        stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
        return stored is not None and stored != FrameworkStatus.DRAFT

    def clean(self) -> None:
        super().clean()
        if self.is_locked:
            raise ValidationError(
                f"Kwaliteitskader v{self.version} is gepubliceerd en wordt niet meer gewijzigd. "
                "Maak een nieuwe versie om iets te veranderen."
            )
        if self.status == FrameworkStatus.SUPERSEDED:
            raise ValidationError(
                {"status": "Een versie wordt vervangen door een nieuwere te publiceren."}
            )

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk and not getattr(self, "_superseding", False):
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored is not None and stored != FrameworkStatus.DRAFT:
                raise ValidationError(
                    f"Kwaliteitskader v{self.version} is gepubliceerd en wordt niet meer gewijzigd."
                )
        publishing = self.status == FrameworkStatus.PUBLISHED and self.published_at is None
        if not publishing:
            super().save(*args, **kwargs)
            return
        # Save (and commit the criteria of the admin form) as a draft first: the criteria of a
        # published version are locked. Then publish, which supersedes every older version.
        self.status = FrameworkStatus.DRAFT
        super().save(*args, **kwargs)
        self.status = FrameworkStatus.PUBLISHED
        self.published_at = timezone.now()
        type(self).objects.filter(pk=self.pk).update(
            status=self.status, published_at=self.published_at
        )
        for older in QualityFrameworkVersion.objects.filter(
            status=FrameworkStatus.PUBLISHED
        ).exclude(pk=self.pk):
            older.supersede()

    @property
    def criteria_html(self) -> str:
        """The criteria as an HTML list, for the admin's inspect view."""
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li><strong>{}</strong> ({}, {}): {}</li>",
                (
                    (c.title, c.get_kind_display(), c.get_severity_display(), c.explanation)
                    for c in self.criteria.all()
                ),
            ),
        )

    def supersede(self) -> None:
        """Mark this published version as superseded; the only change a published version allows."""
        self.status = FrameworkStatus.SUPERSEDED
        self._superseding = True
        try:
            super().save(update_fields=["status"])
        finally:
            self._superseding = False

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self.is_locked:
            raise ValidationError(
                f"Kwaliteitskader v{self.version} is gepubliceerd en kan niet worden verwijderd."
            )
        return super().delete(*args, **kwargs)


class CriterionKind(models.TextChoices):
    AUTOMATIC = "automatic", "Automatisch"
    MANUAL = "manual", "Handmatig"


class CriterionSeverity(models.TextChoices):
    BLOCKING = "blocking", "Blokkerend"
    ADVISORY = "advisory", "Adviserend"


class QualityCriterion(Orderable):
    """One criterion of a framework version, with its kind, severity and scope."""

    # Annotated: the base (Wagtail's Orderable) is untyped, so django-stubs cannot infer them.
    version: "models.ForeignKey[QualityFrameworkVersion, QualityFrameworkVersion]" = ParentalKey(
        QualityFrameworkVersion, on_delete=models.CASCADE, related_name="criteria"
    )
    code: "models.SlugField[str, str]" = models.SlugField("code", max_length=60)
    title: "models.CharField[str, str]" = models.CharField("titel", max_length=200)
    explanation: "models.TextField[str, str]" = models.TextField(
        "toelichting voor redacteuren",
        help_text="Wat dit criterium vraagt en hoe een redacteur eraan voldoet.",
    )
    kind: "models.CharField[str, str]" = models.CharField(
        "soort", max_length=20, choices=CriterionKind.choices, default=CriterionKind.MANUAL
    )
    severity: "models.CharField[str, str]" = models.CharField(
        "zwaarte",
        max_length=20,
        choices=CriterionSeverity.choices,
        default=CriterionSeverity.BLOCKING,
    )
    check_code: "models.CharField[str, str]" = models.CharField(
        "automatische controle",
        max_length=60,
        blank=True,
        help_text="Alleen bij automatische criteria: de code van de controle in hubcms.",
    )
    page_types = PageTypeListField(
        "paginasoorten", help_text="Leeg: geldt voor alle getoetste paginasoorten."
    )
    product_types = ProductTypeListField(
        "producttypen", help_text="Leeg: geldt voor alle producttypen (en andere paginasoorten)."
    )
    lifecycle_stages = LifecycleStageListField(
        "levensfasen", help_text="Leeg: geldt in elke levensfase."
    )

    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("title")]),
        FieldPanel("explanation"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("severity"), FieldPanel("check_code")]),
        MultiFieldPanel(
            [
                FieldPanel("page_types"),
                FieldPanel("product_types"),
                FieldPanel("lifecycle_stages"),
            ],
            heading="Reikwijdte",
        ),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "criterium"
        verbose_name_plural = "criteria"
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="quality_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.title}"

    @property
    def is_automatic(self) -> bool:
        return self.kind == CriterionKind.AUTOMATIC

    @property
    def is_blocking(self) -> bool:
        return self.severity == CriterionSeverity.BLOCKING

    def clean(self) -> None:
        super().clean()

        if self.kind == CriterionKind.AUTOMATIC and get_check(self.check_code) is None:
            raise ValidationError(
                {"check_code": "Kies de code van een bestaande automatische controle."}
            )
        if self.kind == CriterionKind.MANUAL and self.check_code:
            raise ValidationError(
                {"check_code": "Een handmatig criterium heeft geen automatische controle."}
            )

    def _version_locked(self) -> bool:
        return (
            bool(self.version_id)
            and QualityFrameworkVersion.objects.filter(pk=self.version_id)
            .exclude(status=FrameworkStatus.DRAFT)
            .exists()
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._version_locked():
            raise ValidationError(
                "De criteria van een gepubliceerd kwaliteitskader worden niet meer gewijzigd."
            )
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self._version_locked():
            raise ValidationError(
                "De criteria van een gepubliceerd kwaliteitskader worden niet meer gewijzigd."
            )
        return super().delete(*args, **kwargs)

    def applies_to(self, page: Any) -> bool:
        """Whether this criterion applies to `page` (a specific page instance)."""
        model_name = page._meta.model_name
        if self.page_types and model_name not in self.page_types:
            return False
        product_type = getattr(page, "product_type", None)
        if self.product_types and product_type not in self.product_types:
            return False
        lifecycle = getattr(page, "lifecycle_status", None)
        if self.lifecycle_stages and lifecycle not in self.lifecycle_stages:
            return False
        return True


class AppendOnlyQuerySet(models.QuerySet[Any]):
    """Assessments are a record: bulk updates and deletes are refused."""

    # Deleting a page, revision or user only detaches the record; its snapshots remain.
    DETACHABLE = {"page", "revision", "reviewer"}

    def update(self, **kwargs: Any) -> int:
        if kwargs and set(kwargs) <= self.DETACHABLE and all(v is None for v in kwargs.values()):
            return super().update(**kwargs)
        raise ValidationError("Kwaliteitstoetsen worden nooit gewijzigd.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ValidationError("Kwaliteitstoetsen worden nooit verwijderd.")


class AssessmentSource(models.TextChoices):
    REVIEW = "review", "Kwaliteitstoets in de workflow"
    MIGRATION = "migration", "Gemigreerde inhoud"


class QualityAssessment(models.Model):
    """The record that one exact revision was judged against one framework version."""

    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name="pagina",
        null=True,
        on_delete=models.SET_NULL,
        related_name="quality_assessments",
    )
    page_title = models.CharField("paginatitel", max_length=255)
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name="revisie",
        null=True,
        on_delete=models.SET_NULL,
        related_name="quality_assessments",
    )
    framework_version = models.ForeignKey(
        QualityFrameworkVersion,
        verbose_name="kwaliteitskader",
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="kwaliteitsbewaker",
        null=True,
        on_delete=models.SET_NULL,
        related_name="quality_assessments",
    )
    reviewer_name = models.CharField("naam kwaliteitsbewaker", max_length=255)
    created_at = models.DateTimeField("getoetst op", default=timezone.now, db_index=True)
    passed = models.BooleanField("goedgekeurd")
    source = models.CharField(
        "herkomst", max_length=20, choices=AssessmentSource.choices, default=AssessmentSource.REVIEW
    )
    note = models.TextField("toelichting", blank=True)
    # What the assessment binds to (quality/binding.py): the hash of the revision's public
    # content and of the bytes of every document and image it shows, and those media's keys.
    # Empty: not bound to content (an assessment that could not be bound on migration); it counts
    # for nothing at go-live.
    fingerprint = models.CharField(
        "vingerafdruk van de getoetste inhoud", max_length=64, blank=True, editable=False
    )
    bound_media = models.TextField(
        "getoetste documenten en afbeeldingen", blank=True, editable=False
    )

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = "kwaliteitstoets"
        verbose_name_plural = "kwaliteitstoetsen"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        result = "goedgekeurd" if self.passed else "afgekeurd"
        return f"{self.page_title}: {result} onder v{self.framework_version.version}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValidationError("Een kwaliteitstoets wordt nooit gewijzigd; maak een nieuwe.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValidationError("Een kwaliteitstoets wordt nooit verwijderd.")

    @property
    @admin.display(description="Uitkomst")
    def result_display(self) -> str:
        return "Goedgekeurd" if self.passed else "Afgekeurd"

    def _judgement_rows(self) -> list[Any]:
        return [
            (row.criterion.title, "voldoet" if row.passed else "voldoet niet", row.note)
            for row in self.judgements.select_related("criterion")
        ]

    @property
    @admin.display(description="Oordelen per criterium")
    def judgements_text(self) -> str:
        """Every criterion's result and note on one line each, for exports."""
        return "\n".join(
            f"{title}: {result}" + (f" ({note})" if note else "")
            for title, result, note in self._judgement_rows()
        )

    @property
    @admin.display(description="Oordelen per criterium")
    def judgements_html(self) -> SafeString:
        """Every criterion's result and note as an HTML list, for the inspect view."""
        return format_html(
            "<ul>{}</ul>",
            format_html_join("", "<li><strong>{}</strong>: {} {}</li>", self._judgement_rows()),
        )


class CriterionJudgement(models.Model):
    """The result and note for one criterion within one assessment."""

    assessment = models.ForeignKey(
        QualityAssessment, on_delete=models.CASCADE, related_name="judgements"
    )
    criterion = models.ForeignKey(
        QualityCriterion, verbose_name="criterium", on_delete=models.PROTECT, related_name="+"
    )
    passed = models.BooleanField("voldoet")
    note = models.TextField("toelichting", blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = "oordeel per criterium"
        verbose_name_plural = "oordelen per criterium"
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.criterion.title}: {'voldoet' if self.passed else 'voldoet niet'}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValidationError("Een oordeel in een kwaliteitstoets wordt nooit gewijzigd.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValidationError("Een oordeel in een kwaliteitstoets wordt nooit verwijderd.")


# --- The workflow tasks of "Kwaliteitsborging" -------------------------------------------------


class AutomaticCheckTask(Task):
    """Runs the automatic criteria; sends the revision straight back when a blocking one fails."""

    admin_form_fields = Task.admin_form_fields

    class Meta:
        verbose_name = "automatische controle"
        verbose_name_plural = "automatische controles"

    @classmethod
    def get_description(cls) -> str:
        return "Controleert de blokkerende automatische criteria en stuurt de revisie direct terug."

    def start(self, workflow_state: Any, user: Any = None) -> Any:
        task_state = super().start(workflow_state, user=user)
        from quality.workflow import run_automatic_check

        run_automatic_check(task_state=task_state)
        return task_state


class _NotOwnWorkMixin:
    """Neither the revision's author nor its submitter may act on this task."""

    def _is_own_work(self, obj: Any, user: Any) -> bool:
        from quality.gate import revision_makers

        revision = obj.get_latest_revision() if obj is not None else None
        return revision is not None and user.pk in revision_makers(revision=revision)


class QualityReviewTask(_NotOwnWorkMixin, GroupApprovalTask):
    """The Kwaliteitsbewaker judges every manual criterion and so writes the quality assessment."""

    class Meta:
        verbose_name = "kwaliteitstoets"
        verbose_name_plural = "kwaliteitstoetsen"

    @classmethod
    def get_description(cls) -> str:
        return "Een kwaliteitsbewaker beoordeelt elk handmatig criterium van het kwaliteitskader."

    def get_actions(self, obj: Any, user: Any) -> list[tuple[str, str, bool]]:
        if not (user.is_superuser or self._user_in_groups(user)):
            return []
        if self._is_own_work(obj, user):
            return []
        return [("review", "Toetsen aan het kwaliteitskader", False)]

    def on_action(self, task_state: Any, user: Any, action_name: str, **kwargs: Any) -> Any:
        if action_name == "review":
            from django.urls import reverse

            return reverse("quality_review", args=(task_state.pk,))
        return super().on_action(task_state, user, action_name, **kwargs)

    def locked_for_user(self, obj: Any, user: Any) -> bool:
        # Reviewers judge; they do not edit the revision they judge.
        return True


class FinalApprovalTask(_NotOwnWorkMixin, GroupApprovalTask):
    """The Coördinator's final approval, which publishes the assessed revision."""

    class Meta:
        verbose_name = "eindgoedkeuring"
        verbose_name_plural = "eindgoedkeuringen"

    @classmethod
    def get_description(cls) -> str:
        return "De coördinator keurt definitief goed en publiceert."

    def get_actions(self, obj: Any, user: Any) -> list[tuple[str, str, bool]]:
        if not (user.is_superuser or self._user_in_groups(user)):
            return []
        if self._is_own_work(obj, user):
            return []
        return [
            ("reject", "Wijzigingen vragen", True),
            ("approve", "Goedkeuren en publiceren", False),
            ("approve", "Goedkeuren met opmerking", True),
        ]

    def on_action(self, task_state: Any, user: Any, action_name: str, **kwargs: Any) -> Any:
        from quality.gate import QualityGateRefused, log_refusal

        try:
            with transaction.atomic():
                # Lock the task: of two Coördinators who act at once, the second finds it done.
                locked = TaskState.objects.select_for_update().get(pk=task_state.pk)
                if locked.status != TaskState.STATUS_IN_PROGRESS:
                    # Nothing is recorded; the admin says who decided first.
                    return reverse("quality_final_approval_decided", args=(locked.pk,))
                return super().on_action(locked, user, action_name, **kwargs)
        except QualityGateRefused as refusal:
            # The approval rolled back; record the refusal and show why.
            log_refusal(refusal=refusal, user=user, persist_again=True)
            return reverse("quality_gate_status", args=(task_state.workflow_state.object_id,))
