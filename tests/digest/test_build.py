"""What the digest gathers from the database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from engage.config import DigestSettings
from engage.db import Database
from engage.digest.build import build_digest
from engage.digest.render import render_digest
from engage.models import Match, Thread


def add(db: Database, title: str, specialties: list[str], **match: object) -> None:
    now = datetime.now(UTC)
    with db.write() as session:
        thread = Thread(platform="reddit", external_id=title, community="r/therapists",
                        title=title, created_at=now - timedelta(hours=1))  # fmt: skip
        session.add(thread)
        session.flush()
        session.add(Match(thread_id=thread.id, score=1.0, intent="consult_question",
                          specialties=specialties, profile_hash="t", **match))  # fmt: skip


def test_why_names_the_therapists_own_specialties_first_and_only(db: Database) -> None:
    add(db, "EFT after an affair", ["sex_addiction", "couples", "trauma"])
    with db.read() as session:
        data = build_digest(session, DigestSettings(), since=None, yours=("couples", "grief"))
    [(_, [thread])] = data.communities
    assert thread.specialties == ["couples"]


def test_crisis_and_client_side_threads_are_never_networking_opportunities(db: Database) -> None:
    add(db, "I can't go on", ["sex_addiction"], crisis=True)
    add(db, "Should I leave my husband?", ["couples"], client_side=True)
    add(db, "Disclosure timing", ["sex_addiction"])
    with db.read() as session:
        data = build_digest(session, DigestSettings(), since=None)
    worth = [t.title for _, threads in data.communities for t in threads]
    assert worth == ["Disclosure timing"]
    assert [t.title for t in data.crisis] == ["I can't go on"]


def test_every_crisis_thread_of_the_period_is_in_the_digest(db: Database) -> None:
    titles = [f"I can't do this anymore ({n})" for n in range(7)]
    for title in titles:
        add(db, title, [], crisis=True)
    with db.read() as session:
        data = build_digest(session, DigestSettings(), since=None)
    assert sorted(t.title for t in data.crisis) == sorted(titles)
    text = render_digest(data).text
    assert "SOMEONE MAY NEED CRISIS SUPPORT (7)" in text
    assert all(title in text for title in titles)


def test_an_old_thread_that_turned_into_a_crisis_in_the_period_is_in_the_digest(
    db: Database,
) -> None:
    add(db, "Disclosure timing", ["sex_addiction"], crisis=True)
    week_ago = datetime.now(UTC) - timedelta(days=7)
    with db.write() as session:
        thread = session.query(Thread).one()
        thread.first_seen_at = week_ago
        thread.updated_at = datetime.now(UTC)  # its text changed today: a crisis disclosed
    with db.read() as session:
        data = build_digest(session, DigestSettings(), since=datetime.now(UTC) - timedelta(days=1))
    assert [t.title for t in data.crisis] == ["Disclosure timing"]


def approve_one(db: Database, *, approved_hours_ago: float) -> None:
    from engage.models import Draft

    when = datetime.now(UTC) - timedelta(hours=approved_hours_ago)
    with db.write() as session:
        session.add(Draft(kind="reply", platform="reddit", target="t3_x", text="ok",
                          status="approved", approved_hash="h", approved_at=when))  # fmt: skip


def test_approved_replies_not_yet_out_are_waiting_for_the_therapist(db: Database) -> None:
    approve_one(db, approved_hours_ago=1)
    with db.read() as session:
        data = build_digest(session, DigestSettings(), since=None)
    assert (data.approved_waiting, data.approvals_expiring, data.quiet) == (1, 0, False)
    assert "1 approved, not yet out" in render_digest(data).text


def test_an_approval_running_out_within_a_day_is_announced(db: Database) -> None:
    approve_one(db, approved_hours_ago=50)
    with db.read() as session:
        data = build_digest(session, DigestSettings(), since=None, approval_hours=72)
    assert data.approvals_expiring == 1
    assert "1 of them expires within a day" in render_digest(data).html


def seed_reply(db: Database) -> None:
    from engage.models import Engagement, Interaction, Person

    now = datetime.now(UTC)
    with db.write() as session:
        thread = Thread(platform="reddit", external_id="k1", community="r/MFT",
                        title="Pacing disclosure", created_at=now)  # fmt: skip
        person = Person(platform="reddit", handle="Dr_Kim_LMFT", display_name="Dr. Kim")
        session.add_all([thread, person])
        session.flush()
        ours = Engagement(thread_id=thread.id, platform="reddit", kind="reply",
                          community="r/MFT", external_id="o1", at=now)  # fmt: skip
        session.add(ours)
        session.flush()
        session.add(Interaction(person_id=person.id, engagement_id=ours.id,
                                thread_id=thread.id, kind="reply", direction="in",
                                platform="reddit", external_id="r1",
                                excerpt="Slower helps here too.", at=now))  # fmt: skip


def test_a_colleagues_reply_is_in_the_digest_by_name_and_place(db: Database) -> None:
    seed_reply(db)
    with db.read() as session:
        data = build_digest(session, DigestSettings(), since=None)
    rendered = render_digest(data)
    assert "Dr. Kim replied to you in r/MFT" in rendered.text
    assert "Slower helps here too." in rendered.html and not data.quiet


def test_each_draft_waiting_shows_its_first_words_and_what_it_answers(db: Database) -> None:
    from engage.models import Draft

    add(db, "Disclosure timing", ["sex_addiction"])
    with db.write() as session:
        thread = session.query(Thread).one()
        session.add(Draft(kind="reply", platform="reddit", target="t3_x", thread_id=thread.id,
                          text="What helped the couples I see most was a slower pace.",
                          status="pending"))  # fmt: skip
        session.add(Draft(kind="blog_share", platform="linkedin", target="linkedin:share",
                          text="New on the blog: partners first.", status="pending"))  # fmt: skip
    with db.read() as session:
        data = build_digest(session, DigestSettings(), since=None)
    rendered = render_digest(data)
    assert (data.drafts_pending, data.blog_shares_pending) == (1, 1)  # a share counted once
    for part in (rendered.text, rendered.html):
        assert "1 reply to review" in part and "1 share of your blog posts" in part
        assert "a reply to approve, Disclosure timing (r/therapists)" in part
        assert "What helped the couples I see most was a slower pace." in part
        assert "a share to approve" in part and "LinkedIn" in part


def test_figures_never_above_zero_are_left_out_and_the_others_shown(db: Database) -> None:
    seed_reply(db)
    with db.read() as session:
        data = build_digest(session, DigestSettings(), since=None)
    rendered = render_digest(data)
    assert data.stats is not None
    shown = {row.label for row in data.stats.shown_rows}
    assert shown and all(row.label not in shown for row in data.stats.rows if not row.ever)
    for label in shown:
        assert label in rendered.text and label in rendered.html
    for row in data.stats.rows:
        if not row.ever:
            assert row.label not in rendered.text


def test_a_colleague_after_a_few_exchanges_gets_a_next_step_in_the_digest(db: Database) -> None:
    from engage.models import Interaction, Person
    from engage.types import Profile

    seed_reply(db)  # one reply in
    now = datetime.now(UTC)
    with db.write() as session:
        kim = session.query(Person).one()
        for n, direction in enumerate(("out", "in")):
            session.add(Interaction(person_id=kim.id, kind="reply", direction=direction,
                                    platform="reddit", external_id=f"x{n}", at=now))  # fmt: skip
    profile = Profile(specialties={"sex_addiction": 1.0}, location="Southern California")
    with db.read() as session:
        data = build_digest(session, DigestSettings(), since=None, profile=profile)
    [step] = data.next_steps
    assert step.step == "note"
    assert "Dr. Kim: a short personal note" in render_digest(data).text


def test_a_thread_worth_joining_says_why_in_one_sentence_without_slugs(db: Database) -> None:
    from pathlib import Path

    from engage.config import Config, Settings
    from engage.match_rows import build_matcher, score_threads

    settings = Settings.model_validate({"profile": {
        "specialties": {"sex_addiction": 1.0}, "credentials": "LMFT, CSAT",
        "location": "Orange County, CA", "licensed_in": ["CA"]}})  # fmt: skip
    now = datetime.now(UTC)
    with db.write() as session:
        thread = Thread(platform="reddit", external_id="w1", community="r/therapists",
                        title="CSAT referral in Irvine?",
                        body="Looking for a CSAT in Irvine for a client's husband, porn use "
                             "and lying about it. Anyone you trust?", created_at=now)  # fmt: skip
        session.add(thread)
        session.flush()
        score_threads(session, build_matcher(Config(settings, None, Path("."))), [thread.id])
    with db.read() as session:
        data = build_digest(session, DigestSettings(min_score=0.0), since=None,
                            profile=settings.profile.to_profile())  # fmt: skip
    [(_, [worth])] = data.communities
    assert worth.why and "referral" in worth.why
    text = render_digest(data).text
    assert worth.why in text and "sex_addiction" not in text
