"""The worker's soak (issue 17): `engage run` for an hour against loopback Reddit and SMTP, killed
and restarted at random, with faults injected, checked for what must hold over months.

    .venv/bin/python -m bench.soak_worker [--minutes 60] [--out /tmp/soak/figures.json]

What runs: the fake Reddit (tests/fakes/reddit.py) and the digest tests' SMTP server
(tests/digest/conftest.py: aiosmtpd, STARTTLS with a test CA), both in this process on
127.0.0.1; the worker (`engage run --tick 1`, SQLite in a fresh data directory) as a child process.
Meanwhile new threads arrive on the fake Reddit every few seconds; a script approves each pending
draft with `engage drafts approve --hash` as it appears (guard-blocked ones are left pending);
colleagues answer published replies (read back by the replies job); faults are injected (429,
5xx, dropped connections, slow answers, and comment POSTs that take effect and then answer 502 or
drop the connection); and the worker is killed with SIGKILL every 1-5 minutes and started again.

At the end (no more kills or faults, the worker given `--drain-seconds` to settle, then stopped
with SIGTERM) it prints and writes (`--out`) the figures: duplicate publications (our account's
comments per approved draft, counted on the server), every approved draft's final state (any
not published listed with its state and error), the worker's RSS (sampled every few seconds:
median of the first ten minutes against the last ten), the database and WAL file sizes
(sampled), job-run outcomes, and what was injected. Nothing leaves the machine: every URL in
the worker's config is loopback. Exit status 0 when the invariants hold, 1 when one does not.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import trustme

from engage.desk.states import approval_hash
from tests.digest.conftest import PASSWORD, Mailbox, server_context, start_server
from tests.fakes.reddit import FIRST_POST_ID, WEB, FakeReddit, generate_submissions
from tests.fakes.server import Fault

ROOT = Path(__file__).resolve().parents[1]
SUBREDDITS = ["therapists", "psychotherapy", "socialwork"]
USER = "engage_therapist"  # FakeReddit.username: every token's account
#: What the fake Reddit may be made to do, with the path each fault waits for.
FAULTS: dict[str, Fault] = {
    "listing 429": Fault(status=429, retry_after="2", path="/r/"),
    "listing 503": Fault(status=503, path="/r/"),
    "listing 500": Fault(status=500, path="/r/"),
    "listing dropped": Fault(reset=True, path="/r/"),
    "listing slow (4 s)": Fault(delay=4.0, path="/r/"),
    "info 502": Fault(status=502, path="/api/info"),
    "inbox 503": Fault(status=503, path="/message/inbox"),
    "token 500": Fault(status=500, path="/api/v1/access_token"),
    "comment sent, then 502": Fault(status=502, path="/api/comment", after_route=True),
    "comment sent, then dropped": Fault(reset=True, path="/api/comment", after_route=True),
    "comment 503 (not sent)": Fault(status=503, path="/api/comment"),
    "own comments 500": Fault(status=500, path=f"/user/{USER}/comments"),
}
SAMPLE_SECONDS = 5.0
#: How long a draft stays unknown (reconciliation looking for it each publish run) before the
#: script, as the therapist, looks at the thread and resolves it.
UNKNOWN_GRACE = 30.0
WINDOW_SECONDS = 600.0  # the first and last ten minutes compared for memory


class Soak:
    """The world the worker runs in, the actors around it, and what they saw."""

    def __init__(self, args: argparse.Namespace, work: Path) -> None:
        self.args = args
        self.work = work
        self.home = work / "home"
        self.rng = random.Random(args.seed)
        self.stop_actors = threading.Event()
        self.calm = threading.Event()  # set at the end: no more arrivals, faults or kills
        self.reddit = FakeReddit()
        self.mailbox = Mailbox()
        self.ca = trustme.CA()
        self.worker: subprocess.Popen[bytes] | None = None
        self.worker_lock = threading.Lock()
        self.started_at = time.monotonic()
        self.threads_posted = 0
        self.approved: dict[int, dict[str, Any]] = {}  # draft id -> its row when approved
        self.approve_refused: Counter[str] = Counter()
        self.resolved: Counter[str] = Counter()  # unknown outcomes the script settled, by verdict
        self.left_pending: dict[int, str] = {}  # draft id -> why the script did not approve it
        self.injected: Counter[str] = Counter()
        self.colleague_replies = 0
        self.kills = 0
        self.starts = 0
        self.samples: list[dict[str, float]] = []

    # --- the world ------------------------------------------------------------------------

    def env(self, smtp_port: int) -> dict[str, str]:
        ca_file = self.work / "ca.pem"
        self.ca.cert_pem.write_to_path(str(ca_file))
        config = self.work / "engage.toml"
        url = self.reddit.url
        config.write_text(
            '[profile]\nname = "Grace Lee"\n'
            "[profile.specialties]\nperinatal = 1.0\nanxiety_ocd = 1.0\ngrief = 1.0\ntrauma = 1.0\n"
            "couples = 1.0\n"
            f'[reddit]\nmode = "api"\nsubreddits = {json.dumps(SUBREDDITS)}\n'
            f'api_url = "{url}"\nauth_url = "{url}"\nrss_url = "{url}"\npoll_minutes = 0.1\n'
            "[publishing]\ndraft_threshold = 0.2\ndaily_max_drafts = 100000\n"
            "max_posts_per_day = 100000\nmax_posts_per_community_per_day = 100000\n"
            "min_minutes_between_posts = 0\n"
            '[digest]\nenabled = true\nto = "grace@example.org"\nsender = "engage@example.org"\n'
            'timezone = "UTC"\nsend_at = "00:00"\n'
            f'smtp_host = "127.0.0.1"\nsmtp_port = {smtp_port}\n'
            f'smtp_security = "starttls"\nsmtp_username = "grace"\nsmtp_timeout = 5\n'
            f'smtp_ca_file = "{ca_file}"\n'
            "[network]\nrequest_deadline_seconds = 20\n"
        )
        return {
            **os.environ,
            "ENGAGE_CONFIG": str(config),
            "ENGAGE_HOME": str(self.home),
            "ENGAGE_REDDIT_CLIENT_ID": "soak-client",
            "ENGAGE_REDDIT_CLIENT_SECRET": "soak-secret",
            "ENGAGE_REDDIT_USERNAME": USER,
            "ENGAGE_REDDIT_PASSWORD": "soak-password",
            "ENGAGE_SMTP_PASSWORD": PASSWORD,
        }

    def engage(self, env: dict[str, str], *argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "engage", *argv], env=env, text=True,
                              capture_output=True, timeout=120)  # fmt: skip

    # --- the worker -----------------------------------------------------------------------

    def start_worker(self, env: dict[str, str]) -> None:
        log = (self.work / "worker-output.log").open("ab")
        with self.worker_lock:
            self.worker = subprocess.Popen(
                [sys.executable, "-m", "engage", "run", "--tick", str(self.args.tick)],
                env=env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
            self.starts += 1

    def kill_worker(self) -> None:
        with self.worker_lock:
            assert self.worker is not None
            self.worker.send_signal(signal.SIGKILL)
            self.worker.wait()
            self.kills += 1

    # --- the actors (each a thread until stop_actors) ---------------------------------------

    def every(self, seconds: Callable[[], float], act: Callable[[], None],
              until: threading.Event | None = None) -> threading.Thread:  # fmt: skip
        """Run `act` every `seconds()` in a thread of its own, until `until` (default:
        stop_actors) is set."""
        stop = until or self.stop_actors

        def loop() -> None:
            while not stop.wait(seconds()):
                try:
                    act()
                except Exception as exc:  # an actor's hiccup is reported, never the end
                    print(f"[{self.elapsed():7.0f}s] {act.__name__}: {exc!r}", flush=True)

        thread = threading.Thread(target=loop, name=act.__name__, daemon=True)
        thread.start()
        return thread

    def arrive(self) -> None:
        """A new thread on one of the watched subreddits, created now."""
        [post] = generate_submissions(1, SUBREDDITS, first_id=FIRST_POST_ID + self.threads_posted,
                                      start=time.time(), seed=self.threads_posted)  # fmt: skip
        self.reddit.store.add("t3", post)
        self.threads_posted += 1

    def inject(self) -> None:
        name = self.rng.choice(sorted(FAULTS))
        self.reddit.inject(FAULTS[name])
        self.injected[name] += 1

    def answer(self) -> None:
        """A colleague answers one of our published comments (the replies job reads it)."""
        if ours := self.our_comments():
            parent = self.rng.choice(ours)
            self.reddit.answer(str(parent["name"]), author="colleague_sam",
                               body="Thank you, that is a helpful way to put it.")  # fmt: skip
            self.colleague_replies += 1

    def approver(self, env: dict[str, str]) -> Callable[[], None]:
        """What a therapist does at the desk: fill in the template's blanks, then approve
        exactly that text (--hash). A draft still blocked after that is left pending."""

        def approve_pending() -> None:
            listed = self.engage(env, "drafts", "list", "--status", "pending", "--json")
            if listed.returncode != 0:
                self.approve_refused[f"list: {last_line(listed.stderr)}"] += 1
                return
            for row in json.loads(listed.stdout):
                if row["id"] in self.left_pending:
                    continue
                if blanks(row):
                    text = filled(row)
                    edited = self.engage(env, "drafts", "edit", str(row["id"]), "--text",
                                         text, "--json")  # fmt: skip
                    if edited.returncode != 0:
                        self.approve_refused[f"edit: {last_line(edited.stderr)}"] += 1
                        continue
                    # The edit answers with the guard's new warnings; the hash is the one
                    # `drafts show --json` would give (one CLI start less per draft).
                    row = {**row, "text": text, "warnings": json.loads(edited.stdout)["warnings"],
                           "approval_hash": approval_hash(text, str(row["target"]))}  # fmt: skip
                if blocking := sorted({w["slug"] for w in row["warnings"] if w.get("blocking")}):
                    self.left_pending[row["id"]] = "guard: " + ", ".join(blocking)
                    continue
                done = self.engage(env, "drafts", "approve", str(row["id"]),
                                   "--hash", row["approval_hash"], "--json")  # fmt: skip
                if done.returncode == 0:
                    self.approved[row["id"]] = row
                else:
                    self.approve_refused[last_line(done.stderr)] += 1

        return approve_pending

    def resolver(self, env: dict[str, str]) -> Callable[[], None]:
        """What a therapist does with a draft whose outcome is unknown, once reconciliation has
        had its chance (UNKNOWN_GRACE): look at the thread, then resolve it as found there."""
        unknown_since: dict[int, float] = {}

        def resolve_unknown() -> None:
            listed = self.engage(env, "drafts", "list", "--status", "unknown", "--json")
            if listed.returncode != 0:
                return
            for row in json.loads(listed.stdout):
                since = unknown_since.setdefault(row["id"], time.monotonic())
                if time.monotonic() - since < UNKNOWN_GRACE:
                    continue
                live = self.our_comments(str(row["target"]))
                verdict = (["--posted", WEB + str(live[0]["permalink"])] if live
                           else ["--not-posted"])  # fmt: skip
                done = self.engage(env, "drafts", "resolve", str(row["id"]), *verdict, "--json")
                if done.returncode == 0:
                    del unknown_since[row["id"]]
                    self.resolved["live, missed by reconciliation" if live else "not posted"] += 1

        return resolve_unknown

    def our_comments(self, parent: str | None = None) -> list[dict[str, Any]]:
        """Our account's comments on the fake Reddit (under `parent` only, when given)."""
        return [t.data for t in list(self.reddit.store.things.values())
                if t.kind == "t1" and t.data.get("author") == USER
                and (parent is None or t.data.get("parent_id") == parent)]  # fmt: skip

    def sample(self) -> None:
        with self.worker_lock:
            pid = self.worker.pid if self.worker is not None else None
        self.samples.append({
            "t": self.elapsed(), "rss_mb": rss_mb(pid),
            "db_mb": size_mb(self.home / "engage.db"),
            "wal_mb": size_mb(self.home / "engage.db-wal"),
        })  # fmt: skip

    def elapsed(self) -> float:
        return time.monotonic() - self.started_at

    # --- the run --------------------------------------------------------------------------

    def run(self) -> dict[str, Any]:
        args = self.args
        smtp = start_server(self.mailbox, server_context(self.ca), require_starttls=True,
                            auth_required=True)  # fmt: skip
        self.reddit.start()
        env = self.env(smtp.port)
        try:
            self.start_worker(env)
            chaos = [
                self.every(lambda: args.arrival_seconds, self.arrive, until=self.calm),
                self.every(
                    lambda: self.rng.uniform(0.5, 1.5) * args.fault_seconds,
                    self.inject,
                    until=self.calm,
                ),
            ]
            actors = [
                self.every(lambda: 3.0, self.approver(env)),
                self.every(lambda: 10.0, self.resolver(env)),
                self.every(lambda: 30.0, self.answer),
                self.every(lambda: SAMPLE_SECONDS, self.sample),
            ]
            end = self.started_at + args.minutes * 60
            while (left := end - time.monotonic()) > 0:
                time.sleep(min(left, self.rng.uniform(60, 300)))
                if time.monotonic() < end and not args.no_kills:
                    self.kill_worker()
                    print(f"[{self.elapsed():7.0f}s] killed the worker (kill {self.kills}); "
                          f"{self.threads_posted} threads, {len(self.approved)} approved",
                          flush=True)  # fmt: skip
                    self.start_worker(env)
            self.calm.set()
            for actor in chaos:
                actor.join()
            self.reddit.clear()  # the faults not yet taken
            settled = self.drain(env)
            self.stop_actors.set()
            for actor in actors:
                actor.join()
            assert self.worker is not None
            self.worker.send_signal(signal.SIGTERM)
            stopped = self.worker.wait(timeout=120)
            return self.figures(env, settled, stopped)
        finally:
            with self.worker_lock:
                if self.worker is not None and self.worker.poll() is None:
                    self.worker.kill()
            self.reddit.stop()
            smtp.stop()

    def drain(self, env: dict[str, str]) -> float:
        """Let the last drafts be approved and go out (no arrivals, faults or kills; a draft
        claimed by a killed worker waits for its publishing lease); how long that took."""
        began = time.monotonic()
        while time.monotonic() - began < self.args.drain_seconds:
            time.sleep(5)
            moving = self.engage(env, "drafts", "list", "--status", "pending", "--status",
                                 "approved", "--status", "publishing", "--status", "unknown",
                                 "--json")  # fmt: skip
            if moving.returncode == 0 and all(row["id"] in self.left_pending
                                              for row in json.loads(moving.stdout)):  # fmt: skip
                break
        return time.monotonic() - began

    # --- the figures ----------------------------------------------------------------------

    def figures(self, env: dict[str, str], settled: float, stopped: int) -> dict[str, Any]:
        drafts = {row["id"]: row for row in json.loads(self.engage(env, "drafts", "list",
                                                                    "--json").stdout)}  # fmt: skip
        ours = self.our_comments()
        per_parent = Counter(str(c["parent_id"]) for c in ours)
        approved_parents = {str(row["target"]) for row in self.approved.values()}
        duplicates = {parent: n for parent, n in per_parent.items() if n > 1}
        unapproved = sorted(set(per_parent) - approved_parents)
        final = Counter(drafts[i]["status"] for i in self.approved if i in drafts)
        left = [{"draft": i, "status": drafts[i]["status"], "error": drafts[i]["error"]}
                for i in sorted(self.approved)
                if i in drafts and drafts[i]["status"] != "published"]  # fmt: skip
        unresolved = [d for d in left if d["status"] in ("approved", "publishing", "unknown")]
        status = json.loads(self.engage(env, "status", "--json").stdout)
        rss = [(s["t"], s["rss_mb"]) for s in self.samples if s["rss_mb"] > 0]
        first = [mb for t, mb in rss if t <= WINDOW_SECONDS]
        end = self.args.minutes * 60
        last = [mb for t, mb in rss if end - WINDOW_SECONDS <= t <= end]
        return {
            "minutes": self.args.minutes,
            "worker": {
                "starts": self.starts,
                "kill -9": self.kills,
                "exit status on SIGTERM": stopped,
            },
            "threads": {
                "arrived on the fake Reddit": self.threads_posted,
                "stored": status["counts"].get("threads"),
            },
            "drafts": {
                "made": len(drafts),
                "approved by the script": len(self.approved),
                "left pending by the script": dict(Counter(self.left_pending.values())),
                "approvals refused": dict(self.approve_refused),
            },
            "unknown outcomes resolved by the script": dict(self.resolved),
            "approved drafts' final state": dict(final),
            "approved drafts not published": left,
            "approved drafts unresolved": len(unresolved),
            "publications": {
                "comments by our account": len(ours),
                "threads with more than one of our comments": len(duplicates),
                "duplicate comments": sum(n - 1 for n in duplicates.values()),
                "comments on threads never approved": len(unapproved),
            },
            "colleague replies posted": self.colleague_replies,
            "digests received": len(self.mailbox.messages),
            "faults injected": dict(self.injected),
            "memory (worker RSS, MB)": {
                "median first 10 min": median(first),
                "median last 10 min": median(last),
                "max": round(max((mb for _, mb in rss), default=0.0), 1),
                "samples": len(rss),
            },
            "database (MB)": peak_and_final(self.samples, "db_mb"),
            "WAL (MB)": peak_and_final(self.samples, "wal_mb"),
            "job runs": job_runs(self.home),
            "drain seconds": round(settled, 1),
        }


