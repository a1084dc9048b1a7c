"""`make bench`: the performance figures of the issues, measured and printed (see __main__)."""
