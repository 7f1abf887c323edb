"""How each taxonomy specialty reads in a draft: as prose, as a place to find a specialist, and
as hashtags. The taxonomy's own names are list labels ("Trauma, PTSD, EMDR, IFS,
dissociation"); a sentence needs "trauma". Slugs missing here read as their words."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SpecialtyWords:
    """`prose` fits "my work centers on ..." and "a therapist who specializes in ...";
    `directory` fits "... is another good place to look" (None: no specialty directory)."""

    prose: str
    hashtags: tuple[str, ...]
    directory: str | None = None


SPECIALTIES: dict[str, SpecialtyWords] = {
    "sex_addiction": SpecialtyWords(
        "sex addiction and betrayal trauma",
        ("#SexAddiction", "#BetrayalTrauma"),
        "IITAP's directory of Certified Sex Addiction Therapists (CSATs)",
    ),
    "couples": SpecialtyWords(
        "couples therapy and affair recovery",
        ("#CouplesTherapy", "#AffairRecovery"),
        "the ICEEFT directory of EFT couples therapists",
    ),
    "adoption": SpecialtyWords(
        "adoption and foster care",
        ("#Adoption", "#AdoptionCompetent"),
        "C.A.S.E.'s list of adoption-competent therapists",
    ),
    "infertility": SpecialtyWords(
        "infertility and family building",
        ("#Infertility", "#FertilityCounseling"),
        "RESOLVE's directory of fertility counselors",
    ),
    "perinatal": SpecialtyWords(
        "perinatal mental health",
        ("#MaternalMentalHealth", "#Postpartum"),
        "Postpartum Support International's provider directory",
    ),
    "trauma": SpecialtyWords(
        "trauma",
        ("#Trauma", "#EMDR"),
        "EMDRIA's directory of EMDR therapists",
    ),
    "anxiety_ocd": SpecialtyWords(
        "anxiety and OCD",
        ("#OCD", "#Anxiety"),
        "the International OCD Foundation's directory",
    ),
    "eating_disorders": SpecialtyWords(
        "eating disorders",
        ("#EatingDisorders", "#EDRecovery"),
        "ANAD's treatment directory",
    ),
    "child_adolescent": SpecialtyWords(
        "children and teens",
        ("#ChildTherapy", "#Parenting"),
        "your child's pediatrician (who can often refer)",
    ),
    "substance_use": SpecialtyWords(
        "substance use",
        ("#Recovery", "#SubstanceUse"),
        "FindTreatment.gov (SAMHSA's free directory of treatment programs)",
    ),
    "grief": SpecialtyWords(
        "grief and loss",
        ("#Grief", "#GriefSupport"),
        "a local hospice (many run free grief groups)",
    ),
    "lgbtq": SpecialtyWords("LGBTQ+ affirming care", ("#LGBTQ", "#AffirmingCare")),
    "faith_integration": SpecialtyWords(
        "faith-integrated counseling",
        ("#ChristianCounseling", "#FaithAndMentalHealth"),
        "the AACC's directory of Christian counselors",
    ),
    "asian_american": SpecialtyWords(
        "Asian American mental health",
        ("#AsianAmericanMentalHealth", "#AAPI"),
        "the Asian Mental Health Collective's therapist directory",
    ),
    "private_practice_business": SpecialtyWords(
        "the business side of private practice",
        ("#PrivatePractice", "#TherapistBusiness"),
    ),
}


def words_for(slug: str) -> SpecialtyWords:
    """The slug's words; an unknown slug (a user's own taxonomy entry) reads as its name."""
    known = SPECIALTIES.get(slug)
    if known:
        return known
    name = slug.replace("_", " ")
    return SpecialtyWords(name, ("#" + "".join(w.capitalize() for w in name.split()),))
