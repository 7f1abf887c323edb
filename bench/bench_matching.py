"""Throughput of the matcher: posts scored per second on one core for a 15-specialty profile.

Run: .venv/bin/python bench/bench_matching.py [--seconds N] [--rounds N]

explain=False is ranking only (no Reason objects); explain=True also builds every reason (what
storing a match does). Two post mixes are measured:

* dev: the 120 labelled dev threads of tests/data/eval (their text only). Every one was written
  to be about therapy, so this is the hard case: nearly every post hits the vocabulary.
* mixed: what a real feed looks like. The 120 dev threads plus 360 generated off-topic posts
  (1 thread in 4 written to be about therapy), shuffled. The generated posts are deterministic
  (seeded) and sized like the dev threads (180-730 characters, mean about 420). Half come from
  clinician communities (notes, EHRs, licensure exams, pay, burnout, CEUs, telehealth gear, so
  "client", "insurance", "caseload", "anyone have" and other intent and author cues occur) and
  half from general subreddits (cooking, cars, pets, moving, games, money, with the odd US
  place name, "I'm 27", Edit: line and URL). They are not tuned to miss the vocabulary: about
  a third still hit a specialty phrase (mostly practice business words) and a fifth read as
  client-side.

Crisis triage doesn't depend on the profile: engage reads each post with the crisis detector
once, when it is stored, and every scoring reuses that answer (threads.triage). So scoring is
measured with the triage already read, as `score_threads` does, and the triage itself is
measured on its own (posts/s read once each, at ingest).

Each figure is the best of `--rounds` rounds of `--seconds / --rounds` each: the round least
disturbed by other processes on the machine (the median round is printed too).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from engage.crisis import assess
from engage.matching import Matcher, load_taxonomy
from engage.matching.analysis import SEPARATOR
from engage.matching.evaluate import read_threads
from engage.types import Profile, ScoringInput

THREADS = Path(__file__).resolve().parents[1] / "tests" / "data" / "eval" / "threads-dev.jsonl"
OFF_TOPIC_PER_DEV = 3
SEED = 20240611

_CLINICIAN_COMMUNITIES = (
    "r/therapists",
    "r/socialwork",
    "r/counseling",
    "r/psychotherapy",
    "r/privatepractice",
)
_GENERAL_COMMUNITIES = (
    "r/AskReddit",
    "r/Cooking",
    "r/cars",
    "r/cats",
    "r/personalfinance",
    "r/gaming",
    "r/movingtoNYC",
    "r/careerguidance",
)
_CLINICIAN_TITLES = (
    "Which EHR are people actually happy with?",
    "Studying for the NCMHCE, any tips?",
    "Burned out after six years in community mental health",
    "Salary negotiation for a new agency job",
    "CEU providers that aren't a waste of money",
    "How many hours of supervision did your board count?",
    "Laptop and headset recommendations for telehealth",
    "Progress notes taking me forever",
    "Does anyone else hate the new documentation requirements",
    "Leaving the field after this year",
    "Good books for a first year clinician?",
    "Insurance denied a claim for the third time",
    "Office furniture that doesn't look like a dentist's waiting room",
    "How do you take vacations without feeling guilty",
    "Remote jobs that aren't a content mill",
)
_CLINICIAN_SENTENCES = (
    "I have been in the field for about four years and this is the first time I've asked here.",
    "My agency switched systems last month and nobody got any training on it.",
    "Notes are taking me two hours a day after my last session and I am behind again.",
    "Anyone have a template they like for intake paperwork?",
    "The exam prep course my program recommended was expensive and mostly outdated.",
    "My supervisor is great but only has one hour a week for me.",
    "I'm trying to figure out whether the pay bump is worth the longer commute.",
    "The client portal keeps logging people out in the middle of the session.",
    "I bought a ring light and a second monitor and it made a real difference.",
    "Insurance reimbursement in my area hasn't changed in ten years.",
    "We had a staff meeting about productivity targets and it did not go well.",
    "I'm thinking about taking a month off this summer and I'm nervous about it.",
    "Thoughts on the newer note-writing tools, or is that a privacy nightmare?",
    "Any good podcasts for the drive between home visits?",
    "My caseload is full and the waitlist keeps growing.",
    "The board website says one thing and the application says another.",
    "I'd love to hear what worked for other people in a similar spot.",
    "Our office is moving to a new building and the walls are thin.",
    "Is it normal for the first year to feel this exhausting?",
    "I passed on the second try, so don't give up if the first one goes badly.",
)
_GENERAL_TITLES = (
    "What's the best way to cook rice without a rice cooker?",
    "Car makes a clicking noise when I turn left",
    "My cat won't stop knocking things off the counter",
    "Moving across the country next month, what do I forget?",
    "Is it worth upgrading my graphics card this year?",
    "How do you negotiate a raise after one year?",
    "Best budget running shoes?",
    "Roommate keeps eating my leftovers",
    "What hobby did you pick up as an adult that stuck?",
    "Weekend trip ideas that don't involve flying",
    "First time buying a used car, what should I check?",
    "Sourdough starter smells like nail polish remover",
    "Should I pay off my student loans or invest?",
    "Game recommendations for a long flight",
    "Adopted a kitten from the shelter, any tips?",
)
_GENERAL_SENTENCES = (
    "I've tried a couple of different things and nothing seems to work.",
    "The guy at the shop said it could be the CV joint but I'm not sure.",
    "We're moving from Chicago to Denver and have way too much stuff.",
    "My budget is around $400 but I could stretch a little.",
    "I looked it up online and every answer says something different.",
    "It started about two weeks ago and it's getting worse.",
    "Honestly I just want something that lasts more than a year.",
    "My friends all have opinions and none of them agree.",
    "I work from home so noise during the day matters a lot to me.",
    "The recipe says medium heat but my stove runs hot.",
    "Has anyone had luck with the cheaper brands?",
    "I'm not in a hurry, I just don't want to make a dumb mistake.",
    "Last time I did this I ended up spending twice as much.",
    "We went to Austin for a weekend and loved the food.",
    "The shelter said she's about four months old and very social.",
    "Any advice is appreciated, thanks in advance!",
    "I keep going back and forth on it.",
    "The forecast says rain all weekend so indoor ideas are welcome.",
    "There's a review at https://example.com/reviews/2024/spring that convinced me.",
    "I'm 27 and this is my first real apartment.",
)
_EDITS = (
    "Edit: thanks everyone, lots of good ideas here.",
    "Edit: solved, it was the battery.",
    "Update: going with the second option.",
)


def generated_posts(count: int, seed: int = SEED) -> list[ScoringInput]:
    """`count` off-topic posts from clinician and general communities (deterministic)."""
    rng = random.Random(seed)
    posts = []
    for i in range(count):
        clinician = i % 2 == 0
        communities = _CLINICIAN_COMMUNITIES if clinician else _GENERAL_COMMUNITIES
        titles = _CLINICIAN_TITLES if clinician else _GENERAL_TITLES
        sentences = _CLINICIAN_SENTENCES if clinician else _GENERAL_SENTENCES
        body = " ".join(rng.sample(sentences, rng.randint(3, 9)))
        if rng.random() < 0.15:
            body += "\n\n" + rng.choice(_EDITS)
        posts.append(ScoringInput(rng.choice(titles), body, rng.choice(communities)))
    return posts


def dev_posts() -> list[ScoringInput]:
    return [ScoringInput(r["title"], r["body"], r["community"]) for r in read_threads(THREADS)]


def mixed_posts() -> list[ScoringInput]:
    dev = dev_posts()
    posts = dev + generated_posts(OFF_TOPIC_PER_DEV * len(dev))
    random.Random(SEED).shuffle(posts)
    return posts


def bench_profile(specialties: Sequence[str]) -> Profile:
    return Profile(
        specialties={slug: 1.0 - i / 30 for i, slug in enumerate(sorted(specialties))},
        location="Southern California",
        licensed_in=("CA", "NY", "TX"),
        practice="group practice owner",
        extra_terms=('"betrayal trauma" OR (EMDR AND NOT software)',),
        exclusions=("webinar AND discount",),
    )


def triaged(posts: Sequence[ScoringInput]) -> list[ScoringInput]:
    """The posts with the crisis detector's answer read once, as ingest stores it."""
    return [replace(p, triage=assess(p.title + SEPARATOR + p.body, p.community)) for p in posts]


