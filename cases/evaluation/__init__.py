"""Evaluating the meldcode: figures without names for the directie and the board."""
