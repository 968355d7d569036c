"""Remove Wagtail's leftover groups "Moderators" and "Editors" and the workflow on the tree's root.

The hub's roles are in core/roles.py; `bootstrap_hub` runs the same step again (idempotent)."""

from django.db import migrations


def remove_defaults(apps, schema_editor):
    from core.roles import remove_wagtail_defaults

    remove_wagtail_defaults(
        Group=apps.get_model("auth", "Group"),
        Workflow=apps.get_model("wagtailcore", "Workflow"),
        WorkflowPage=apps.get_model("wagtailcore", "WorkflowPage"),
        WorkflowState=apps.get_model("wagtailcore", "WorkflowState"),
        Task=apps.get_model("wagtailcore", "Task"),
        TaskState=apps.get_model("wagtailcore", "TaskState"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(remove_defaults, migrations.RunPython.noop)]
