"""The Analysis Report (step 2): is the data sufficient in quantity and quality?"""

from core.analyze.engine import analyze
from core.analyze.report import PROBLEM, OK, WARNING, AnalysisReport, Finding, overall_verdict

__all__ = ["AnalysisReport", "Finding", "OK", "PROBLEM", "WARNING", "analyze", "overall_verdict"]
