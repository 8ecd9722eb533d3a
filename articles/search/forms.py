from django import forms

from .text import MAX_QUERY_LENGTH


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search articles",
        max_length=MAX_QUERY_LENGTH,
        required=False,
        error_messages={
            "max_length": f"Please shorten your search to {MAX_QUERY_LENGTH} characters or fewer."
        },
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    category = forms.SlugField(required=False)
