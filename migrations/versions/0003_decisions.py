"""decision records of the Test step; acceptance metrics stored as ids

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-08 09:00:00

Adds ``decisions``: one row per evaluated model (rule, costs against the policies that need no
model, verdict with reasons, the goal it was made under). Predict, promotion, the command line
and the report read it instead of a report's data.

Business goals stored by 0002 held acceptance metrics as free text ("Recall", "再現率が目標以上");
they are mapped to metric ids with ``core.value.metrics.metric_id`` (a pure function of the text,
imported rather than copied so there is one alias table). Text that names no metric is kept as
typed: the Business page flags it for the user to choose.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

_GOALS = sa.table("business_goals", sa.column("id", sa.Integer), sa.column("data", sa.JSON))


def _map_metrics(data: dict) -> bool:
    """Map a goal document's criterion metrics to ids in place; True when something changed."""
    from core.value.metrics import metric_id

    acceptance = data.get("acceptance") if isinstance(data, dict) else None
    if not isinstance(acceptance, dict):
        return False
    targets = [m for m in acceptance.get("metrics") or [] if isinstance(m, dict)]
    if isinstance(acceptance.get("human_baseline"), dict):
        targets.append(acceptance["human_baseline"])
    changed = False
    for target in targets:
        text = target.get("metric")
        if isinstance(text, str) and text.strip() and metric_id(text) != text:
            target["metric"] = metric_id(text)
            changed = True
    return changed


def _upgrade_goals() -> None:
    conn = op.get_bind()
    for row_id, data in conn.execute(sa.select(_GOALS.c.id, _GOALS.c.data)).all():
        if isinstance(data, dict) and _map_metrics(data):
            conn.execute(_GOALS.update().where(_GOALS.c.id == row_id).values(data=data))


def upgrade() -> None:
    op.create_table('decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('model_name', sa.String(length=200), nullable=False),
    sa.Column('problem_type', sa.String(length=20), nullable=False),
    sa.Column('rule_kind', sa.String(length=20), nullable=False),
    sa.Column('threshold', sa.Float(), nullable=True),
    sa.Column('verdict', sa.String(length=20), nullable=False),
    sa.Column('model_cost', sa.Float(), nullable=True),
    sa.Column('goal_fingerprint', sa.String(length=64), nullable=False),
    sa.Column('rule', sa.JSON(), nullable=False),
    sa.Column('costs', sa.JSON(), nullable=False),
    sa.Column('outcome', sa.JSON(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_decisions_project_id_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['run_id'], ['training_runs.id'], name=op.f('fk_decisions_run_id_training_runs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decisions'))
    )
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decisions_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_decisions_run_id'), ['run_id'], unique=False)
    _upgrade_goals()


def downgrade() -> None:
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decisions_run_id'))
        batch_op.drop_index(batch_op.f('ix_decisions_project_id'))
    op.drop_table('decisions')
