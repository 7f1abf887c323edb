"""Sources turn platform APIs into FetchedPost values, incrementally; they import no database code.

Each has `fetch(checkpoint) -> (posts, new_checkpoint)` (see base.Source); checkpoints are plain
JSON dicts the caller stores with the posts. Failures raise engage.errors.SourceError.
Import the module you need (engage.sources.reddit, .feeds, ...): importing this package
loads no platform library.
"""