def rate(work: Callable[[ScoringInput], object], posts: Sequence[ScoringInput], *,
         seconds: float, rounds: int) -> tuple[float, float]:  # fmt: skip
    """(best, median) posts/s over `rounds` rounds."""
    rates = []
    for _ in range(rounds):
        done = 0
        start = time.perf_counter()
        while (elapsed := time.perf_counter() - start) < seconds / rounds:
            for post in posts:
                work(post)
            done += len(posts)
        rates.append(done / elapsed)
    return max(rates), statistics.median(rates)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=3.0, help="time per measurement")
    parser.add_argument("--rounds", type=int, default=5, help="rounds per measurement")
    args = parser.parse_args()

    taxonomy = load_taxonomy()
    profile = bench_profile(list(taxonomy.specialties))
    matcher = Matcher(taxonomy, profile)
    mixes = {"dev": triaged(dev_posts()), "mixed": triaged(mixed_posts())}
    print(f"{len(profile.specialties)} specialties, one core")
    for name, posts in mixes.items():
        characters = sum(len(p.title) + len(p.body) for p in posts) / len(posts)
        label = f"{name:>5}: {len(posts)} distinct posts (mean {characters:.0f} characters)"
        for explain in (False, True):
            best, median = rate(
                lambda post, explain=explain: matcher.score(post, explain=explain), posts,
                seconds=args.seconds, rounds=args.rounds,
            )  # fmt: skip
            print(f"{label}, scoring explain={explain!s:<5}: {best:>7,.0f} posts/s "
                  f"(median round {median:,.0f})")  # fmt: skip
        best, median = rate(
            lambda post: assess(post.title + SEPARATOR + post.body, post.community), posts,
            seconds=args.seconds, rounds=args.rounds,
        )  # fmt: skip
        print(f"{label}, crisis triage (once a post, at ingest): {best:>7,.0f} posts/s "
              f"(median round {median:,.0f})")  # fmt: skip


if __name__ == "__main__":
    main()
