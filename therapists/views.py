from django.views.generic import TemplateView


class FinderView(TemplateView):
    """Placeholder until the directory issue lands; the finder replaces it."""

    template_name = "therapists/finder.html"
