"""Evaluation: score the engine on labeled article sets and hold the scores to pinned floors."""

from stancewatch.evaluation.evaluate import run_eval

__all__ = ["run_eval"]