def job_runs(home: Path) -> dict[str, Any]:
    """Each job's runs by outcome, from the database the worker kept."""
    from sqlalchemy import text

    from engage.db import Database

    database = Database(f"sqlite:///{home / 'engage.db'}")
    with database.read() as session:
        rows = session.execute(text("SELECT job, status, count(*) FROM job_runs "
                                    "GROUP BY job, status ORDER BY job, status"))  # fmt: skip
        counted: dict[str, dict[str, int]] = {}
        for job, outcome, n in rows:
            counted.setdefault(str(job), {})[str(outcome)] = int(n)
    database.dispose()
    return counted


#: What the therapist writes in place of a template's [blank].
FILLED = "In my practice I go slowly, name the pattern with the client, and check in each week"


def blanks(row: dict[str, Any]) -> list[tuple[int, int]]:
    """The spans of the template blanks the guard found in a draft, last first."""
    spans = [tuple(w["span"]) for w in row["warnings"] if w["slug"] == "unfilled_placeholder"]
    return sorted(((int(a), int(b)) for a, b in spans), reverse=True)


def filled(row: dict[str, Any]) -> str:
    text = str(row["text"])
    for start, end in blanks(row):
        text = text[:start] + FILLED + text[end:]
    return text.strip()


def rss_mb(pid: int | None) -> float:
    if pid is None:
        return 0.0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:  # between a kill and the restart
        pass
    return 0.0


