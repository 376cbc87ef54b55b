"""CLI commands around the position engine: baseline, compare, rescore and eval."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from stancewatch import pipeline, report
from stancewatch.cli.consoles import out
from stancewatch.cli.explain_output import baseline_explanation, comparison_explanation
from stancewatch.cli.output import (
    DbOpt,
    Format,
    FormatOpt,
    GuardedGroup,
    SeedsOpt,
    load_settings,
    print_rows,
)
from stancewatch.safe_text import json_document, terminal_line, terminal_text
from stancewatch.settings import PROJECT_ROOT

engine_app = typer.Typer(cls=GuardedGroup)


@engine_app.command()
def baseline(
    seeds: SeedsOpt = None,
    fmt: FormatOpt = Format.table,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain",
            help="List every statement read from the seeds, how it was read, and which one "
            "became the baseline position and why.",
        ),
    ] = False,
) -> None:
    """Show the baseline positions read from the seed documents, for review."""
    from stancewatch.positions import Engine

    settings = load_settings(seeds)
    engine = Engine.from_seeds(settings.seeds_dir)
    if explain and fmt is not Format.table:
        rows = [
            {
                "seed_file": item.seed_file,
                "seed_date": item.seed_date,
                "seed_source": item.seed_source,
                **report.statement_to_dict(item.statement, item.verdict),
            }
            for item in engine.explain_baseline()
        ]
        print_rows(rows, ["seed_file", "actor", "issue", "stance", "verdict", "sentence"], fmt)
        return
    rows = [
        {
            "id": p.id,
            "actor": p.actor,
            "issue": p.issue,
            "stance": p.stance,
            "attribution": p.attribution,
            "pinned": p.pinned,
            "seed_file": p.seed_file,
            "seed_date": p.seed_date,
            "seed_source": p.seed_source,
            "text": p.text,
        }
        for p in engine.baseline_report()
    ]
    dated = any(row["seed_date"] or row["seed_source"] for row in rows)
    print_rows(
        rows,
        ["actor", "issue", "stance", "attribution", "pinned"]
        + (["seed_date", "seed_source"] if dated else [])
        + ["text"],
        fmt,
        title=f"baseline {engine.baseline_version}",
        empty="the seed documents state no position of a watchlisted actor",
    )
    if explain:
        out.print(terminal_text("\n".join(baseline_explanation(engine.explain_baseline()))))


@engine_app.command()
def compare(
    sources: Annotated[list[str], typer.Argument(help="Files (.txt, .html) or http(s) URLs.")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON (JSON Lines for several).")] = False,
    seeds: SeedsOpt = None,
    show_all: Annotated[
        bool, typer.Option("--all", help="Also list reaffirmations in the table.")
    ] = False,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain",
            help="Show every statement: holder, attribution, cue, object, recap, and why "
            "each change won (in --json: `explain` objects and a `statements` list).",
        ),
    ] = False,
) -> None:
    """Compare articles with the baseline and show what changed."""
    from stancewatch import documents  # loads httpx and trafilatura: only compare needs them
    from stancewatch.positions import Engine

    settings = load_settings(seeds)
    engine = Engine.from_seeds(settings.seeds_dir)

    inputs = documents.expand_sources(sources)
    for source in inputs:
        text, title = documents.load_document(source, settings)
        comparison = engine.compare_text(text, title, explain=explain)
        if as_json:
            payload = report.comparison_to_dict(
                comparison, source=source if len(inputs) > 1 else None
            )
            sys.stdout.write(json_document(json.dumps(payload, ensure_ascii=False)) + "\n")
            continue
        from rich.text import Text

        verdict = "related" if comparison.related else "not related"
        out.print(
            Text.assemble(
                (terminal_line(source), "bold"),
                f": {verdict} (relatedness {comparison.relatedness:.2f})",
            )
        )
        rows = [
            report.change_to_dict(c)
            for c in comparison.changes
            if show_all or c.kind != "reaffirmed"
        ]
        for row in rows:
            row["baseline"] = row["baseline"]["stance"] if row["baseline"] else ""
        print_rows(
            rows,
            [
                "actor",
                "issue",
                "kind",
                "baseline",
                "stance",
                "confidence",
                "attribution",
                "evidence",
            ],
            Format.table,
            empty="  no position changes",
        )
        if explain:
            out.print(terminal_text("\n".join(comparison_explanation(comparison))))


@engine_app.command()
def rescore(
    seeds: SeedsOpt = None,
    db: DbOpt = None,
    replace_old: Annotated[
        bool, typer.Option("--replace", help="Delete results of older baseline versions.")
    ] = False,
) -> None:
    """Recompute statements and changes of stored articles after seeds or watchlist change."""
    settings = load_settings(seeds, db=db)
    version, n_statements, n_changes = pipeline.rescore(settings, replace_old=replace_old)
    out.print(
        f"baseline {version}: {n_statements} statements and {n_changes} changes stored"
        + (" (older versions removed)" if replace_old else " (older versions kept)")
    )


@engine_app.command("eval")
def eval_command(
    dirs: Annotated[list[Path], typer.Argument(help="Labeled sets, e.g. eval/ceasefire.")],
    floors: Annotated[Path, typer.Option(help="Pinned quality floors.")] = PROJECT_ROOT
    / "eval"
    / "floors.toml",
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List every error.")] = False,
) -> None:
    """Score the engine on labeled sets; exit non-zero below the pinned floors."""
    from stancewatch.evaluation import run_eval

    text, passed = run_eval(list(dirs), floors, verbose)
    out.print(terminal_text(text))
    if not passed:
        raise typer.Exit(1)
