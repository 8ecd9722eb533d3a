from django.db import models


class PurgeFailure(models.Model):
    """A batch of cache tags the CDN or Varnish in front could not be told to purge.

    Pages carrying these tags may be stale at the edge until their lifetime
    (``PAGE_CACHE_CDN_SECONDS``) ends; the admin lists them so someone looks.
    """

    created_at = models.DateTimeField(auto_now_add=True)
    backend = models.CharField(max_length=20)
    tags = models.TextField(help_text="Space-separated cache tags.")
    error = models.TextField()
    attempts = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["-created_at"], name="purgefailure_created_idx")]
        verbose_name = "failed CDN purge"
        verbose_name_plural = "failed CDN purges"

    def __str__(self):
        return f"{self.backend} purge at {self.created_at:%Y-%m-%d %H:%M}"