def size_mb(path: Path) -> float:
    try:
        return path.stat().st_size / 1_000_000
    except OSError:
        return 0.0


def median(values: list[float]) -> float:
    return round(statistics.median(values), 1) if values else 0.0


def peak_and_final(samples: list[dict[str, float]], key: str) -> dict[str, float]:
    values = [s[key] for s in samples]
    return {"max": round(max(values, default=0.0), 2),
            "final": round(values[-1] if values else 0.0, 2)}  # fmt: skip


def last_line(text: str) -> str:
    lines = text.strip().splitlines()
    return lines[-1] if lines else "(no message)"


def print_table(figures: dict[str, Any]) -> None:
    def rows(value: Any, prefix: str = "") -> list[tuple[str, str]]:
        if isinstance(value, dict) and value:
            return [row for key, item in value.items() for row in rows(item, f"{prefix}{key} / ")]
        return [(prefix.rstrip(" /"), json.dumps(value) if isinstance(value, list) else str(value))]

    table = rows(figures)
    width = max(len(name) for name, _ in table)
    for name, value in table:
        print(f"{name:<{width}}  {value}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=60.0)
    parser.add_argument("--out", type=Path, default=Path("soak-figures.json"))
    parser.add_argument("--tick", type=float, default=1.0, help="the worker's --tick, seconds")
    parser.add_argument("--arrival-seconds", type=float, default=8.0,
                        help="one new thread on the fake Reddit this often")  # fmt: skip
    parser.add_argument("--fault-seconds", type=float, default=20.0,
                        help="one fault injected about this often")  # fmt: skip
    parser.add_argument("--drain-seconds", type=float, default=720.0,
                        help="at most this long for the last drafts to go out (a draft claimed "
                        "by a killed worker waits for its 10-minute publishing lease)")  # fmt: skip
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--no-kills", action="store_true",
                        help="one worker process throughout (its memory over the run)")  # fmt: skip
    parser.add_argument("--workdir", type=Path,
                        help="keep the data directory and the worker's log here (default: a "
                        "temporary directory, removed)")  # fmt: skip
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="engage-soak-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"soak: {args.minutes:g} minutes in {work}", flush=True)
    try:
        figures = Soak(args, work).run()
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    print_table(figures)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(figures, indent=2) + "\n")
    publications = figures["publications"]
    held = (publications["duplicate comments"] == 0
            and publications["comments on threads never approved"] == 0
            and figures["approved drafts unresolved"] == 0)  # fmt: skip
    return 0 if held else 1


if __name__ == "__main__":
    sys.exit(main())
