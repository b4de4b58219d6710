"""A user's stored API keys and custom Anthropic-compatible endpoints.

Secrets are stored only as ciphertext (see ``playground.accounts.crypto``); the model never holds
a plaintext secret, and its ``__str__`` and ``repr`` show the label and ``…last4`` only.
"""

from django.conf import settings
from django.db import models


class CustomEndpoint(models.Model):
    """An Anthropic-compatible endpoint a user added; a provider named ``custom-<id>``.

    ``profile`` holds ``CompatibilityProfile.to_dict()``; ``profile_base`` remembers which built-in
    profile the user started from, so that the edit form can show only their overrides.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="endpoints"
    )
    name = models.CharField(max_length=80)
    base_url = models.URLField(max_length=500)
    auth_scheme = models.CharField(max_length=16)
    profile = models.JSONField(default=dict)
    profile_base = models.CharField(max_length=32, default="deepseek")
    created_at = models.DateTimeField(auto_now_add=True)
    # Last: from here on, ``models`` in this class body names the field, not django.db.models.
    models = models.JSONField(default=list)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="endpoint_name_unique_per_user")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def provider_slug(self) -> str:
        return f"custom-{self.pk}"


class ApiKey(models.Model):
    """One upstream API key of one user, encrypted at rest.

    ``provider`` is a built-in provider slug ("deepseek", "evolink", "simulator") or
    ``custom-<endpoint id>`` with ``endpoint`` set. Conversations reference a key by foreign key
    with ``on_delete=SET_NULL``: they never copy the secret, and deleting a key never deletes a
    conversation.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_keys"
    )
    label = models.CharField(max_length=80)
    provider = models.CharField(max_length=40)
    endpoint = models.ForeignKey(
        CustomEndpoint, null=True, blank=True, on_delete=models.CASCADE, related_name="api_keys"
    )
    secret_ciphertext = models.TextField()
    last4 = models.CharField(max_length=4)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["label", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "label"], name="api_key_label_unique_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.masked})"

    def __repr__(self) -> str:
        return f"<ApiKey {self.pk} {self.label!r} {self.provider} {self.masked}>"

    @property
    def masked(self) -> str:
        return f"…{self.last4}"
