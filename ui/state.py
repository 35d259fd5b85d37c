"""Session-state and query-parameter keys, in one place."""

LANG = "ui_lang"
LANG_PICKER = "ui_lang_picker"
PROJECT_PICKER = "ui_project_picker"
PROJECT_ID = "ui_project_id"
FLASH = "ui_flash"
ERROR = "ui_error"

QP_PROJECT = "project"
QP_LANG = "lang"
QP_RUN = "run"
USER = "ui_user"
