from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from engage.cli.app_context import AppContext
from engage.cli.output import console, emit_json, json_option, visible
from engage.errors import ConfigError


@click.command()
@click.option("--all", "rescore", is_flag=True, help="Re-score every stored thread.")
@click.option("--explain", "thread_id", type=int, help="Show why one thread scores as it does.")
@json_option
@click.pass_obj
def match(app: AppContext, rescore: bool, thread_id: int | None, as_json: bool) -> None:
    """Score threads for your profile (`engage watch` does this for every new thread).

    Run --all after changing your specialties or config/specialties.toml.
    """
    if rescore == (thread_id is not None):
        raise click.UsageError("choose one of --all or --explain THREAD")
    scorer = app.engage.matcher
    if thread_id is not None:
        _explain(app, thread_id, as_json)
        return
    from engage.match_rows import rescore_all

    with _bar(enabled=sys.stderr.isatty() and not as_json) as progress:
        threads, kept = rescore_all(app.engage.db, scorer, progress)
    if as_json:
        emit_json({"threads": threads, "matches": kept})
    else:
        click.echo(f"re-scored {threads} threads: {kept} match your profile")


def _explain(app: AppContext, thread_id: int, as_json: bool) -> None:
    from dataclasses import asdict

    from engage.match_rows import match_values, stored_scoring_input
    from engage.matching import why_sentence

    scorer = app.engage.matcher
    post = stored_scoring_input(app.engage.db, thread_id)
    result = scorer.matcher.score(post)
    explained = {**match_values(result), "relevance": round(result.relevance, 4),
                 "factors": {k: round(v, 4) for k, v in result.factors.items()},
                 "specialty_weights": result.specialties,
                 "fit": [asdict(check) for check in result.fit],
                 "why": why_sentence(result.intent, result.reasons, scorer.matcher.profile,
                                     scorer.matcher.taxonomy, result.flags)}  # fmt: skip
    if as_json:
        emit_json({"thread_id": thread_id, **explained})
        return
    out = console()
    out.print(visible(post.title), markup=False)
    out.print(visible(explained["why"]), markup=False)
    out.print(f"score {result.score:.3f} (relevance {result.relevance:.3f}) · {result.intent.value}"
              + (f" · flags: {', '.join(explained['flags'])}" if explained["flags"] else ""),
              markup=False)  # fmt: skip
    out.print(
        "factors: " + ", ".join(f"{k} {v:.2f}" for k, v in result.factors.items()), markup=False
    )
    for reason in result.reasons:
        where = asdict(reason.span)
        place = f"({where['field']} {where['start']}–{where['end']}, weight {reason.weight:.2f})"
        out.print(visible(f"  · {reason.kind.value} {reason.label}: “{reason.text}” {place}"),
                  markup=False)  # fmt: skip


class _bar:
    """A transient progress bar on stderr for long re-scores (only on a terminal)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.progress: Any = None

    def __enter__(self) -> Any:
        if not self.enabled:
            return None
        from rich.progress import Progress

        self.progress = Progress(console=console(stderr=True), transient=True)
        self.progress.start()
        task = self.progress.add_task("scoring", total=None)
        return lambda done, total: self.progress.update(task, completed=done, total=total)

    def __exit__(self, *_: object) -> None:
        if self.progress is not None:
            self.progress.stop()


@click.command("eval")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--personas", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              required=True, help="Personas JSON (profile shape: slug = weight).")  # fmt: skip
@json_option
def evaluate(path: Path, personas: Path, as_json: bool) -> None:
    """Rank a labelled thread set for each persona and print the relevance metrics."""
    from engage.matching import evaluate_file

    try:
        report = evaluate_file(path, personas)
    except (ValueError, KeyError) as exc:
        raise ConfigError(f"{path}: not in the labelled format ({exc})") from None
    if as_json:
        emit_json(report)
        return
    from rich.table import Table

    table = Table(show_edge=False)
    columns = {
        "precision_at_10": "precision@10",
        "ndcg_at_10": "NDCG@10",
        "recall_top20pct": "recall top 20%",
        "hard_negative_fp_rate": "hard neg. in top 20%",
    }
    table.add_column("persona")
    for label in columns.values():
        table.add_column(label, justify="right")
    for persona, values in report["personas"].items():
        table.add_row(persona, *(f"{values[column]:.3f}" for column in columns))
    console().print(table)
