"""Command line for engineers: ``python -m core.cli COMMAND``.

Commands: ``migrate`` (bring the database schema up to date), ``demo`` (create the demo
project if it is missing). Errors print one line to stderr with a non-zero exit code.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from core.errors import UserError


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


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with one sub-command per task."""
    parser = argparse.ArgumentParser(prog="python -m core.cli", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="apply database migrations").set_defaults(func=_migrate)
    demo = sub.add_parser("demo", help="create the demo project if missing")
    demo.add_argument("--lang", choices=("en", "ja"), default="en")
    demo.set_defaults(func=_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; print its result as JSON on the last line of stdout."""
    args = build_parser().parse_args(argv)
    try:
        result = args.func(args)
    except UserError as exc:
        print(f"error: {exc.message('en')}", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - one clear line for engineers, not a traceback
        print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(result, ensure_ascii=False, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
