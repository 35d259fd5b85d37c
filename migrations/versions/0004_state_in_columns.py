"""state that is queried lives in columns: chosen model, run errors, data requests, foreign keys

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-15 09:00:00

- ``training_runs.chosen_model``: the model a run uses, taken out of ``metrics["chosen_model"]``
  (a run that had none uses its ``best_model``, as every reader did).
- ``training_runs.error`` becomes a JSON column holding a message ``{"key", "params"}`` (NULL when
  nothing failed) and ``training_runs.log_tail`` the end of the log; 0003 kept all three as JSON
  text in a text column. Text that is not JSON becomes ``train.error.unexpected`` with the text as
  its detail, as the code reading it did.
- ``data_requests``: one 5W1H data request per project. It lived inside the newest analysis
  report holding one and was copied forward; deleting that report's dataset version lost it.
  The newest copy is moved into the table and removed from the reports.
- Foreign keys (ON DELETE SET NULL) on a project's current dataset, a dataset's parent, a run's
  dataset and recipe. Ids pointing at rows that are gone are set to NULL first.

The data is read and written with plain SQL and JSON here (no app code), so later changes to
the code cannot change what this migration does. On SQLite the tables are rebuilt (batch mode):
``core.db.migrate`` turns foreign keys off around migrations so that dropping the old table does
not cascade.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

REQUEST_KEY = "data_request"

_RUNS = sa.table(
    "training_runs", sa.column("id", sa.Integer), sa.column("metrics", sa.JSON),
    sa.column("error", sa.Text), sa.column("chosen_model", sa.String),
    sa.column("error_message", sa.JSON(none_as_null=True)), sa.column("log_tail", sa.Text),
)
_REPORTS = sa.table(
    "analysis_reports", sa.column("id", sa.Integer), sa.column("project_id", sa.Integer),
    sa.column("data", sa.JSON), sa.column("created_at", sa.DateTime(timezone=True)),
)
_REQUESTS = sa.table(
    "data_requests", sa.column("project_id", sa.Integer), sa.column("data", sa.JSON),
    sa.column("created_by", sa.String), sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_by", sa.String), sa.column("updated_at", sa.DateTime(timezone=True)),
)

# (table, column, referred table, name): every new constraint is ON DELETE SET NULL
_FKS = [
    ("projects", "current_dataset_id", "dataset_versions", "fk_projects_current_dataset_id_dataset_versions"),
    ("dataset_versions", "parent_id", "dataset_versions", "fk_dataset_versions_parent_id_dataset_versions"),
    ("training_runs", "dataset_id", "dataset_versions", "fk_training_runs_dataset_id_dataset_versions"),
    ("training_runs", "recipe_id", "recipes", "fk_training_runs_recipe_id_recipes"),
]


def _clear_dangling_ids() -> None:
    """Ids that point at a deleted row become NULL (what the new constraints will do from now on)."""
    for table, column, referred, _name in _FKS:
        op.execute(sa.text(
            f"UPDATE {table} SET {column} = NULL WHERE {column} IS NOT NULL "
            f"AND {column} NOT IN (SELECT id FROM {referred})"))


def old_error(text: str | None) -> tuple[dict[str, Any] | None, str]:
    """0003's error text as (message ``{"key", "params"}`` or None, log tail)."""
    if not text:
        return None, ""
    try:
        value = json.loads(text)
    except ValueError:
        return {"key": "train.error.unexpected", "params": {"detail": text}}, ""
    if not isinstance(value, dict):
        return None, ""
    params = value.get("params")
    message = {"key": str(value["key"]), "params": dict(params) if isinstance(params, dict) else {}} \
        if value.get("key") else None
    return message, str(value.get("log_tail") or "")


def _move_run_state() -> None:
    conn = op.get_bind()
    for row_id, metrics, error in conn.execute(sa.select(_RUNS.c.id, _RUNS.c.metrics, _RUNS.c.error)).all():
        metrics = dict(metrics) if isinstance(metrics, dict) else {}
        chosen = metrics.pop("chosen_model", None) or metrics.get("best_model") or ""
        message, log_tail = old_error(error)
        conn.execute(_RUNS.update().where(_RUNS.c.id == row_id).values(
            metrics=metrics, chosen_model=str(chosen)[:200], error_message=message, log_tail=log_tail))


