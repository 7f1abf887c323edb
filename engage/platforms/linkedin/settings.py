"""The config's [linkedin] section: the API and its version, the OAuth app's credentials (by
the names of the environment variables that hold them), and the loopback port LinkedIn
redirects to after the therapist allows access.

The access token itself is never a setting: `engage auth linkedin` keeps it in the data
directory (engage/platforms/linkedin/token.py), or `access_token_env` names a variable holding
one made elsewhere.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from engage.config_fields import EnvName, HttpUrl, Section


class LinkedInSettings(Section):
    api_url: HttpUrl = "https://api.linkedin.com"
    auth_url: HttpUrl = "https://www.linkedin.com"
    #: The LinkedIn-Version header (YYYYMM); LinkedIn retires a version about a year after it.
    version: Annotated[str, Field(pattern=r"^\d{6}$")] = "202511"
    token_warn_days: int = Field(default=7, ge=0)
    client_id_env: EnvName = "ENGAGE_LINKEDIN_CLIENT_ID"
    client_secret_env: EnvName = "ENGAGE_LINKEDIN_CLIENT_SECRET"
    access_token_env: EnvName = "ENGAGE_LINKEDIN_ACCESS_TOKEN"
    #: The port of http://127.0.0.1:PORT/callback, the redirect URL registered with the app
    #: (LinkedIn wants it registered exactly); None: any free port (a local test server).
    redirect_port: int | None = Field(default=None, ge=1024, le=65535)
