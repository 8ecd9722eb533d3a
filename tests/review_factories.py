"""Users in each editorial role, and reviewers linked to contributor profiles."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from articles.models import Article
from articles.reviews import record_review
from tests.factories import make_article, make_contributor


def make_role_user(role: str, username: str | None = None, **fields):
    """A staff user (not a superuser) whose only permissions come from the role's group."""
    username = username or role.lower().replace(" ", "-")
    fields.setdefault("email", f"{username}@example.com")
    user = get_user_model().objects.create_user(
        username=username, password="pw-for-tests-only", is_staff=True, **fields
    )
    user.groups.add(Group.objects.get(name=role))
    return user


def make_reviewer_user(username: str = "reviewer", role: str = "Medical reviewer", **fields):
    """A user in the role with a linked contributor profile that has credentials."""
    user = make_role_user(role, username, **fields)
    contributor = make_contributor(name=f"Dr. {username.title()} Example", user=user)
    return user, contributor


def make_reviewed_article(reviewer=None, **fields) -> Article:
    """A published article whose last approved full review is recorded today."""
    fields.setdefault(
        "body", "Intro paragraph.\n\n## Treatment\n\nThe usual starting dose is 50 mg a day.\n"
    )
    article = make_article(last_reviewed=None, **fields)
    record_review(article, reviewer=reviewer or make_contributor())
    article.refresh_from_db()
    return article
