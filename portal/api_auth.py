"""Authenticating API calls with a person's API token (proposals/services/api_tokens.py).

`Authorization: Bearer <secret>`: the call is made as the token's owner, with exactly their
permissions, and `request.auth` is the ApiToken (its name goes into the history of what the
call changes). Every call looks the token up afresh, so a revoked token, or one whose owner's
account is disabled, is refused from the next call on.
"""

from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from proposals.services import api_tokens

from . import security_log

KEYWORD = b"bearer"
MALFORMED_HEADER = (
    "The Authorization header must be “Bearer ” followed by one API token, with no spaces in it."
)
UNKNOWN_TOKEN = (
    "This API token is not valid: it was revoked, or mistyped. Its owner can see their working "
    "tokens, and create a new one, on the API tokens page of their account."
)
ACCOUNT_DISABLED = "The account this API token belongs to is disabled."


class TokenAuthentication(BaseAuthentication):
    """DRF authentication by `Authorization: Bearer <secret>`; returns (user, ApiToken).

    A request without a Bearer header is left to the other authentication classes (None);
    one with a Bearer header that does not name a working token of an active account is
    refused with 401 and says why.
    """

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD:
            return None
        if len(parts) != 2:
            raise self._refused(request, MALFORMED_HEADER)
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise self._refused(request, MALFORMED_HEADER) from None
        token = api_tokens.api_token_owner(secret=secret)
        if token is None:
            raise self._refused(request, UNKNOWN_TOKEN)
        if not token.user.is_active:
            raise self._refused(request, ACCOUNT_DISABLED, user=token.user)
        api_tokens.api_token_touch(token=token)
        return token.user, token

    def authenticate_header(self, request):
        # Makes DRF answer 401 (not 403) with this WWW-Authenticate challenge.
        return 'Bearer realm="api"'

    @staticmethod
    def _refused(request, message: str, user=None) -> AuthenticationFailed:
        """The refusal to raise, logged (never with the secret presented)."""
        security_log.log_event("api_token_refused", request=request, user=user, reason=message)
        return AuthenticationFailed(message)
