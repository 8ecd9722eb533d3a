import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from articles import roles
from articles.models import Contributor

# One demo login per role, none of them a superuser: trying the site as each
# role shows what that role may and may not do. (username, role)
ACCOUNTS = [
    ("writer", roles.WRITER),
    ("reviewer", roles.MEDICAL_REVIEWER),
    ("editor", roles.EDITOR),
    ("directory", roles.DIRECTORY_MANAGER),
]
# The demo reviewer signs reviews as this fictional demo contributor (created
# by loaddemo; created here if missing), who is assigned demo articles.
REVIEWER_PROFILE = {
    "slug": "dr-example-rivera",
    "name": "Dr. Example Rivera",
    "credentials": "MD, psychiatrist (fictional demo contributor)",
}


class Command(BaseCommand):
    help = (
        "Local development only (DEBUG on): make sure one demo account per role exists "
        "(writer, reviewer, editor, directory). New accounts get a random password, "
        "printed once."
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
        lines = [f"Demo accounts, one per role (log in at {admin_url}):"]
        with transaction.atomic():
            for username, role in ACCOUNTS:
                lines.append(self._account(username, role))
            self._link_reviewer_profile()
        # The virtualenv `make run` created: a bare `python` may lack Django.
        lines.append(
            "Passwords are shown only when an account is created. To set a new one: "
            ".venv/bin/python manage.py changepassword <username>"
        )
        self.stdout.write(self.style.SUCCESS("\n".join(lines)))

    def _account(self, username: str, role: str) -> str:
        user_model = get_user_model()
        user = user_model.objects.filter(username=username).first()
        password = None
        if user is None:
            password = secrets.token_urlsafe(12)
            user = user_model.objects.create_user(
                username=username, email=f"{username}@example.com", password=password
            )
        # Older versions made "editor" a superuser: demo accounts hold their role only.
        user.is_superuser = False
        user.is_staff = True
        user.save(update_fields=["is_superuser", "is_staff"])
        user.groups.set([Group.objects.get(name=role)])
        shown = f"password: {password}" if password else "already exists"
        return f"  {role:<18} username: {username:<10} {shown}"

    def _link_reviewer_profile(self) -> None:
        reviewer = get_user_model().objects.get(username="reviewer")
        # Management commands run as the system: no admin's permission to check.
        Contributor.objects.filter(user__username="editor").update(user=None)
        # Found by name, as the importer finds contributors.
        profile = (
            Contributor.objects.filter(name__iexact=REVIEWER_PROFILE["name"]).order_by("pk").first()
        )
        if profile is None:
            profile = Contributor.objects.create(**REVIEWER_PROFILE)
        if profile.user_id != reviewer.pk:
            Contributor.objects.filter(user=reviewer).update(user=None)
            Contributor.objects.filter(pk=profile.pk).update(user=reviewer)
