"""Development tooling, not shipped with the product: the Bot API stand-in (tests, demo,
benchmark), the benchmark (`make bench`) and the demo (`make demo`)."""
