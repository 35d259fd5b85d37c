"""Access control for a team server: hashing, sign-in with lock-out, who sees which project, the CLI."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import text

from core.auth import auth_mode, hash_password, verify_password
from core.errors import UserError
from core.models import utcnow
from core.store.duplicate import duplicate_project
from core.store.projects import create_project, list_projects
from core.store.users import (
    LOCKOUT,
    MAX_FAILED_LOGINS,
    add_user,
    authenticate,
    can_open,
    can_share,
    clean_username,
    members,
    set_active,
    set_password,
    set_shared_with,
    visible_project_ids,
)

PASSWORD = "correct horse battery"


def test_hash_is_salted_and_verifies_only_the_right_password():
    first, second = hash_password(PASSWORD), hash_password(PASSWORD)
    assert first != second and PASSWORD not in first  # salted, never the clear text
    assert verify_password(PASSWORD, first) and verify_password(PASSWORD, second)
    assert not verify_password(PASSWORD + "!", first)
    for broken in ("", "plain", "scrypt$1$2", "md5$a$b$c$d$e", first.replace("scrypt", "bcrypt")):
        assert not verify_password(PASSWORD, broken)


@pytest.mark.parametrize(("raw", "mode"), [(None, "off"), ("", "off"), ("off", "off"), ("0", "off"),
                                            ("users", "users"), ("USERS", "users"), ("on", "users"),
                                            ("usres", "users")])
def test_auth_mode_is_off_by_default_and_fails_closed(monkeypatch, raw, mode):
    if raw is None:
        monkeypatch.delenv("ML_STUDIO_AUTH", raising=False)
    else:
        monkeypatch.setenv("ML_STUDIO_AUTH", raw)
    assert auth_mode() == mode


@pytest.mark.parametrize("bad", ["", "a", "with space", "<script>", "../etc", "x" * 65, "-dash"])
def test_bad_usernames_are_refused(bad):
    with pytest.raises(UserError) as info:
        clean_username(bad)
    assert info.value.key == "auth.error.username"
    assert "{" not in info.value.message("ja")


def test_username_is_normalised():
    assert clean_username(" Ａｋｉ.Sato ") == "aki.sato"


def test_sign_in_and_its_failures(store):
    add_user(store, "aki", PASSWORD, display_name="佐藤 亜紀")
    assert authenticate(store, "AKI", PASSWORD).display_name == "佐藤 亜紀"
    for name, password in [("aki", "wrong password"), ("nobody", PASSWORD), ("<x>", PASSWORD), ("aki", "")]:
        with pytest.raises(UserError) as info:
            authenticate(store, name, password)
        assert info.value.key == "auth.error.sign_in_failed"  # never says which of the two was wrong
    with pytest.raises(UserError) as info:
        add_user(store, "aki", PASSWORD)
    assert info.value.key == "auth.error.user_exists"
    with pytest.raises(UserError) as info:
        add_user(store, "bo", "short")
    assert info.value.key == "auth.error.password_short"
    with store.engine.connect() as conn:
        stored = conn.execute(text("SELECT password_hash FROM users WHERE username = 'aki'")).scalar_one()
    assert PASSWORD not in stored and stored.startswith("scrypt$")


def test_repeated_wrong_passwords_lock_the_account_for_a_while(store):
    add_user(store, "aki", PASSWORD)
    now = utcnow()
    for _ in range(MAX_FAILED_LOGINS):
        with pytest.raises(UserError):
            authenticate(store, "aki", "guess guess guess", now=now)
    with pytest.raises(UserError) as info:
        authenticate(store, "aki", PASSWORD, now=now + timedelta(seconds=30))  # right password, still locked
    assert info.value.key == "auth.error.sign_in_failed"  # the same message: a lock does not reveal the name
    assert authenticate(store, "aki", PASSWORD, now=now + LOCKOUT + timedelta(seconds=31)).username == "aki"
    for _ in range(MAX_FAILED_LOGINS - 1):  # a success starts the count again
        with pytest.raises(UserError):
            authenticate(store, "aki", "guess guess guess")
    assert authenticate(store, "aki", PASSWORD).username == "aki"


def test_guesses_sent_in_parallel_are_all_counted(sqlite_store):
    from concurrent.futures import ThreadPoolExecutor

    add_user(sqlite_store, "aki", PASSWORD)

    def guess(i: int) -> str:
        try:
            authenticate(sqlite_store, "aki", f"wrong guess {i}")
        except UserError as exc:
            return exc.key
        return "signed in"

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(guess, range(24)))
    assert set(outcomes) == {"auth.error.sign_in_failed"}
    with pytest.raises(UserError):
        authenticate(sqlite_store, "aki", PASSWORD)  # locked: at most MAX_FAILED_LOGINS guesses were checked


def test_a_locked_name_and_an_unknown_name_look_the_same(store):
    add_user(store, "aki", PASSWORD)
    now = utcnow()
    for _ in range(MAX_FAILED_LOGINS + 1):
        with pytest.raises(UserError):
            authenticate(store, "aki", "guess guess guess", now=now)
    messages = set()
    for name in ("aki", "nobody"):
        with pytest.raises(UserError) as info:
            authenticate(store, name, "guess guess guess", now=now)
        messages.add(info.value.message("en"))
    assert len(messages) == 1


def test_a_new_password_changes_the_session_stamp(store):
    from core.store.users import get_user

    before = add_user(store, "aki", PASSWORD).stamp
    set_password(store, "aki", "another long password")
    assert get_user(store, "aki").stamp != before and before


def test_disabled_user_cannot_sign_in_and_a_new_password_works(store):
    add_user(store, "aki", PASSWORD)
    set_active(store, "aki", False)
    with pytest.raises(UserError):
        authenticate(store, "aki", PASSWORD)
    set_active(store, "aki", True)
    set_password(store, "aki", "another long password")
    with pytest.raises(UserError):
        authenticate(store, "aki", PASSWORD)
    assert authenticate(store, "aki", "another long password").username == "aki"


def test_each_person_sees_own_shared_and_demo_projects_only(store):
    aki, bo = add_user(store, "aki", PASSWORD), add_user(store, "bo", PASSWORD)
    admin = add_user(store, "root", PASSWORD, is_admin=True)
    mine = create_project(store, "Aki's churn", owned_by="aki")
    theirs = create_project(store, "Bo's pricing", owned_by="bo")
    demo = create_project(store, "Demo", is_demo=True)
    legacy = create_project(store, "Made before sign-in")  # no owner
    assert visible_project_ids(store, aki) == {mine.id, demo.id}
    assert visible_project_ids(store, bo) == {theirs.id, demo.id}
    assert visible_project_ids(store, admin) == {mine.id, theirs.id, demo.id, legacy.id}
    assert not can_open(store, theirs.id, aki) and can_open(store, theirs.id, bo)
    assert can_open(store, theirs.id, None)  # access control off: everyone
    assert [p.name for p in list_projects(store, visible_project_ids(store, aki))] == ["Demo", "Aki's churn"]

    with pytest.raises(UserError) as info:
        set_shared_with(store, theirs.id, aki, ["aki"])  # not the owner
    assert info.value.key == "auth.error.not_owner"
    set_shared_with(store, mine.id, aki, ["bo"])
    assert can_open(store, mine.id, bo) and not can_share(store, mine.id, bo)
    assert members(store, mine.id) == {"aki": "owner", "bo": "member"}
    set_shared_with(store, mine.id, aki, [])
    assert not can_open(store, mine.id, bo) and members(store, mine.id) == {"aki": "owner"}
    with pytest.raises(UserError) as info:
        set_shared_with(store, mine.id, aki, ["ghost"])
    assert info.value.key == "auth.error.no_such_user"

    set_shared_with(store, legacy.id, admin, ["bo"])  # an admin adopts an unowned project
    assert members(store, legacy.id) == {"root": "owner", "bo": "member"}
    copy = duplicate_project(store, mine.id, "Bo's copy", owned_by="bo")  # a copy belongs to who made it
    assert members(store, copy.id) == {"bo": "owner"}


def test_cli_adds_users_without_echoing_the_password(studio_env, monkeypatch, capsys):
    from core.cli import main
    from core.db import open_store

    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["users", "add", "Aki", "--admin", "--password-stdin", "--display-name", "Aki"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["users", "add", "bo", "--password-stdin"]) == 2
    assert main(["users", "list"]) == 0
    out, err = capsys.readouterr()
    assert PASSWORD not in out + err and "aki" in out and "at least 10" in err
    store = open_store()
    try:
        assert authenticate(store, "aki", PASSWORD).is_admin
    finally:
        store.engine.dispose()
