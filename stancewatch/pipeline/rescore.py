"""Rescore: recompute every stored article's statements and changes against the current seeds."""

from __future__ import annotations

from stancewatch import store
from stancewatch.pipeline.events import group_events
from stancewatch.pipeline.runs import save_analyses
from stancewatch.pipeline.work import analyse_articles, new_run
from stancewatch.positions import Engine
from stancewatch.settings import Settings


def rescore(settings: Settings, *, replace_old: bool = False) -> tuple[str, int, int]:
    """Recompute statements and changes of every stored article against the current seeds.

    Results are tagged with the baseline version; old versions' rows are kept unless
    replace_old is set. The new rows are grouped into position events like a run's.
    Returns (baseline version, statements stored, changes stored).
    """
    engine = Engine.from_seeds(settings.seeds_dir)
    summary = new_run()
    # Under the run lock: a monitor run storing articles meanwhile would leave them unscored.
    with store.run_lock(settings.db_path, wait=settings.run_lock_wait, run_id=summary.run_id):
        with store.open_db(
            settings.db_path, busy_timeout=settings.db_busy_timeout, publish=False
        ) as con:
            articles = store.stored_articles(con)
        analyses, _ = analyse_articles(engine, articles)
        with (
            store.open_db(settings.db_path, busy_timeout=settings.db_busy_timeout) as con,
            store.transaction(con),
        ):
            if replace_old:
                store.delete_results_except(con, engine.baseline_version)
            store.save_baseline(con, engine.baseline, engine.baseline_version)
            run_id = f"rescore-{summary.run_id}"
            counts = save_analyses(con, analyses, run_id, engine.baseline_version)
            # New rows of known evidence rejoin their events (a dismissed one stays dismissed).
            group_events(con, window_days=settings.event_window_days, run_id=run_id)
    return engine.baseline_version, *counts
