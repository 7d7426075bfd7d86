"""Slowing guesses at one account without locking its owner out.

django-axes locks an account *from one address* after AXES_FAILURE_LIMIT failures. Guesses from
many addresses are slowed instead, per account: after SIGN_IN_DELAY_AFTER_FAILURES failures (from
anywhere, within the axes cool-off) each further attempt must wait twice as long as the one
before, up to SIGN_IN_DELAY_MAX_SECONDS. Attempts made while waiting are refused before any
password is checked. The owner is delayed at worst by the longest wait, never locked out; an
attacker gets one guess per longest wait at most. The README's Security section has the trade-off.
"""

import math

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.utils import timezone

#: Doubling stops here, long after the longest wait is reached.
_MOST_DOUBLINGS = 30


def wait_seconds(username: str) -> int:
    """Seconds `username` must wait before its next sign-in attempt is checked (0: none)."""
    now = timezone.now()
    recent = AccessAttempt.objects.filter(
        username=username, attempt_time__gte=now - settings.AXES_COOLOFF_TIME
    ).aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
    beyond = (recent["failures"] or 0) - settings.SIGN_IN_DELAY_AFTER_FAILURES
    if beyond < 0:
        return 0
    delay = min(2 ** min(beyond, _MOST_DOUBLINGS), settings.SIGN_IN_DELAY_MAX_SECONDS)
    return max(0, math.ceil(delay - (now - recent["last"]).total_seconds()))
