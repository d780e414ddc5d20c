"""Two paragraphs of running prose, to put around the lines plain-text tests look at."""

LONG = (
    "This paragraph is long enough to read as running prose, with a full sentence that goes "
    "on for a while and ends with a period."
)
LONG2 = (
    "Another paragraph follows here, and it too carries on for more than a dozen words before "
    "it finally comes to an end."
)
