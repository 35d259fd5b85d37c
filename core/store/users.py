"""People who sign in (when access control is on) and who may open which project.

A project's members are its owner (who created it) and the people it is shared with; both may
open and change it, only the owner (or an admin) may share it. Demo projects are open to
everyone. Projects made before access control was switched on have no members: admins see
them and can share them.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from core import models as m
from core.auth import DUMMY_HASH, hash_password, verify_password
from core.db import Store
from core.errors import UserError
from core.models import utcnow

OWNER, MEMBER = "owner", "member"
MIN_PASSWORD = 10
MAX_PASSWORD = 1024
MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=5)
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,63}$")


@dataclass(frozen=True)
class UserInfo:
    """A signed-in person as pages see it (never carries the password hash)."""

    id: int
    username: str
    display_name: str
    is_admin: bool
    is_active: bool
    stamp: str = ""
    """Changes when the password changes: a session signed in with an older one is signed out."""

    @property
    def label(self) -> str:
        return self.display_name or self.username


def _info(row: m.User) -> UserInfo:
    stamp = hashlib.sha256(row.password_hash.encode("utf-8")).hexdigest()[:16]
    return UserInfo(row.id, row.username, row.display_name, row.is_admin, row.is_active, stamp)


def clean_username(raw: str | None) -> str:
    """Lower-case user name of 2–64 letters, digits and ``. _ @ -``; else UserError."""
    name = unicodedata.normalize("NFKC", raw or "").strip().lower()
    if not _USERNAME.match(name):
        raise UserError("auth.error.username", name=(raw or "")[:64])
    return name


def check_password(password: str) -> str:
    """Refuse passwords that are too short or too long."""
    if len(password or "") < MIN_PASSWORD:
        raise UserError("auth.error.password_short", min=MIN_PASSWORD)
    if len(password) > MAX_PASSWORD:
        raise UserError("auth.error.password_long", max=MAX_PASSWORD)
    return password


def add_user(store: Store, username: str, password: str, *, display_name: str = "",
             is_admin: bool = False) -> UserInfo:
    """Create a user with a hashed password."""
    username = clean_username(username)
    row = m.User(username=username, display_name=(display_name or "").strip()[:100],
                 password_hash=hash_password(check_password(password)), is_admin=is_admin)
    try:
        with store.sessions.begin() as session:
            session.add(row)
            session.flush()
            return _info(row)
    except IntegrityError as exc:
        raise UserError("auth.error.user_exists", name=username) from exc


def set_password(store: Store, username: str, password: str) -> None:
    """Replace a user's password (and lift a lock-out)."""
    digest = hash_password(check_password(password))
    with store.sessions.begin() as session:
        row = _row(session, username)
        row.password_hash, row.failed_logins, row.locked_until = digest, 0, None


def set_active(store: Store, username: str, active: bool) -> None:
    """Disable (or re-enable) a user's sign-in; their projects stay."""
    with store.sessions.begin() as session:
        _row(session, username).is_active = active


def _row(session, username: str) -> m.User:  # noqa: ANN001 - Session
    row = session.scalar(select(m.User).where(m.User.username == clean_username(username)))
    if row is None:
        raise UserError("auth.error.no_such_user", name=username)
    return row


def list_users(store: Store) -> list[UserInfo]:
    """Everyone, by user name."""
    with store.sessions() as session:
        return [_info(r) for r in session.scalars(select(m.User).order_by(m.User.username))]


def get_user(store: Store, username: str) -> UserInfo | None:
    """One user by name, or None."""
    with store.sessions() as session:
        row = session.scalar(select(m.User).where(m.User.username == username))
        return _info(row) if row else None


def authenticate(store: Store, username: str, password: str, now: datetime | None = None) -> UserInfo:
    """The user when name and password match; else one message that says nothing about why.

    Every attempt first counts against the account in one atomic ``UPDATE`` (so guesses sent
    in parallel are counted too); from the ``MAX_FAILED_LOGINS``-th attempt without a success
    the account is locked for ``LOCKOUT``. A locked account, an unknown name, a disabled
    account and a wrong password give the same message after the same scrypt work, so names
    cannot be told apart.
    """
    now = now or utcnow()
    try:
        name = clean_username(username)
    except UserError:
        name = None
    attempts, locked, row = _count_attempt(store, name, now) if name else (0, False, None)
    if row is None or locked:
        verify_password(password or "", DUMMY_HASH)
        raise UserError("auth.error.sign_in_failed")
    if not verify_password(password or "", row.password_hash) or not row.is_active:
        raise UserError("auth.error.sign_in_failed")
    with store.sessions.begin() as session:
        session.execute(update(m.User).where(m.User.id == row.id)
                        .values(failed_logins=0, locked_until=None, last_login_at=now))
    return _info(row)


