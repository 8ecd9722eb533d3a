"""Finding 3: every image entering the site is decoded, limited, stripped and re-encoded.

Replays the attack on each entry point (Markdown upload, hero image,
contributor photo, therapist photo in the admin and at model level, import):
a GIF with JavaScript appended is never stored byte-identical, a JPEG's GPS
EXIF is dropped, and a 10000×5000 PNG (50 MP, a small file) is refused.
"""

import contextlib
import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from PIL import Image

from articles.models import Article, Contributor
from tests.admin_forms import admin_form_data
from tests.factories import make_article, make_contributor
from tests.therapist_factories import make_therapist
from therapists.models import Therapist

pytestmark = pytest.mark.django_db

SCRIPT = b"<script>alert(document.cookie)</script>"
GPS_MARKER = "Example Street 12"


def gif_with_script() -> bytes:
    out = io.BytesIO()
    Image.new("P", (16, 16), 3).save(out, "GIF")
    return out.getvalue() + SCRIPT


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (32, 24), (90, 140, 200))
    exif = Image.Exif()
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (51.0, 30.0, 12.5)
    gps[3] = "W"
    gps[4] = (0.0, 7.0, 39.0)
    exif[0x010E] = GPS_MARKER  # ImageDescription, easy to find in the bytes
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def huge_png() -> bytes:
    out = io.BytesIO()
    Image.new("1", (10000, 5000), 0).save(out, "PNG", optimize=True)
    return out.getvalue()


def stored_bytes(name: str) -> bytes:
    with default_storage.open(name) as stored:
        return stored.read()


def assert_clean(data: bytes, original: bytes) -> None:
    assert data != original
    assert SCRIPT not in data
    assert GPS_MARKER.encode() not in data
    with Image.open(io.BytesIO(data)) as image:
        assert not image.getexif().get_ifd(0x8825)


# Entry points: each stores ``content`` and returns the stored file's name, or
# raises / returns None when the image was refused.


def via_markdownx(client, content: bytes, name: str):
    response = client.post(
        "/markdownx/upload/",
        {"image": SimpleUploadedFile(name, content, content_type="image/gif")},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    if response.status_code != 200:
        return None
    return response.json()["image_code"].split("/media/")[1].rstrip(")")


def via_admin(client, url: str, field: str, content: bytes, name: str, model, pk):
    data = admin_form_data(client.get(url))
    data[field] = SimpleUploadedFile(name, content)
    alt_field = {"image": "image_alt", "photo": "photo_alt"}[field]
    if alt_field in data or model is not Contributor:
        data[alt_field] = "A calm picture."
    response = client.post(url, data)
    if response.status_code != 302:
        return None
    return getattr(model.objects.get(pk=pk), field).name


def via_hero_image(client, content, name):
    article = make_article()
    url = reverse("admin:articles_article_change", args=[article.pk])
    return via_admin(client, url, "image", content, name, Article, article.pk)


def via_contributor_photo(client, content, name):
    contributor = make_contributor()
    url = reverse("admin:articles_contributor_change", args=[contributor.pk])
    return via_admin(client, url, "photo", content, name, Contributor, contributor.pk)


def via_therapist_admin(client, content, name):
    therapist = make_therapist()
    url = reverse("admin:therapists_therapist_change", args=[therapist.pk])
    return via_admin(client, url, "photo", content, name, Therapist, therapist.pk)


def via_therapist_model(client, content, name):
    """A service or shell assigning a file directly, with no form in between."""
    therapist = make_therapist()
    therapist.photo = SimpleUploadedFile(name, content)
    therapist.photo_alt = "A calm picture."
    try:
        therapist.save()
    except ValidationError:
        return None
    return Therapist.objects.get(pk=therapist.pk).photo.name


def via_import(client, content, name):
    folder = Path(default_storage.location).parent / "import"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(content)
    (folder / "a.md").write_text(
        f"---\ntitle: Imported\nslug: imported\nimage: {name}\nimage_alt: A.\n---\nBody.\n"
    )
    with contextlib.suppress(CommandError):  # raised when a file is refused
        call_command(
            "import_articles", str(folder / "a.md"), stdout=io.StringIO(), stderr=io.StringIO()
        )
    article = Article.objects.filter(slug="imported").first()
    return article.image.name if article and article.image else None


ENTRY_POINTS = [
    via_markdownx,
    via_hero_image,
    via_contributor_photo,
    via_therapist_admin,
    via_therapist_model,
    via_import,
]


@pytest.mark.parametrize("entry", ENTRY_POINTS, ids=lambda entry: entry.__name__)
def test_gif_with_appended_script_is_re_encoded(staff_client, entry):
    original = gif_with_script()
    name = entry(staff_client, original, "trick.gif")
    assert name, "a valid GIF should be accepted"
    data = stored_bytes(name)
    assert_clean(data, original)
    assert data.startswith(b"GIF8")


@pytest.mark.parametrize("entry", ENTRY_POINTS, ids=lambda entry: entry.__name__)
def test_jpeg_gps_exif_is_stripped(staff_client, entry):
    original = jpeg_with_gps()
    with Image.open(io.BytesIO(original)) as image:
        assert image.getexif().get_ifd(0x8825)  # the attack file really carries GPS
    name = entry(staff_client, original, "holiday.jpg")
    assert name
    assert_clean(stored_bytes(name), original)


@pytest.mark.parametrize("entry", ENTRY_POINTS, ids=lambda entry: entry.__name__)
def test_a_50_megapixel_png_is_refused_and_nothing_is_stored(staff_client, entry):
    content = huge_png()
    assert len(content) < 100_000  # small file, huge image
    before = Therapist.objects.exclude(photo="").count()
    assert entry(staff_client, content, "huge.png") is None
    assert Therapist.objects.exclude(photo="").count() == before


def test_stored_names_are_random_not_the_clients(staff_client):
    first = via_therapist_admin(staff_client, gif_with_script(), "../../evil name.gif")
    second = via_therapist_model(staff_client, gif_with_script(), "evil name.gif")
    for name in (first, second):
        assert name.startswith("therapists/")
        assert "evil" not in name and ".." not in name
        assert name.endswith(".gif")


def test_model_level_refusal_is_a_validation_error_with_the_reason():
    therapist = make_therapist()
    therapist.photo = SimpleUploadedFile("page.gif", b"GIF89a<html><script>x</script>")
    therapist.photo_alt = "A picture."
    with pytest.raises(ValidationError) as caught:
        therapist.save()
    assert "not a JPEG, PNG, GIF or WebP" in str(caught.value)
    therapist.refresh_from_db()
    assert not therapist.photo


def test_admin_form_shows_the_reason_on_the_field(staff_client):
    therapist = make_therapist()
    url = reverse("admin:therapists_therapist_change", args=[therapist.pk])
    data = admin_form_data(staff_client.get(url))
    data["photo"] = SimpleUploadedFile("huge.png", huge_png())
    data["photo_alt"] = "A picture."
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "more than this site accepts" in str(response.context["adminform"].form.errors["photo"])
