"""What each kind of warning means, one behaviour per test, on sentences written for these tests.

None of these sentences is taken from a labelled set: the labelled sets are gated on their
aggregate metrics (test_guard_eval.py), and these examples say which kinds of text each rule
is about, so a rule that only knew the labelled sentences would fail here."""

from __future__ import annotations

import pytest

from engage import guard
from engage.guard.context import NOTE_TO_A_COLLEAGUE
from engage.types import GuardContext

EVALUATED = {str(s) for s in guard.EVALUATED_SLUGS}
HELP_SEEKER = "r/Anxiety: A poster asks how to cope."
PEERS = "r/therapists: A clinician asks how others handle this."
ABUSE = "Facebook group: A woman says her husband choked her last night and she is scared."
DESPAIR = "r/depression: A poster says they want to die and have been giving their things away."


def slugs(text: str, context: GuardContext | str = HELP_SEEKER) -> set[str]:
    return {str(w.slug) for w in guard.check(text, context)} & EVALUATED


def flags(slug: str, text: str, context: GuardContext | str = HELP_SEEKER) -> bool:
    return slug in slugs(text, context)


class TestClientIdentifying:
    """A treatment relation (without the words client or patient) x an identifying detail."""

    @pytest.mark.parametrize(
        "text",
        [
            "I counsel a deacon at Pine Ridge Lutheran who hasn't slept properly in months.",
            "A welder I've been seeing since March works nights at Dorrance Steel.",
            "I'm helping a beekeeper in Wallowa County with his panic before markets.",
            "A fisherman from Port Haddon has been seeing me since the storm season.",
            "She told me last session that her brother Tomasz still controls her money.",
            "My 3pm Thursday, a line cook at the Lantern on Fifth, said nearly the same thing.",
            "Had to terminate with K.L. after he moved to the Oakton PD.",
            "Wrapped up two years with a retired ferry captain from Anacortes last week.",
            "A dad in my Tuesday group, Omar, finally told his boss about the diagnosis.",
            "Walter Brisk, whose son I treat, keeps calling for updates.",
            "His dad, Walter Brisk, called my office three times asking what he talks about.",
            "Ines gave me her permission to share that she left the Harmon Valley Academy job.",
        ],
    )
    def test_a_treatment_relation_with_a_detail_is_flagged(self, text: str) -> None:
        assert flags("client_identifying", text)

    @pytest.mark.parametrize(
        "detail",
        [
            "goes to Eastfield High",  # a school by its suffix
            "is stationed at Fort Example",  # a base by its prefix
            "lives on Maple Lane",  # a street
            "was admitted on 5/2 and discharged on 5/9",  # hospital dates
            "lost his house in the Elm Street fire",  # a named local event
            "is the only female blacksmith in the valley",  # a rare role
            "posts here as u/quiet_pine_88",  # a handle
            "is married to a woman named Rosalind",  # a name
        ],
    )
    def test_each_kind_of_identifying_detail_counts(self, detail: str) -> None:
        assert flags("client_identifying", f"Someone I treat {detail}.")
        assert not flags("client_identifying", "Someone I treat has the same worry.")

    @pytest.mark.parametrize(
        "text",
        [
            "When we met Monday you said posting here might help. So proud of you.",
            "I think this is you, and I'm glad you found the words.",
            "Yep, it's me! Keep using the grounding script we rehearsed.",
        ],
    )
    def test_greeting_the_poster_as_ones_own_client_is_flagged(self, text: str) -> None:
        assert flags("client_identifying", text)

    @pytest.mark.parametrize(
        "text",
        [
            "Composite example, details changed: a teacher at a rural school felt exactly this.",
            "I'm 41, live in Asheville, and left teaching at Roosevelt High at 35.",
            "My colleague Jess, an LCSW in Tulsa, runs a great skills group.",
            "When singer Nora Vance talked about her diagnosis, more men called our line.",
            "The trial had 90 nurses aged 25-55 from two hospitals in Ohio.",
            "See you at the Midwest Trauma Summit in Chicago on June 3!",
            "I see a lot of nurses from Mercy General burning out by October.",
            "My own daughter started at Lincoln Middle this fall and it was rough.",
            "I work with a local nonprofit in Denver that runs free grief groups.",
            "Someone I work with at the clinic, an LCSW, swears by that safety plan.",
        ],
    )
    def test_near_misses_stay_clean(self, text: str) -> None:
        assert slugs(text) == set()

    def test_the_posters_own_place_is_not_a_clients_detail(self) -> None:
        text = "A couple I see in Tacoma found the same thing."
        assert not flags("client_identifying", text, "r/Tacoma: A poster in Tacoma asks.")
        assert flags("client_identifying", text, "r/Seattle: A poster in Seattle asks.")

    def test_a_number_offered_for_ones_own_office_is_not_someone_elses(self) -> None:
        text = "I work with teens every week. Call my office at 555-0100 to ask about groups."
        assert not flags("client_identifying", text)
        assert flags("client_identifying", "He texted me from his cell, 555-0100, at 2am.")


