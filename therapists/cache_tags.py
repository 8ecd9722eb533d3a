"""What the therapist directory's public pages show, for the tagged page cache.

Loaded at start-up by ``mhsite.apps``; see ``mhsite.cachetags``.
"""

from mhsite.cachetags import register_model, register_page

from .models import (
    AgeGroup,
    Approach,
    Community,
    Faith,
    InsurancePlan,
    Language,
    Region,
    Specialty,
    Therapist,
)

# The finder's results and counts, and the sitemap's list of profiles.
FINDER = "finder"
# Term names and slugs: shown in the finder's filters, on profiles and, for
# specialties, in article pages' finder links.
THERAPIST_VOCABULARY = "therapist-vocabulary"
VOCABULARIES = (Specialty, Approach, Language, Community, Faith, AgeGroup, InsurancePlan, Region)


def finder_parameters() -> set[str]:
    """Exactly the parameters the finder's form reads (it drops any other)."""
    from .forms import PAGE_PARAMETERS, VOCABULARY_GROUPS, FinderForm

    return {*FinderForm.base_fields, *(group.key for group in VOCABULARY_GROUPS), *PAGE_PARAMETERS}


register_model(Therapist, lists={FINDER})
for vocabulary in VOCABULARIES:
    # A few hundred terms shown everywhere: one tag per vocabulary, not per term.
    register_model(vocabulary, lists={THERAPIST_VOCABULARY}, per_object=False)

# The finder tells the reader which parameters it ignored, so a URL with unknown
# ones is rendered for that reader and never stored.
register_page(
    "therapists:finder",
    params=finder_parameters,
    tags={FINDER, THERAPIST_VOCABULARY},
    names_unknown=True,
)
# A profile reached from the finder carries the search in "from" for its
# "Back to results" link: rendered for that reader, never stored.
register_page("therapists:detail", uncached_params={"from"})
