"""Linked cases of brothers and sisters at the same school."""
