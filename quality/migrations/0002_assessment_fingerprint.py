"""Bind assessments to content: a fingerprint of what the public sees, and the media it shows.

Assessments made before this migration are bound to their revision as it stands now (its content
and the current bytes of its documents and images), computed with the live code of
quality/binding.py. An assessment whose revision is gone or cannot be read stays unbound
(empty fingerprint) and counts for nothing at go-live: that revision needs a new assessment. Live
pages stay live either way; the gate only looks at a revision when it goes live.
"""

import logging

from django.db import migrations, models, transaction

logger = logging.getLogger(__name__)


def bind_existing_assessments(apps, schema_editor):
    from wagtail.models import Revision

    from quality.binding import revision_fingerprint

    # A plain manager: assessments are append-only for everything else.
    assessments = apps.get_model("quality", "QualityAssessment")._base_manager
    for assessment in assessments.filter(fingerprint="").exclude(revision_id=None).iterator():
        try:
            with transaction.atomic():
                revision = Revision.objects.get(pk=assessment.revision_id)
                fingerprint = revision_fingerprint(revision)
                assessments.filter(pk=assessment.pk).update(
                    fingerprint=fingerprint.digest, bound_media=fingerprint.media_text
                )
        except Exception:  # an unreadable revision stays unbound and must be assessed again
            logger.exception("Assessment %s could not be bound to its content", assessment.pk)


class Migration(migrations.Migration):
    dependencies = [
        ("quality", "0001_initial"),
        ("content", "0002_load_regions"),
        ("operations", "0002_load_national_partners"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [
        migrations.AddField(
            model_name="qualityassessment",
            name="bound_media",
            field=models.TextField(
                blank=True, editable=False, verbose_name="getoetste documenten en afbeeldingen"
            ),
        ),
        migrations.AddField(
            model_name="qualityassessment",
            name="fingerprint",
            field=models.CharField(
                blank=True,
                editable=False,
                max_length=64,
                verbose_name="vingerafdruk van de getoetste inhoud",
            ),
        ),
        migrations.RunPython(bind_existing_assessments, migrations.RunPython.noop),
    ]
