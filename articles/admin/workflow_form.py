"""The article change form's share of the review workflow: what each role may submit.

Mixed into the article admin's form (articles/admin/workflow.py): status and
scheduling by role, the publishing rules of articles/publishing.py judged on
the submitted text (with an editor's recorded override), and refusal of a save
made from a stale form.
"""

import copy

from django import forms
from django.utils import formats, timezone
from reversion.models import Version

from .. import checks, publishing, reviews
from ..models import Article

WRITER_STATUSES = {Article.Status.DRAFT, Article.Status.IN_REVIEW}
LOCKED_STATUSES = {Article.Status.PUBLISHED, Article.Status.ARCHIVED}


def _formset_rows(data, prefix: str, fields: list[str]) -> list[dict[str, str]]:
    """The rows of an inline formset as submitted (deleted rows left out)."""
    try:
        total = int(data.get(f"{prefix}-TOTAL_FORMS", 0))
    except (TypeError, ValueError):
        return []
    rows = []
    for index in range(min(total, 1000)):
        if data.get(f"{prefix}-{index}-DELETE"):
            continue
        row = {field: data.get(f"{prefix}-{index}-{field}", "") for field in fields}
        if any(value.strip() for value in row.values()):
            rows.append(row)
    return rows


class ArticleWorkflowFormMixin(forms.Form):
    """Mixed into the article admin's form by ``ArticleWorkflowAdmin.get_form``."""

    edit_token_seen = forms.UUIDField(widget=forms.HiddenInput, required=False)
    override_reason = forms.CharField(
        label="Reason to publish anyway",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=(
            "Editors only. Publishing without a current medical review, or with clinically "
            "sensitive text changed since it, needs a reason. It is recorded with your name."
        ),
    )

    request = None  # set by the admin

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.publish_override = None
        # Editors come to write: the title, not the first field Django finds.
        for name, field in self.fields.items():
            field.widget.attrs.pop("autofocus", None)
            if name == "title":
                field.widget.attrs["autofocus"] = True
        if self.instance.pk:
            self.fields["edit_token_seen"].initial = self.instance.edit_token
        if "status" in self.fields and not self._can("publish_article"):
            self.fields["status"].choices = [
                choice for choice in self.fields["status"].choices if choice[0] in WRITER_STATUSES
            ]

    def _can(self, permission: str) -> bool:
        return self.request is not None and self.request.user.has_perm(f"articles.{permission}")

    def clean(self):
        cleaned_data = super().clean()
        article = self.instance  # still the stored values: the form copies its data in later
        # The admin's form always carries the token; a client that sends none
        # (scripts, tests building POST data) gets no conflict check.
        has_token = self.add_prefix("edit_token_seen") in self.data
        if article.pk and has_token and not self._check_edit_token(article):
            return cleaned_data
        status = cleaned_data.get("status", article.status)
        if not self._can("publish_article") and (
            status in LOCKED_STATUSES or article.status in LOCKED_STATUSES
        ):
            raise forms.ValidationError(
                "Only editors can publish, archive or change a published article."
            )

        candidate = copy.copy(article)
        for name, value in cleaned_data.items():
            field = next((f for f in Article._meta.concrete_fields if f.name == name), None)
            if field is not None:
                setattr(candidate, field.attname if field.is_relation else name, value)
        if status == Article.Status.PUBLISHED and not candidate.published_at:
            candidate.published_at = timezone.now()

        for field, message in publishing.schedule_errors(
            candidate.published_at,
            candidate.expires_at,
            expiry_changed="expires_at" in self.changed_data,
        ).items():
            self.add_error(field if field in self.fields else None, message)

        faqs = [
            (row["question"], row["answer"]) for row in self._rows("faqs", ["question", "answer"])
        ]
        if article.pk and article.reviewed_sensitive_text is None and article.last_reviewed:
            # Reviewed before this system kept snapshots (imports, older data):
            # the stored text is what that review vouched for.
            article.reviewed_sensitive_text = reviews.article_sensitive_passages(article)
            candidate.reviewed_sensitive_text = article.reviewed_sensitive_text
        passages = reviews.article_sensitive_passages(candidate, faqs)
        if status == Article.Status.PUBLISHED:
            self._check_publishing(article, candidate, passages, faqs)
        return cleaned_data

    def _rows(self, prefix: str, fields: list[str]) -> list[dict[str, str]]:
        if not self.is_bound:
            return []
        if f"{prefix}-TOTAL_FORMS" not in self.data and self.instance.pk:
            if prefix == "faqs":
                return [
                    {"question": f.question, "answer": f.answer} for f in self.instance.faqs.all()
                ]
            return [{"citation": r.citation} for r in self.instance.references.all()]
        return _formset_rows(self.data, prefix, fields)

    def _check_edit_token(self, article: Article) -> bool:
        current = (
            Article.objects.select_for_update()
            .filter(pk=article.pk)
            .values_list("edit_token", "modified_at")
            .first()
        )
        if current is None or self.cleaned_data.get("edit_token_seen") == current[0]:
            return True
        token, modified_at = current
        latest = Version.objects.get_for_object(article).select_related("revision__user").first()
        who = ""
        if latest and latest.revision.user:
            who = f" by {latest.revision.user.get_username()}"
        when = formats.date_format(timezone.localtime(modified_at), "DATETIME_FORMAT")
        # The next save from this page is a deliberate one: carry the current token.
        data = self.data.copy()
        data[self.add_prefix("edit_token_seen")] = str(token)
        self.data = data
        self.add_error(
            None,
            f"This article was changed{who} at {when}, after you opened it. Nothing was "
            "saved, so their changes are safe. Your text is still in the form below: "
            "compare it with the latest version (History), then save again to replace it.",
        )
        return False

    def _check_publishing(self, article, candidate, passages, faqs) -> None:
        was_published = article.pk and article.status == Article.Status.PUBLISHED
        # A revert (articles/reverting.py) has already written the old text to
        # the row: compare with the text as it stood before the revert.
        stored = getattr(article, "passages_before_revert", None)
        if stored is None and was_published:
            stored = reviews.article_sensitive_passages(article)
        sensitive_edit = not was_published or passages != stored
        problems = []
        if sensitive_edit:
            problems += publishing.review_problems(candidate, passages=passages)
        reference_count = len(self._rows("references", ["citation"]))
        # The submitted text: candidate.body_html is still the stored, previous body.
        check_results = checks.run_checks_on_text(
            candidate, faqs=faqs, reference_count=reference_count
        )
        problems += publishing.check_problems(check_results)
        if not problems:
            return
        reason = self.cleaned_data.get("override_reason", "").strip()
        overridable = all(problem.overridable for problem in problems)
        if overridable and reason and self._can("override_review_rules"):
            self.publish_override = (reason, problems)
            return
        message = "This article cannot be published yet. " + publishing.describe(problems)
        if overridable and self._can("override_review_rules"):
            message += (
                " To publish anyway, open “Publish anyway” below Publishing and give your "
                "reason in “Reason to publish anyway”."
            )
        elif overridable:
            message += " Save it as “In review” and ask a medical reviewer or an editor."
        self.add_error(None, message)
