"""Leaders' sign-in: one-time invite tokens (only their hash is stored) and a signed cookie.

The cookie holds the leader id, signed and time-stamped with a key kept in the database
(itsdangerous), so it cannot be forged or stretched past `SESSION_MAX_AGE`. It is HttpOnly
and SameSite=Lax; Secure when the public address is https. Forms carry a token derived from
the cookie, so another site cannot post to the page in the leader's name.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from itsdangerous import BadSignature, URLSafeTimedSerializer

from storage import Store
from storage import batches as q

COOKIE = "trekbot_leader"
SESSION_MAX_AGE = timedelta(days=14)
INVITE_TTL = timedelta(hours=24)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


async def invite(store: Store, leader_name: str, batch_code: str, now: datetime,
                 ttl: timedelta = INVITE_TTL) -> tuple[str, str] | None:
    """A one-time sign-in token for the leader (created if new), who now sees the batch;
    returns (token, leader chat code), or None for an unknown batch code."""
    token = new_token()
    async with store.transaction() as tx:
        batch = await q.batch_by_code(tx, batch_code)
        if batch is None:
            return None
        leader = await q.leader_for(tx, leader_name)
        await q.give_batch(tx, leader.id, batch.id)
        await q.create_invite(tx, leader.id, token_hash(token), now + ttl)
        return token, leader.chat_code


class Sessions:
    """Signs and reads the leader cookie with the database's key."""

    def __init__(self, secret: str) -> None:
        self._secret = secret
        self._signer = URLSafeTimedSerializer(secret, salt="trekbot-leader-session")

    @classmethod
    async def load(cls, store: Store) -> Sessions:
        async with store.transaction() as tx:
            return cls(await q.web_secret(tx))

    def cookie_for(self, leader_id: int) -> str:
        return self._signer.dumps({"leader": leader_id})

    def leader_of(self, cookie: str | None) -> int | None:
        """The leader id in a valid, unexpired cookie; None for anything else."""
        if not cookie:
            return None
        try:
            data = self._signer.loads(cookie, max_age=int(SESSION_MAX_AGE.total_seconds()))
        except BadSignature:  # also SignatureExpired
            return None
        leader = data.get("leader") if isinstance(data, dict) else None
        return leader if isinstance(leader, int) else None

    def form_token(self, cookie: str) -> str:
        return hmac.new(self._secret.encode(), b"form:" + cookie.encode(),
                        hashlib.sha256).hexdigest()

    def form_ok(self, cookie: str | None, token: str | None) -> bool:
        return bool(cookie and token) and hmac.compare_digest(
            self.form_token(cookie or ""), token or "")
