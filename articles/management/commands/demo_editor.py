import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from articles.models import Contributor

USERNAME = "editor"


class Command(BaseCommand):
    help = (
        "Local development only (DEBUG on): make sure a demo superuser 'editor' exists. "
        "A newly created account gets a random password, printed once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--admin-url",
            help="Where the admin is served, for the login hint (default: SITE_URL + /admin/). "
            "`make run` passes its HOST and PORT.",
        )

    def handle(self, *args, **options):
        admin_url = options["admin_url"] or f"{settings.SITE_URL.rstrip('/')}/admin/"
        if not settings.DEBUG:
            self.stdout.write(
                "demo_editor: DEBUG is off, so no demo account was created. Create real "
                "accounts with `python manage.py createsuperuser`."
            )
            return
        user_model = get_user_model()
        # The virtualenv `make run` created: a bare `python` may lack Django.
        reset = f".venv/bin/python manage.py changepassword {USERNAME}"
        if user_model.objects.filter(username=USERNAME).exists():
            self.stdout.write(
                f"Demo editor account '{USERNAME}' already exists: log in at {admin_url}\n"
                f"Forgot its password? Set a new one with: {reset}"
            )
            return
        password = secrets.token_urlsafe(12)
        with transaction.atomic():
            user = user_model.objects.create_superuser(
                username=USERNAME, email=f"{USERNAME}@example.com", password=password
            )
            # Reviews are signed by a contributor profile; without one the demo
            # account could not try the review workflow. Its credentials say
            # plainly that nobody medical stands behind it.
            Contributor.objects.update_or_create(
                slug="demo-editor",
                defaults={
                    "name": "Demo Editor",
                    "credentials": "fictional demo account, not a clinician",
                    "user": user,
                },
            )
        self.stdout.write(
            self.style.SUCCESS(
                "Created a local demo editor account (shown only this once):\n"
                f"  admin:    {admin_url}\n"
                f"  username: {USERNAME}\n"
                f"  password: {password}\n"
                f"To set a new password later: {reset}"
            )
        )
