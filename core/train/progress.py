"""Live progress from inside AutoGluon's fit: one report per model, ETA, and the cancel check.

Used only by the worker process (it imports AutoGluon). AutoGluon 1.6 calls
``before_model_fit`` / ``after_model_fit`` of each callback around every model; returning
``early_stop=True`` makes the trainer skip all remaining models and finish cleanly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd
from autogluon.core.callbacks import AbstractCallback

from core.train.leaderboard import rows_from_leaderboard

if TYPE_CHECKING:
    from core.train.reporter import Reporter


def count_planned(hyperparameters: dict[Any, Any], problem_type: str, level_start: int, level_end: int,
                  weighted_ensemble: bool = True) -> int:
    """Models AutoGluon intends to fit: configurations valid for the problem type, plus ensembles."""
    total = 0
    for level in range(level_start, level_end + 1):
        models = hyperparameters.get(level) or hyperparameters.get("default") or {}
        for configs in models.values():
            for config in configs if isinstance(configs, list) else [configs]:
                types = (config.get("ag_args") or {}).get("problem_types") if isinstance(config, dict) else None
                total += types is None or problem_type in types
        total += int(weighted_ensemble)
    return max(total, 1)


def rows_from_trainer(trainer: Any, best: str | None = None) -> list[dict[str, Any]]:
    """Leaderboard rows from a (possibly still fitting) AutoGluon trainer."""
    board = trainer.leaderboard()
    if board.empty:
        return []
    nodes = trainer.model_graph.nodes
    board = board.assign(model_type=[getattr(nodes[m].get("type_inner"), "__name__", "") for m in board["model"]])
    val_rows = int(getattr(trainer, "num_rows_val_for_calibration", 0) or 0)
    return rows_from_leaderboard(pd.DataFrame(board), best, val_rows)


class ProgressCallback(AbstractCallback):
    """Reports each model to the run row and stops early when a cancel was requested."""

    def __init__(self, reporter: Reporter) -> None:
        super().__init__()
        self.reporter = reporter

    def __getstate__(self) -> dict[str, Any]:
        """AutoGluon pickles its trainer mid-fit: leave the database connection behind."""
        return {**self.__dict__, "reporter": None}

    def before_trainer_fit(self, trainer: Any, **kwargs: Any) -> None:
        """Count the models AutoGluon plans to fit."""
        if self.reporter is None:
            return
        ensemble = bool((kwargs.get("aux_kwargs") or {}).get("fit_weighted_ensemble", True))
        self.reporter.planned = count_planned(kwargs.get("hyperparameters") or {}, trainer.problem_type,
                                              kwargs.get("level_start", 1), kwargs.get("level_end", 1), ensemble)
        self.reporter.write()

    def _before_model_fit(self, trainer: Any, model: Any, time_limit: float | None = None,
                          stack_name: str = "core", level: int = 1) -> tuple[bool, bool]:
        if self.reporter is None:
            return False, False
        if self.reporter.cancel_requested:
            trainer.log(20, "Cancel requested: stopping before the next model.")
            return True, False
        self.reporter.current = model.name
        self.reporter.write()
        return False, False

    def _after_model_fit(self, trainer: Any, model_names: list[str], stack_name: str = "core",
                         level: int = 1) -> bool:
        if self.reporter is None:
            return False
        self.reporter.done += 1
        self.reporter.planned = max(self.reporter.planned, self.reporter.done)
        self.reporter.current = ""
        self.reporter.write(leaderboard=rows_from_trainer(trainer))
        return self.reporter.cancel_requested

    def __deepcopy__(self, memo: dict[int, Any]) -> ProgressCallback:
        """AutoGluon may copy callbacks for internal sub-fits; they report to the same run."""
        return self
