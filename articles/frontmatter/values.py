"""Each front matter value read from the parsed YAML and checked; errors name the key."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone

from ..models import Article
from .document import FormatError, ReferenceEntry

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_validate_url = URLValidator(schemes=["http", "https"])


def text(data: dict, key: str) -> str:
    return optional_text(data, key) or ""


def optional_text(data: dict, key: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise FormatError(f"{key} must be text, not {type(value).__name__}")
    return str(value).strip()


def text_list(data: dict, key: str) -> list[str]:
    value = data.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise FormatError(f"{key} must be a list")
    items: list[str] = []
    for position, item in enumerate(value, start=1):
        if isinstance(item, bool) or not isinstance(item, str | int | float):
            raise FormatError(f"{key} item {position} must be text")
        text = str(item).strip()
        if text and text not in items:
            items.append(text)
    return items


def status(data: dict) -> str:
    value = text(data, "status")
    if not value:
        return Article.Status.DRAFT
    wanted = value.lower().replace("-", "_").replace(" ", "_")
    for choice in Article.Status:
        if wanted in (choice.value, choice.label.lower().replace(" ", "_")):
            return choice.value
    raise FormatError(f"unknown status {value!r} (use one of: {', '.join(Article.Status.values)})")


def iso_date(data: dict, key: str) -> datetime.date | None:
    value = text(data, key)
    if not value:
        return None
    try:
        if not _ISO_DATE.match(value):
            raise ValueError
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise FormatError(f"{key}: {value!r} is not a valid ISO date (YYYY-MM-DD)") from None


def iso_datetime(data: dict, key: str) -> datetime.datetime | None:
    value = text(data, key)
    if not value:
        return None
    try:
        if _ISO_DATE.match(value):
            day = datetime.date.fromisoformat(value)
            moment = datetime.datetime.combine(day, datetime.time())
        else:
            moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise FormatError(
            f"{key}: {value!r} is not a valid ISO date or date-time "
            "(YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS+00:00)"
        ) from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def http_url(data: dict, key: str, label: str | None = None) -> str:
    value = text(data, key)
    if value:
        try:
            _validate_url(value)
        except ValidationError:
            raise FormatError(f"{label or key}: {value!r} is not a valid http(s) URL") from None
    return value


def references(data: dict) -> list[ReferenceEntry]:
    value = data.get("references")
    if value is None:
        return []
    if not isinstance(value, list):
        raise FormatError("references must be a list of {title, url} items")
    references = []
    for position, item in enumerate(value, start=1):
        if isinstance(item, str):
            item = {"title": item}
        if not isinstance(item, dict):
            raise FormatError(f"references item {position} must have a title and optional url")
        unknown = sorted(set(item) - {"title", "url"})
        if unknown:
            raise FormatError(
                f"references item {position} has unknown key(s) {', '.join(map(str, unknown))}"
            )
        title = text(item, "title")
        if not title:
            raise FormatError(f"references item {position} has no title")
        url = http_url(item, "url", label=f"references item {position} url")
        references.append(ReferenceEntry(title=title, url=url))
    return references
