"""Who may sign a medical review: the rules behind the name on the public stamp.

A review is signed by a person, not by an account with enough permissions:

* only members of the Medical reviewer role record reviews; ``is_superuser``
  does not stand in for the role, because the stamp names a clinician;
* a review is signed with the logged-in user's *own* linked contributor
  profile, which must have credentials (linking a profile to a login is a
  privileged act, see ``articles.contributors``);
* the reviewer of a full review is neither the article's author nor anyone
  who wrote its text since the last approved full review, unless
  ``settings.ALLOW_SELF_REVIEW`` says otherwise (off by default).

``articles.reviews.record_review`` applies these rules, so every way of
recording a review (review form, "Mark reviewed today", the queue's "confirm
still accurate") obeys them.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from reversion.models import Version

from .models import FAQ, Article, Contributor, Review
from .roles import MEDICAL_REVIEWER


class ReviewError(Exception):
    """A review that cannot be recorded; the message is meant for the user."""


def has_reviewer_role(user) -> bool:
    """Membership of the Medical reviewer group; superuser status is not membership."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.groups.filter(name=MEDICAL_REVIEWER).exists()


def can_record_reviews(user) -> bool:
    return has_reviewer_role(user)


def reviewer_profile(user) -> Contributor:
    """The contributor profile a user signs reviews with (ReviewError says what is missing)."""
    if not has_reviewer_role(user):
        raise ReviewError(
            "Only members of the Medical reviewer role can record medical reviews: the "
            "review is signed with a clinician's name and credentials."
        )
    contributor = Contributor.objects.filter(user=user).first()
    if contributor is None:
        raise ReviewError(
            "Your account is not linked to a contributor profile. Ask an administrator to "
            "link your login to your contributor profile before recording reviews."
        )
    if not contributor.credentials.strip():
        raise ReviewError(
            f"Your contributor profile ({contributor.name}) has no credentials. Reviews are "
            "signed with the reviewer's credentials: ask an editor to add them."
        )
    return contributor


def _version_text(version: Version, faq_type: ContentType) -> tuple:
    fields = version.field_dict
    faqs = sorted(
        (faq.field_dict.get("order", 0), faq.field_dict["question"], faq.field_dict["answer"])
        for faq in version.revision.version_set.filter(content_type=faq_type)
    )
    return (fields.get("title"), fields.get("summary"), fields.get("body"), tuple(faqs))


def text_writer_ids(article: Article) -> set[int]:
    """Users whose saves changed the article's text since its last approved full review.

    Read from the article's history (django-reversion): a saved version whose
    title, summary, body or FAQs differ from the version before it was
    written by the user who saved it.
    """
    if not article.pk:
        return set()
    last_review = (
        article.reviews.filter(scope=Review.Scope.FULL, outcome=Review.Outcome.APPROVED)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    versions = Version.objects.get_for_object(article).select_related("revision")
    versions = list(versions.order_by("revision__date_created", "pk"))
    faq_type = ContentType.objects.get_for_model(FAQ)
    first_new = next(
        (
            index
            for index, version in enumerate(versions)
            if last_review is None or version.revision.date_created > last_review
        ),
        len(versions),
    )
    # The version just before the window is what the first new one is compared with.
    previous = _version_text(versions[first_new - 1], faq_type) if first_new else None
    writers: set[int] = set()
    for version in versions[first_new:]:
        text = _version_text(version, faq_type)
        if text != previous and version.revision.user_id:
            writers.add(version.revision.user_id)
        previous = text
    return writers


def self_review_problem(article: Article, reviewer: Contributor) -> str | None:
    """Why ``reviewer`` may not do this article's full review, or None."""
    if settings.ALLOW_SELF_REVIEW:
        return None
    if article.author_id is not None and article.author_id == reviewer.pk:
        return (
            f"{reviewer.name} wrote “{article}”: a full medical review must be done by "
            "someone other than the article's author."
        )
    if reviewer.user_id is not None and reviewer.user_id in text_writer_ids(article):
        return (
            f"{reviewer.name} edited the text of “{article}” since its last medical review: "
            "a full medical review must be done by someone who did not write the text."
        )
    return None


def check_signature(article: Article, *, reviewer: Contributor, user, scope: str) -> None:
    """Raise ReviewError unless this reviewer may sign this review, recorded by ``user``.

    ``user`` is None only for system records (imports, data set up by code):
    then no login is involved and only the self-review rule applies.
    """
    if user is not None and reviewer_profile(user).pk != reviewer.pk:
        raise ReviewError("A review is signed only with your own contributor profile.")
    if scope == Review.Scope.FULL:
        problem = self_review_problem(article, reviewer)
        if problem:
            raise ReviewError(problem)
