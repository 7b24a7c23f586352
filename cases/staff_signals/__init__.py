"""Signals about a staff member: for the board and the directie, outside the route."""