def _upgrade_runs() -> None:
    with op.batch_alter_table('training_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('chosen_model', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('error_message', sa.JSON(none_as_null=True), nullable=True))
        batch_op.add_column(sa.Column('log_tail', sa.Text(), nullable=True))
    _move_run_state()
    with op.batch_alter_table('training_runs', schema=None) as batch_op:
        batch_op.drop_column('error')
    with op.batch_alter_table('training_runs', schema=None) as batch_op:
        batch_op.alter_column('error_message', new_column_name='error', existing_type=sa.JSON(none_as_null=True),
                              existing_nullable=True)
        batch_op.alter_column('chosen_model', existing_type=sa.String(length=200), nullable=False)
        batch_op.alter_column('log_tail', existing_type=sa.Text(), nullable=False)


def _move_data_requests() -> None:
    """Each project's newest request (as the code read it) goes into the table; reports lose their copies."""
    conn = op.get_bind()
    found: dict[int, dict[str, Any]] = {}
    query = sa.select(_REPORTS.c.id, _REPORTS.c.project_id, _REPORTS.c.data, _REPORTS.c.created_at)
    for row_id, project_id, data, created_at in conn.execute(query.order_by(_REPORTS.c.id)).all():
        if not isinstance(data, dict) or REQUEST_KEY not in data:
            continue
        request = data.pop(REQUEST_KEY)
        conn.execute(_REPORTS.update().where(_REPORTS.c.id == row_id).values(data=data))
        if not request:
            continue
        first = found.get(project_id, {}).get("created_at", created_at)
        found[project_id] = {"project_id": project_id, "data": request, "created_by": "", "updated_by": "",
                             "created_at": first, "updated_at": created_at}
    if found:
        conn.execute(_REQUESTS.insert(), list(found.values()))


def upgrade() -> None:
    _clear_dangling_ids()
    op.create_table('data_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_data_requests_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_requests')),
    sa.UniqueConstraint('project_id', name=op.f('uq_data_requests_project_id'))
    )
    _move_data_requests()
    _upgrade_runs()
    for table, column, referred, name in _FKS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_foreign_key(name, referred, [column], ['id'], ondelete='SET NULL')


def _restore_run_state() -> None:
    conn = op.get_bind()
    query = sa.select(_RUNS.c.id, _RUNS.c.metrics, _RUNS.c.chosen_model, _RUNS.c.error_message, _RUNS.c.log_tail)
    for row_id, metrics, chosen, message, log_tail in conn.execute(query).all():
        metrics = dict(metrics) if isinstance(metrics, dict) else {}
        if chosen:
            metrics["chosen_model"] = chosen
        text = ""
        if message or log_tail:
            message = message if isinstance(message, dict) else {}
            text = json.dumps({"key": message.get("key") or "train.error.unexpected",
                               "params": message.get("params") or {}, "log_tail": log_tail or ""}, default=str)
        conn.execute(_RUNS.update().where(_RUNS.c.id == row_id).values(metrics=metrics, error=text))


def _restore_data_requests() -> None:
    """Each request goes back onto its project's newest report (a project without a report loses it)."""
    conn = op.get_bind()
    for project_id, request in conn.execute(sa.select(_REQUESTS.c.project_id, _REQUESTS.c.data)).all():
        newest = conn.execute(sa.select(_REPORTS.c.id, _REPORTS.c.data).where(_REPORTS.c.project_id == project_id)
                              .order_by(_REPORTS.c.id.desc()).limit(1)).first()
        if newest is not None:
            data = {**(newest.data if isinstance(newest.data, dict) else {}), REQUEST_KEY: request}
            conn.execute(_REPORTS.update().where(_REPORTS.c.id == newest.id).values(data=data))


def downgrade() -> None:
    for table, _column, _referred, name in reversed(_FKS):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(name, type_='foreignkey')
    with op.batch_alter_table('training_runs', schema=None) as batch_op:
        batch_op.alter_column('error', new_column_name='error_message', existing_type=sa.JSON(none_as_null=True),
                              existing_nullable=True)
    with op.batch_alter_table('training_runs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('error', sa.Text(), nullable=True))
    _restore_run_state()
    with op.batch_alter_table('training_runs', schema=None) as batch_op:
        batch_op.drop_column('error_message')
        batch_op.drop_column('log_tail')
        batch_op.drop_column('chosen_model')
        batch_op.alter_column('error', existing_type=sa.Text(), nullable=False)
    _restore_data_requests()
    op.drop_table('data_requests')
