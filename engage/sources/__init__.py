"""What every platform's source shares: the contract (base.Source, base.Conversational), text and
URL clean-up (base), bounded HTTP with retries (http) and feed parsing (feedtools).

The sources themselves live with their platform (engage/platforms/<name>/). Nothing here or
there imports database code: a source turns an API into FetchedPost values and a checkpoint,
and the caller stores both. Importing this package loads no HTTP or platform library.
"""
