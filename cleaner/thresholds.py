"""The default thresholds of the rule tools, in a module of their own: the command line shows
them in its help without importing `cleaner.learn` and `cleaner.health`, which every other
command would then load at start-up (a fifth of the imports of `cleaner clean`)."""

MIN_TEMPLATE_SHARE = 0.01
"""`rules learn`: a template occurs on at least this share of a site's pages (and on two pages
at least)."""

MIN_TERMINAL_SHARE = 0.5
"""`rules health`: terminal rules firing in fewer than this share of a site's documents are
flagged."""
