"""Command line for engineers: ``python -m core.cli COMMAND``.

Commands: ``migrate`` (bring the database schema up to date), ``demo`` (create the demo
project if it is missing), ``quickstart`` (file → trained and tested model), ``predict``
(score a file with a project's model), ``report`` (the test report as HTML), ``promote`` and
``rollback`` (production model versions), ``users`` (accounts for a team server that runs
with ``ML_STUDIO_AUTH=users``). Progress goes to stderr; the result is one JSON
object on the last line of stdout. Errors print one line to stderr with a non-zero exit code.
See ``docs/cli.md``.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from core.errors import UserError


def _say(message: str) -> None:
    """A progress line on stderr."""
    print(message, file=sys.stderr, flush=True)


def _migrate(_args: argparse.Namespace) -> dict:
    from core import config
    from core.db import current_revision, make_engine, migrate

    engine = make_engine()
    migrate(engine)
    return {"database": engine.url.render_as_string(hide_password=True),
            "revision": current_revision(engine), "home": str(config.studio_home())}


def _demo(args: argparse.Namespace) -> dict:
    from core.db import open_store
    from core.demo import open_or_create_demo

    project = open_or_create_demo(open_store(), args.lang)
    return {"project_id": project.id, "name": project.name}


def _project(store, name: str):  # noqa: ANN001, ANN202 - Store in, ProjectInfo out
    """The project called ``name``; UserError when there is none."""
    from core.store.projects import find_project

    project = find_project(store, name)
    if project is None:
        raise UserError("predict.cli.no_project", name=name)
    return project


def _quickstart(args: argparse.Namespace) -> dict:
    from core.db import open_store
    from core.predict.quickstart import quickstart

    return quickstart(open_store(), Path(args.data), args.target, positive_class=args.positive_class,
                      time_limit=args.time_limit, project_name=args.project,
                      goal=Path(args.goal) if args.goal else None, say=_say)


def _predict(args: argparse.Namespace) -> dict:
    from core.db import open_store
    from core.predict.exports import write_export
    from core.predict.quickstart import read_table
    from core.predict.scoring import score_batch
    from core.store.predictions import get_batch

    store = open_store()
    project = _project(store, args.project)
    df, source = read_table(Path(args.input))
    batch_id = score_batch(store, project.id, df, threshold=args.threshold, reasons=not args.no_reasons,
                           id_column=args.id_column, filename=source["filename"], created_by="cli", background=False)
    batch = get_batch(store, batch_id)
    for issue in batch.source.get("guard", {}).get("issues", []):
        from core.predict.guard import GuardIssue

        _say(f"warning: {GuardIssue(**issue).message('en')}")
    if (batch.source.get("decision") or {}).get("stale"):
        _say("warning: the Test decision used was made before the business goal changed; run `report` to re-evaluate")
    output = write_export(store, batch_id, Path(args.output))
    model = batch.source.get("model", {})
    return {"project_id": project.id, "batch_id": batch_id, "rows": batch.n_rows, "output": str(output.resolve()),
            "model_id": model.get("id"), "model_version": model.get("version"), "run_id": model.get("run_id"),
            "threshold": batch.source.get("threshold"), "decision": batch.source.get("decision"),
            "drift_flagged": batch.drift.get("flagged", [])}


def _report(args: argparse.Namespace) -> dict:
    from core.db import open_store
    from core.predict.model import resolve_model
    from core.predict.quick_report import write_report
    from core.predict.testset import evaluate_model

    store = open_store()
    project = _project(store, args.project)
    info = resolve_model(store, project.id)
    result = evaluate_model(store, info)
    for found in result["model_warnings"]:
        _say(f"warning: {found['message']}")
    path = write_report(store, result, Path(args.output))
    return {"project_id": project.id, "run_id": info.run_id, "model_version": info.version_number,
            "metrics": result["metrics"], "verdict": result["verdict"], "decision": result["decision"],
            "model_warnings": result["model_warnings"], "report_path": str(path.resolve())}


def _promote(args: argparse.Namespace) -> dict:
    from core.db import open_store
    from core.predict.model import latest_succeeded_run
    from core.predict.versions import promote_run

    store = open_store()
    project = _project(store, args.project)
    run_id = args.run
    if run_id is None:
        latest = latest_succeeded_run(store, project.id)
        if latest is None:
            raise UserError("predict.error.no_model")
        run_id = latest.id
    info = promote_run(store, run_id, by=args.by, force=args.force, note=args.note or "")
    return {"project_id": project.id, "run_id": info.run_id, "model_id": info.id, "version": info.version_number,
            "verdict": info.verdict}


def _rollback(args: argparse.Namespace) -> dict:
    from core.db import open_store
    from core.predict.versions import rollback

    store = open_store()
    project = _project(store, args.project)
    info = rollback(store, project.id, by=args.by, reason=args.reason or "")
    return {"project_id": project.id, "run_id": info.run_id, "model_id": info.id, "version": info.version_number}


def _add_operate_commands(sub: argparse._SubParsersAction) -> None:
    """The quickstart, predict, report, promote and rollback sub-commands."""
    quick = sub.add_parser("quickstart", help="import, analyse, split, train (Quick preset), test and report")
    quick.add_argument("--data", required=True, help="CSV, TSV, Excel or Parquet file")
    quick.add_argument("--target", required=True, help="column to predict")
    quick.add_argument("--positive-class", help="the class to detect (binary targets)")
    quick.add_argument("--time-limit", type=float, help="training budget in seconds (default: the preset's)")
    quick.add_argument("--project", help="new project name (default: file name and time)")
    quick.add_argument("--goal", help="business goal JSON exported from the Business page (costs, criteria)")
    quick.set_defaults(func=_quickstart)
    predict = sub.add_parser("predict", help="score a file with the production model (or the latest run)")
    predict.add_argument("--project", required=True)
    predict.add_argument("--input", required=True, help="CSV, TSV, Excel or Parquet file")
    predict.add_argument("--output", required=True, help="CSV file, or .xlsx for Excel")
    predict.add_argument("--threshold", type=float, help="decision threshold (default: the Test step's)")
    predict.add_argument("--id-column", help="column identifying rows (to match outcomes later)")
    predict.add_argument("--no-reasons", action="store_true", help="skip the top-3 reasons per row")
    predict.set_defaults(func=_predict)
    report = sub.add_parser("report", help="write the test report of the production model (or the latest run)")
    report.add_argument("--project", required=True)
    report.add_argument("--output", required=True, help="HTML file")
    report.set_defaults(func=_report)
    promote = sub.add_parser("promote", help="make a run's model the production model")
    promote.add_argument("--project", required=True)
    promote.add_argument("--run", type=int, help="run id (default: the latest succeeded run)")
    promote.add_argument("--by", required=True, help="who promotes")
    promote.add_argument("--note", help="why")
    promote.add_argument("--force", action="store_true", help="promote even after a No-Go verdict")
    promote.set_defaults(func=_promote)
    back = sub.add_parser("rollback", help="return production to the previous version")
    back.add_argument("--project", required=True)
    back.add_argument("--by", required=True, help="who rolls back")
    back.add_argument("--reason", help="why")
    back.set_defaults(func=_rollback)


def _read_password(args: argparse.Namespace) -> str:
    """From stdin (``--password-stdin``, for scripts) or typed twice at a hidden prompt."""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    import getpass

    first = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != first:
        raise UserError("auth.error.password_mismatch")
    return first


def _users(args: argparse.Namespace) -> dict:
    from core.db import open_store
    from core.store import users

    store = open_store()
    try:
        if args.action == "list":
            return {"users": [{"username": u.username, "display_name": u.display_name, "admin": u.is_admin,
                               "active": u.is_active} for u in users.list_users(store)]}
        if not args.username:
            raise UserError("auth.error.username", name="")
        if args.action == "add":
            user = users.add_user(store, args.username, _read_password(args), display_name=args.display_name or "",
                                  is_admin=args.admin)
            _say(f"user {user.username} added{' (admin)' if user.is_admin else ''}")
            return {"username": user.username, "admin": user.is_admin}
        if args.action == "passwd":
            users.set_password(store, args.username, _read_password(args))
        else:
            users.set_active(store, args.username, args.action == "enable")
        return {"username": args.username, "done": args.action}
    finally:
        store.engine.dispose()


def _add_users_command(sub: argparse._SubParsersAction) -> None:
    cmd = sub.add_parser("users", help="accounts for a team server (ML_STUDIO_AUTH=users); passwords are hashed")
    cmd.add_argument("action", choices=("list", "add", "passwd", "disable", "enable"))
    cmd.add_argument("username", nargs="?")
    cmd.add_argument("--display-name", help="name shown in the app")
    cmd.add_argument("--admin", action="store_true", help="may open every project and share any of them")
    cmd.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    cmd.set_defaults(func=_users)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with one sub-command per task."""
    parser = argparse.ArgumentParser(prog="python -m core.cli", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="apply database migrations").set_defaults(func=_migrate)
    demo = sub.add_parser("demo", help="create the demo project if missing")
    demo.add_argument("--lang", choices=("en", "ja"), default="en")
    demo.set_defaults(func=_demo)
    _add_operate_commands(sub)
    _add_users_command(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; print its result as JSON on the last line of stdout."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        result = args.func(args)
    except UserError as exc:
        print(f"error: {exc.message('en')}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - one clear line for engineers, not a traceback
        print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(result, ensure_ascii=False, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
