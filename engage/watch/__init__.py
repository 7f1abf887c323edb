"""The watch step (`engage watch`, and the worker's poll), one module per job:

- cycle: one watch cycle, from the sources due to what they returned, stored
- source_rows: the sources table (the config's rows, sources added and removed by hand)
- claims: due sources claimed with a lease, so two workers never poll one source
- follow_ups: the threads a conversational platform keeps reading
- report: what a cycle did

Importing this package imports none of them (nor SQLAlchemy): import the module you need.
"""
