"""Celery tasks: thin wrappers that call one service and own their retries."""

from celery import shared_task

from .services.workflow import proposals_transfer_due


@shared_task(acks_late=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def transfer_due_proposals() -> int:
    """Daily: proposals whose order's transfer date has come show as transferred."""
    return proposals_transfer_due()
