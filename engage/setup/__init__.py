"""What `engage init` needs besides the terminal: reading a therapist's answers in their own
words (specialties by name, states by name, time zones by city), email presets, the resume file,
and the config document built from the answers.

Why a package: `engage init` must be forgiving (re-ask, never lose an answer, never a
traceback), and that takes more than a click command should hold. The parsers here are pure:
each turns typed text into a value the config accepts or raises `AnswerError` with a one-line
hint. Only `engage.setup.progress` touches files (the resume file) and only
`engage.setup.reach` the network (a feed check, a test email). Nothing here imports the
database, and nothing here ever asks for or stores a password.
"""