class TestTestimonial:
    @pytest.mark.parametrize(
        "text",
        [
            "If I've helped you, a 5-star Google rating would mean a lot.",
            "If you've ever worked with me, please post your story below.",
            "If you finished one of our groups, we'd love to feature your journey on our site.",
            "Sweet note from a client today: 'you helped me find my voice.'",
        ],
    )
    def test_asking_clients_for_praise_or_reposting_it_is_flagged(self, text: str) -> None:
        assert flags("testimonial", text)

    @pytest.mark.parametrize(
        "text",
        [
            "Our code of ethics bars soliciting testimonials, so you won't find any on my site.",
            "Thanks for sharing your story here; it took courage.",
            "I'd rate the Beck workshop 4/5, the role plays were the best part.",
        ],
    )
    def test_talk_about_reviews_is_not_a_request(self, text: str) -> None:
        assert slugs(text) == set()


class TestCrisisMishandled:
    """Whether there is a crisis is the crisis detector's answer; this is what the reply does."""

    def test_couples_work_offered_for_abuse_is_flagged_even_with_a_hotline(self) -> None:
        text = "Call the DV hotline at 1-800-799-7233. Couples counseling could also help you two."
        assert flags("crisis_mishandled", text, ABUSE)

    def test_naming_couples_work_to_warn_against_it_is_clean(self) -> None:
        text = (
            "Please call the DV hotline at 1-800-799-7233, or 911 if you're in danger. "
            "Couples counseling isn't safe while there's violence; an advocate is the next step."
        )
        assert not flags("crisis_mishandled", text, ABUSE)

    def test_an_event_invitation_to_someone_in_despair_is_flagged(self) -> None:
        text = "Please call or text 988 tonight. Also, we're hosting a free workshop, join us!"
        assert flags("crisis_mishandled", text, DESPAIR)

    def test_shrinking_the_danger_is_flagged(self) -> None:
        text = "988 is there. It's probably just a rough patch!"
        assert flags("crisis_mishandled", text, DESPAIR)

    def test_resources_alone_are_clean(self) -> None:
        text = "Please call or text 988 right now, or go to the nearest ER. You matter."
        assert not flags("crisis_mishandled", text, DESPAIR)


class TestIndividualClinicalAdvice:
    @pytest.mark.parametrize(
        "text",
        [
            "You have health anxiety disorder; stop googling symptoms and delete the apps.",
            "That reads like classic PTSD. You need to insist on EMDR.",
            "Honestly you're a dismissive attacher, so stop dating for a while.",
            "Snap the pills in half for a week, no need to call your doctor.",
            "Taper your sertraline to 25 mg this week and stop after that.",
            "Your sister ticks every box for borderline. Cut her off.",
            "That's ADHD, trust me. Don't wait for the psychiatrist's evaluation.",
        ],
    )
    def test_a_stranger_diagnosed_or_told_what_to_take_is_flagged(self, text: str) -> None:
        assert flags("individual_clinical_advice", text)

    @pytest.mark.parametrize(
        "text",
        [
            "Please don't split the tablets without talking to your prescriber first.",
            "Generalized anxiety disorder is common, and it's very treatable.",
            "I can't tell from a post whether it's an eating disorder; an assessment would.",
            "You could ask your therapist whether DBT might fit.",
        ],
    )
    def test_information_and_deferring_to_clinicians_stay_clean(self, text: str) -> None:
        assert slugs(text) == set()

    @pytest.mark.parametrize(
        "text",
        [
            "Thank you for your answer on disclosure pacing.",
            "Thanks for your answer on exposure pacing, it gave me a lot to think about.",
            "Thank you for your reply on grief timelines.",
            "Thanks for your take on attachment repair after an affair.",
            "Grateful for your answer about trauma work with teens.",
            "Thank you for your comments on relapse prevention plans.",
        ],
    )
    def test_thanking_a_colleague_for_their_answer_on_a_clinical_topic_stays_clean(
        self, text: str
    ) -> None:
        assert slugs(text) == set()
        assert slugs(text, NOTE_TO_A_COLLEAGUE) == set()

    def test_case_talk_among_clinicians_is_not_advice_to_a_stranger(self) -> None:
        text = "That's classic GAD. I'd start with worry exposure and loop in the prescriber."
        assert flags("individual_clinical_advice", text, HELP_SEEKER)
        assert not flags("individual_clinical_advice", text, PEERS)


class TestSolicitation:
    @pytest.mark.parametrize(
        "text",
        [
            "Grab a free consult at clearwatercounseling.com/book",
            "You can book with me here: calendly.com/dr-ruiz",
            "Now scheduling new couples for spring, link to book below.",
            "I have a few evening spots, book online at brightpath-counseling.com",
        ],
    )
    def test_booking_ones_own_services_is_flagged(self, text: str) -> None:
        assert flags("solicitation", text)

    @pytest.mark.parametrize(
        "text",
        [
            "The Psychology Today directory lets you filter by insurance and telehealth.",
            "I don't do DMs, but ask follow-ups here and I'll answer in general terms.",
        ],
    )
    def test_public_help_is_not_solicitation(self, text: str) -> None:
        assert slugs(text) == set()
