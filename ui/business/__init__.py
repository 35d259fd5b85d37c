"""Streamlit components of Step 1, Business Understanding (pages/business.py composes them).

Every component takes the :class:`ui.business.editor.GoalEditor` of the open project, shows
its part of the business goal as widgets keyed ``biz_*`` and saves what was typed at once
(``GoalEditor.save``). The maths lives in ``core.value`` and ``core.report.goal_sheet``.
"""