def _count_attempt(store: Store, name: str, now: datetime) -> tuple[int, bool, m.User | None]:
    """Count one attempt atomically: (attempts so far, locked now, the user row or None)."""
    with store.sessions.begin() as session:
        session.execute(update(m.User).where(m.User.username == name)
                        .values(failed_logins=m.User.failed_logins + 1))  # takes the row's write lock
        row = session.scalar(select(m.User).where(m.User.username == name))
        if row is None:
            return 0, False, None
        locked_until = row.locked_until
        if locked_until is not None and locked_until.tzinfo is None:  # SQLite returns naive datetimes
            locked_until = locked_until.replace(tzinfo=now.tzinfo)
        if locked_until is not None and locked_until > now:
            return row.failed_logins, True, row
        if row.failed_logins > MAX_FAILED_LOGINS:
            row.locked_until, row.failed_logins = now + LOCKOUT, 0
            return MAX_FAILED_LOGINS + 1, True, row
        if locked_until is not None:  # an expired lock: start counting afresh
            row.locked_until, row.failed_logins = None, 1
        return row.failed_logins, False, row


# --- who may open which project ------------------------------------------------------------

def add_member(session, project_id: int, username: str, role: str = MEMBER, added_by: str = "") -> None:  # noqa: ANN001
    """Record a member inside the caller's transaction (used when a project is created or copied)."""
    session.add(m.ProjectMember(project_id=project_id, username=username, role=role, added_by=added_by))


def members(store: Store, project_id: int) -> dict[str, str]:
    """``{username: role}`` of a project."""
    with store.sessions() as session:
        rows = session.execute(select(m.ProjectMember.username, m.ProjectMember.role)
                               .where(m.ProjectMember.project_id == project_id))
        return dict(rows.all())


def can_open(store: Store, project_id: int, user: UserInfo | None) -> bool:
    """Whether ``user`` may open the project (``None`` = access control off: everyone may)."""
    if user is None or user.is_admin:
        return True
    with store.sessions() as session:
        project = session.get(m.Project, project_id)
        if project is None:
            return False
        if project.is_demo:
            return True
        return session.scalar(select(m.ProjectMember.id).where(
            m.ProjectMember.project_id == project_id, m.ProjectMember.username == user.username)) is not None


def can_share(store: Store, project_id: int, user: UserInfo | None) -> bool:
    """Owners and admins may change who a project is shared with."""
    if user is None:
        return False
    return user.is_admin or members(store, project_id).get(user.username) == OWNER


def visible_project_ids(store: Store, user: UserInfo) -> set[int]:
    """Ids of the projects ``user`` may open (all for an admin)."""
    with store.sessions() as session:
        if user.is_admin:
            return set(session.scalars(select(m.Project.id)))
        shared = set(session.scalars(select(m.ProjectMember.project_id)
                                     .where(m.ProjectMember.username == user.username)))
        demos = set(session.scalars(select(m.Project.id).where(m.Project.is_demo.is_(True))))
        return shared | demos


def set_shared_with(store: Store, project_id: int, actor: UserInfo, usernames: list[str]) -> dict[str, str]:
    """Share the project with exactly ``usernames`` (besides its owner); only owners and admins may."""
    if not can_share(store, project_id, actor):
        raise UserError("auth.error.not_owner")
    wanted = {clean_username(u) for u in usernames}
    known = {u.username for u in list_users(store)}
    unknown = sorted(wanted - known)
    if unknown:
        raise UserError("auth.error.no_such_user", name=", ".join(unknown))
    with store.sessions.begin() as session:
        current = dict(session.execute(select(m.ProjectMember.username, m.ProjectMember.role)
                                       .where(m.ProjectMember.project_id == project_id)).all())
        if not current and not actor.is_admin:
            raise UserError("auth.error.not_owner")
        owners = {u for u, r in current.items() if r == OWNER}
        if not owners:  # an unowned (older) project: the admin who first shares it becomes its owner
            add_member(session, project_id, actor.username, OWNER, actor.username)
            owners = {actor.username}
        drop = [u for u, r in current.items() if r != OWNER and u not in wanted]
        if drop:
            session.execute(delete(m.ProjectMember).where(m.ProjectMember.project_id == project_id,
                                                          m.ProjectMember.username.in_(drop)))
        for username in sorted(wanted - set(current) - owners):
            add_member(session, project_id, username, MEMBER, actor.username)
    return members(store, project_id)
