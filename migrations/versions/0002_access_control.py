"""access control (users, project members) and unique recipe numbers

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 15:40:00

Adds the tables for the optional sign-in of a team server (``users``, ``project_members``)
and makes a recipe's number unique within its project. Databases made by 0001 could hold two
recipes with the same number (two saves at the same moment): such a project's recipes are
renumbered 1..n in saving order before the constraint is added, so nothing is lost and the
newest recipe stays the newest.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def _renumber_duplicate_recipes() -> None:
    """Projects with two recipes of the same number get theirs renumbered 1..n in (number, id) order.

    Saving order is kept, so the newest recipe (the one Train uses) stays the newest.
    """
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, project_id, number FROM recipes ORDER BY project_id, number, id")).all()
    by_project: dict[int, list[tuple[int, int]]] = {}
    for row_id, project_id, number in rows:
        by_project.setdefault(project_id, []).append((row_id, number))
    for recipes in by_project.values():
        numbers = [number for _id, number in recipes]
        if len(set(numbers)) == len(numbers):
            continue
        for new_number, (row_id, _old) in enumerate(recipes, start=1):
            conn.execute(sa.text("UPDATE recipes SET number = :n WHERE id = :id"), {"n": new_number, "id": row_id})


def upgrade() -> None:
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=100), nullable=False),
    sa.Column('password_hash', sa.String(length=300), nullable=False),
    sa.Column('is_admin', sa.Boolean(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    op.create_table('project_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('added_by', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_members_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_members')),
    sa.UniqueConstraint('project_id', 'username', name='uq_project_members_project_user')
    )
    with op.batch_alter_table('project_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_members_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_members_username'), ['username'], unique=False)
    _renumber_duplicate_recipes()
    with op.batch_alter_table('recipes', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_recipes_project_number', ['project_id', 'number'])


def downgrade() -> None:
    with op.batch_alter_table('recipes', schema=None) as batch_op:
        batch_op.drop_constraint('uq_recipes_project_number', type_='unique')
    with op.batch_alter_table('project_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_members_username'))
        batch_op.drop_index(batch_op.f('ix_project_members_project_id'))
    op.drop_table('project_members')
    op.drop_table('users')
