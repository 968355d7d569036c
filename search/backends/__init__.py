"""Wagtail search backends for hubcms: Wagtail's database backend, adapted per database."""
