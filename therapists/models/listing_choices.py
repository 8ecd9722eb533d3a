"""The fixed choices of a listing's licence status and gender category."""

from django.db import models


class LicenceStatus(models.TextChoices):
    UNVERIFIED = "unverified", "Not yet verified"
    ACTIVE = "active", "Active"
    EXPIRED = "expired", "Expired"
    NOT_FOUND = "not_found", "Not found in the register"


class Gender(models.TextChoices):
    WOMAN = "woman", "Woman"
    MAN = "man", "Man"
    NON_BINARY = "non_binary", "Non-binary"
    GENDERQUEER = "genderqueer", "Genderqueer or gender-fluid"
    TWO_SPIRIT = "two_spirit", "Two-Spirit"
    AGENDER = "agender", "Agender"
    ANOTHER = "another", "Another gender identity"
