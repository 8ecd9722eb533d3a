"""The Users list shows each user's editorial roles (articles/roles.py).

Membership of a role group also switches admin access (``is_staff``) on and
off: see ``roles.staff_follows_roles``.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.db.models import Prefetch

from ..roles import ROLE_PERMISSIONS

User = get_user_model()

admin.site.unregister(User)


@admin.register(User)
class RoleUserAdmin(UserAdmin):
    list_display = ["username", "email", "first_name", "last_name", "roles", "is_staff"]
    list_filter = ["groups", "is_staff", "is_superuser", "is_active"]

    def get_queryset(self, request):
        roles = Group.objects.filter(name__in=ROLE_PERMISSIONS).order_by("name")
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("groups", queryset=roles, to_attr="role_groups"))
        )

    @admin.display(description="roles")
    def roles(self, user):
        names = [group.name for group in user.role_groups]
        if user.is_superuser:
            names.insert(0, "Superuser")
        return ", ".join(names) or "—"
