"""What mhsite/settings.py reads from the environment, and how.

The settings module stays the one place every setting is named; these
modules hold the parsing, the refusals and the larger structures it builds.
None of them imports Django's settings or either app.
"""
