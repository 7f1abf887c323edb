"""Sources turn platform APIs into FetchedPost values, incrementally; they import no database code.

Each has `fetch(checkpoint) -> (posts, new_checkpoint)` (see base.Source); checkpoints are plain
JSON dicts the caller stores with the posts. Failures raise engage.errors.SourceError.
"""

from engage.sources.base import Checkpoint, Source
from engage.sources.bluesky import BlueskySource
from engage.sources.feeds import FeedSource
from engage.sources.http import RetryPolicy
from engage.sources.mastodon import MastodonSource
from engage.sources.reddit import RedditCredentials, RedditSource, connect_reddit
from engage.sources.reddit_rss import RedditRssSource

__all__ = [
    "BlueskySource",
    "Checkpoint",
    "FeedSource",
    "MastodonSource",
    "RedditCredentials",
    "RedditRssSource",
    "RedditSource",
    "RetryPolicy",
    "Source",
    "connect_reddit",
]
