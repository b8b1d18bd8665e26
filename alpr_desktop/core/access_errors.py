"""Typed refusals of sign-in and of the gate; ``str()`` is a sentence fit for a dialog."""

from __future__ import annotations


class AccessError(Exception):
    """Base of every access refusal."""


class NotSignedIn(AccessError):
    def __init__(self, message: str = "Sign in first.") -> None:
        super().__init__(message)


class SessionLocked(NotSignedIn):
    def __init__(self, message: str = "The session is locked; enter your password.") -> None:
        super().__init__(message)


class NotAuthorized(AccessError):
    def __init__(self, message: str = "Your account is not allowed to do this.") -> None:
        super().__init__(message)


class PurposeRequired(AccessError):
    def __init__(
        self, message: str = "Declare the purpose of this search (case and reason) first."
    ) -> None:
        super().__init__(message)


BAD_CREDENTIALS_MESSAGE = "Wrong username or password."


class BadCredentials(AccessError):
    """The only answer to a wrong username, a wrong password or a disabled account, so the
    dialog never reveals which usernames exist."""

    def __init__(self) -> None:
        super().__init__(BAD_CREDENTIALS_MESSAGE)


class AccountLocked(AccessError):
    """Said the same way for real and unknown usernames; names the local time it ends."""

    def __init__(self, minutes_left: int, until_ms: int | None = None) -> None:
        self.minutes_left = minutes_left
        self.until_ms = until_ms
        unit = "minute" if minutes_left == 1 else "minutes"
        when = ""
        if until_ms is not None:
            from alpr_desktop.core.clock import to_local

            when = f" until {to_local(until_ms / 1000).strftime('%H:%M %Z')}"
        super().__init__(
            f"Too many failed sign-ins: this account is locked{when}. Try again in "
            f"{minutes_left} {unit}, or ask an administrator to release it."
        )


class PasswordChangeRequired(AccessError):
    def __init__(self) -> None:
        super().__init__("Your password was reset: choose a new password before continuing.")


class PasswordRejected(AccessError):
    def __init__(self, reasons: list[str]) -> None:
        self.reasons = list(reasons)
        super().__init__(" ".join(self.reasons) or "The password was rejected.")


class AccountInvalid(AccessError):
    """An account change that would break an invariant (policy §2, separation of duties)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__(" ".join(self.problems))


class AwaitingApproval(AccessError):
    """Told only after a correct password: the account exists but a custodian has not yet
    approved it (separation of duties)."""

    def __init__(self) -> None:
        super().__init__(
            "Your account is waiting for the City custodian's approval. You can sign in once "
            "a custodian has approved it; ask your administrator if it takes long."
        )


class ApprovalRefused(AccessError):
    """A custodian's approval or rejection that cannot be done as asked."""

    def __init__(self, message: str) -> None:
        super().__init__(message)


class FirstAdminExists(AccessError):
    def __init__(self) -> None:
        super().__init__("This store already has accounts; sign in as an administrator.")


class UnknownAccount(AccessError):
    """Admin screens only (never sign-in): the named account does not exist."""

    def __init__(self, username: str) -> None:
        super().__init__(f"There is no account named {username!r}.")


class PermissionInvalid(AccessError):
    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__(" ".join(self.problems))
