"""The privilege ladder: who may grant what. Re-exported by cohorts.permissions, the one home
of the permission rules for every app above this one (accounts is the bottom layer and may not
import it).

Privilege only goes down the ladder: superusers grant and remove superuser, admin-access and
association-staff status, edit superusers and set the password of any other privileged person.
Association staff manage everyone else's profile, activity and password.
"""

# The user fields that are privileges: only a superuser changes them.
PRIVILEGE_FIELDS = (
    "is_superuser",
    "is_staff",
    "is_association_staff",
    "groups",
    "user_permissions",
)


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_superuser(user) -> bool:
    return _active(user) and user.is_superuser


def is_privileged(user) -> bool:
    """A superuser, association staff, or someone with admin access."""
    return bool(user.is_superuser or user.is_staff or user.is_association_staff)


def may_manage_users(user) -> bool:
    """Superusers and association staff open the user admin."""
    return _active(user) and user.sees_all_programs


def may_grant_privileges(actor) -> bool:
    return is_superuser(actor)


def may_edit_user(actor, target) -> bool:
    """Staff edit everyone but a superuser; only a superuser edits a superuser."""
    if not may_manage_users(actor):
        return False
    return not target.is_superuser or is_superuser(actor)


def may_set_password(actor, target) -> bool:
    """Staff set the password of someone without privileges; a superuser, anyone's but their own
    here (people change their own on the site's password page, which checks the old one)."""
    if not may_edit_user(actor, target) or actor.pk == target.pk:
        return False
    return is_superuser(actor) or not is_privileged(target)
