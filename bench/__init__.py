"""The performance benchmark (`make bench`): README, "Performance"."""
