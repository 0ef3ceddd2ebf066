"""The demo world: the people and portfolios of the seed report (July 2020)."""
