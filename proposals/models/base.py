from django.db import models


class TimeStampedModel(models.Model):
    """When a row was made and last changed; every domain table has both."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


def source_url_field(**kwargs):
    """Where a fact came from (FACTS.md keeps one beside each date or figure)."""
    return models.URLField(
        max_length=500, blank=True, help_text="Public source of this fact.", **kwargs
    )
