"""Where uploads are stored: the local media folder or an S3-compatible bucket."""

import os
from urllib.parse import urlsplit

from .environment import env_bool


def storages(debug: bool, bucket: str) -> dict:
    configured = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {
            "BACKEND": (
                "django.contrib.staticfiles.storage.StaticFilesStorage"
                if debug
                else "whitenoise.storage.CompressedManifestStaticFilesStorage"
            )
        },
    }
    if bucket:
        configured["default"] = _object_storage(bucket)
    return configured


def _object_storage(bucket: str) -> dict:
    # Credentials come from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (read by
    # boto3) or the instance role.
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            # Public media served from the bucket's (or a CDN's) own domain.
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            "location": os.environ.get("AWS_LOCATION", "media"),
            "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", False),
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=86400"},
        },
    }


def object_storage_hosts(bucket: str) -> list[str]:
    """The hosts django-storages builds media URLs on, for the bucket as configured."""
    custom_domain = os.environ.get("AWS_S3_CUSTOM_DOMAIN", "")
    if custom_domain:
        return [custom_domain.split("/")[0].lower()]
    endpoint = urlsplit(os.environ.get("AWS_S3_ENDPOINT_URL", "")).hostname
    if endpoint:  # path-style or virtual-hosted addressing, whichever the store uses
        return [endpoint, f"{bucket}.{endpoint}"]
    region = os.environ.get("AWS_S3_REGION_NAME", "")
    hosts = [f"{bucket}.s3.amazonaws.com"]
    if region:
        hosts.append(f"{bucket}.s3.{region}.amazonaws.com")
    return hosts
