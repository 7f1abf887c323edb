"""The config's [linkedin] section: the API, its version, and the OAuth credentials' names."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from engage.config_fields import EnvName, HttpUrl, Section


class LinkedInSettings(Section):
    api_url: HttpUrl = "https://api.linkedin.com"
    auth_url: HttpUrl = "https://www.linkedin.com"
    version: Annotated[str, Field(pattern=r"^\d{6}$")] = "202511"
    token_warn_days: int = Field(default=7, ge=0)
    client_id_env: EnvName = "ENGAGE_LINKEDIN_CLIENT_ID"
    client_secret_env: EnvName = "ENGAGE_LINKEDIN_CLIENT_SECRET"
    access_token_env: EnvName = "ENGAGE_LINKEDIN_ACCESS_TOKEN"
