"""The article page's inlines: FAQs and references numbered in order, related links."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminTextareaWidget
from django.db import models
from django.forms.models import BaseInlineFormSet
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

from ..models import FAQ, Reference, RelatedArticle

MARKDOWN_WIDGETS = {MarkdownxField: {"widget": AdminMarkdownxWidget}}


class SequentialOrderFormSet(BaseInlineFormSet):
    """Rows saved with an empty order go after the others, in the order they appear.

    The order field starts empty (not 0) on new rows, so FAQs and references
    added one after another are numbered 1, 2, 3... without the editor typing it.
    """

    def clean(self):
        super().clean()
        kept = [
            form
            for form in self.forms
            if hasattr(form, "cleaned_data")
            and form.cleaned_data
            and not form.cleaned_data.get("DELETE")
        ]
        used = [form.cleaned_data["order"] for form in kept if form.cleaned_data.get("order")]
        next_order = max(used, default=0) + 1
        for form in kept:
            if form.cleaned_data.get("order") is None:
                form.cleaned_data["order"] = form.instance.order = next_order
                next_order += 1


def _order_field(db_field, **kwargs):
    if db_field.name == "order":
        return forms.IntegerField(
            label="order",
            required=False,
            min_value=0,
            help_text="Left empty: after the others.",
            widget=forms.NumberInput(attrs={"class": "vIntegerField"}),
        )
    return None


class FAQInline(admin.StackedInline):
    model = FAQ
    formset = SequentialOrderFormSet
    fields = ["question", "answer", "order"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return _order_field(db_field) or super().formfield_for_dbfield(db_field, request, **kwargs)

    formfield_overrides = MARKDOWN_WIDGETS
    extra = 1

    class Media:
        # Gives FAQ rows added with "Add another" the live preview too.
        js = ["articles/admin/markdownx_inlines.js"]


class ReferenceInline(admin.TabularInline):
    model = Reference
    formset = SequentialOrderFormSet
    fields = ["citation", "url", "order"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return _order_field(db_field) or super().formfield_for_dbfield(db_field, request, **kwargs)

    # A citation is a line or two, not a full-height text area.
    formfield_overrides = {models.TextField: {"widget": AdminTextareaWidget(attrs={"rows": 2})}}
    extra = 1


class RelatedArticleForm(forms.ModelForm):
    class Meta:
        model = RelatedArticle
        fields = ["target", "order"]

    def clean(self):
        cleaned_data = super().clean()
        target = cleaned_data.get("target")
        # The inline formset sets article_id on the instance before validation;
        # the database constraint would otherwise surface as a server error.
        if target and self.instance.article_id and target.pk == self.instance.article_id:
            self.add_error("target", "An article cannot be related to itself.")
        return cleaned_data


class RelatedArticleInline(admin.TabularInline):
    model = RelatedArticle
    form = RelatedArticleForm
    fk_name = "article"
    fields = ["target", "order"]
    autocomplete_fields = ["target"]
    extra = 0
    verbose_name = "related article"
    verbose_name_plural = "related articles (shown as “Additional posts”, in this order)"
